/** Figures of Földiák's (1990) alphabet demonstration: the letter code, learning curves and the associative layer. */
import { legendMarks, Plot, plotSvg, stackedPlotsSvg } from './plot';

/** The binary code of each letter (rows, in the order given) over the units (columns); black = active. */
export function letterCodeSvg(codes: Uint8Array, units: number, rows: { letter: string; index: number }[], title: string): string {
  const cells: { letter: string; unit: number; on: number }[] = [];
  for (const r of rows)
    for (let u = 0; u < units; u++) cells.push({ letter: r.letter, unit: u + 1, on: codes[r.index * units + u] as number });
  return plotSvg({
    title,
    width: 120 + 26 * units,
    height: 60 + 18 * rows.length,
    marginLeft: 40,
    x: { label: 'unit', domain: Array.from({ length: units }, (_, u) => u + 1) },
    y: { label: 'letter (most frequent first)', domain: rows.map((r) => r.letter) },
    color: { domain: [0, 1], range: ['#f4f4f4', '#222'] },
    marks: [Plot.cell(cells, { x: 'unit', y: 'letter', fill: 'on', inset: 1 })],
  });
}

/** Distinct codes (of 26) and bits kept against presentations, one line per seed, with the letter entropy. */
export function alphabetLearningSvg(
  curves: { seed: number; presentations: number; distinct: number; bits: number }[],
  entropy: number,
  title: string,
): string {
  const base = { width: 680, height: 240, marginLeft: 50, color: { type: 'categorical' as const, scheme: 'tableau10' as const } };
  return stackedPlotsSvg([
    {
      ...base,
      title,
      x: { label: 'presentations' },
      y: { label: 'letters with distinct codes', domain: [0, 26], grid: true },
      marks: [
        Plot.line(curves, { x: 'presentations', y: 'distinct', z: 'seed', stroke: 'seed', strokeOpacity: 0.8 }),
        Plot.ruleY([26], { stroke: '#999', strokeDasharray: '4,3' }),
      ],
    },
    {
      ...base,
      x: { label: 'presentations' },
      y: { label: 'bits kept I(letter; code)', domain: [0, Math.ceil(entropy)], grid: true },
      marks: [
        Plot.line(curves, { x: 'presentations', y: 'bits', z: 'seed', stroke: 'seed', strokeOpacity: 0.8 }),
        Plot.ruleY([entropy], { stroke: '#999', strokeDasharray: '4,3' }),
      ],
    },
  ]);
}

const INPUT_COLORS: Record<string, string> = { code: '#1f77b4', raw: '#d62728' };

/**
 * The associative layer on two inputs (`code`, `raw`): delta-rule error against presentations
 * and Hebbian exact recall against the number of letters stored, one line per seed.
 */
export function associatorSvg(
  delta: { input: string; seed: number; presentations: number; error: number }[],
  hebbian: { input: string; seed: number; stored: number; exact: number }[],
  title: string,
): string {
  const inputs = [...new Set([...delta.map((d) => d.input), ...hebbian.map((d) => d.input)])];
  const color = (i: string) => INPUT_COLORS[i] ?? '#555';
  const legend = legendMarks(inputs.map((i) => ({ label: i === 'code' ? 'learned code' : 'raw image', color: color(i) })));
  return stackedPlotsSvg([
    {
      title,
      width: 680,
      height: 250,
      marginLeft: 50,
      x: { label: 'presentations (delta rule)' },
      y: { label: 'letters wrong (frequency-weighted)', domain: [0, 1], grid: true },
      marks: [
        ...inputs.map((i) =>
          Plot.line(
            delta.filter((d) => d.input === i),
            { x: 'presentations', y: 'error', z: 'seed', stroke: color(i), strokeOpacity: 0.7 },
          ),
        ),
        ...legend,
      ],
    },
    {
      width: 680,
      height: 250,
      marginLeft: 50,
      x: { label: 'letters stored (Hebbian, most frequent first)' },
      y: { label: 'stored letters recalled exactly', domain: [0, 1], grid: true },
      marks: inputs.map((i) =>
        Plot.line(
          hebbian.filter((d) => d.input === i),
          { x: 'stored', y: 'exact', z: 'seed', stroke: color(i), strokeOpacity: 0.7 },
        ),
      ),
    },
  ]);
}
