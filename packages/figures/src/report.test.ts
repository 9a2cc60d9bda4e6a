import { describe, expect, it } from 'vitest';
import { metricsSection, renderReport, withMetricsSection } from './report';

describe('metricsSection', () => {
  it('labels known metrics from the registry and reads units from name suffixes', () => {
    const s = metricsSection({ responseSdDeg: 3.13843, bumpWidthFwhmDeg: 75, medianTauMs: 188.25, engine: 'kernels', curve: [1, 2] });
    const rows = s?.tables?.[0]?.rows ?? [];
    expect(rows[0]).toEqual(['metric', 'value', 'unit', 'name in run.json', 'meaning']);
    expect(rows[1]).toEqual(['response SD', '3.138', 'deg', 'responseSdDeg', 'circular SD of the decoded response around the cue']);
    expect(rows[2]?.slice(0, 3)).toEqual(['bump width (FWHM)', '75', 'deg']);
    expect(rows[3]?.slice(0, 3)).toEqual(['median tau', '188.3', 'ms']);
    expect(rows[4]?.slice(0, 2)).toEqual(['engine', 'kernels']);
    expect(rows).toHaveLength(5); // the array is left out
  });
  it('adds nothing without scalar metrics, and renders the table last otherwise', () => {
    const spec = { title: 't', sections: [{ paragraphs: ['p'] }] };
    expect(withMetricsSection(spec, { a: [1] })).toBe(spec);
    expect(withMetricsSection(spec, undefined)).toBe(spec);
    const { md } = renderReport(withMetricsSection(spec, { loss: Number.NaN }));
    expect(md).toContain('## Metrics saved in run.json');
    expect(md).toContain('| loss | n/a |');
  });
});
