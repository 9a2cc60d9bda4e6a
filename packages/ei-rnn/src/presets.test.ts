import { DMS_LONG, DMS_SHORT } from '@wmkit/tasks';
import { describe, expect, it } from 'vitest';
import { EI_RNN_PRESETS, eiRnnTask, presetTask, recordedTask, taskDifferences, taskRecord } from './presets';

describe('presets carry their task config (the task owns dt)', () => {
  it('every preset holds its task’s parameters, dt included, and builds its task from them', () => {
    for (const p of Object.values(EI_RNN_PRESETS)) {
      expect(p.task.config.dtMs).toBe(5);
      expect(presetTask(p).config).toEqual(p.task.config);
    }
    expect(EI_RNN_PRESETS['kim2021.dms'].task.config).toEqual(DMS_SHORT);
    expect(eiRnnTask('dms', { variant: 'long', dtMs: 5 }).config).toEqual(DMS_LONG);
    expect(eiRnnTask('afc', { dtMs: 2 }).timeline.dtMs).toBe(2);
  });

  it('a task record in run.json reads back to the same task; old DMS records without a name are DMS', () => {
    for (const p of Object.values(EI_RNN_PRESETS)) {
      const back = recordedTask(JSON.parse(JSON.stringify(taskRecord(p.task.name, p.task.config))), 'run.json');
      expect(back.name).toBe(p.task.name);
      expect(taskDifferences(back.config, p.task.config)).toEqual([]);
      expect(back.task.timeline.steps).toBe(presetTask(p).timeline.steps);
    }
    expect(recordedTask({ ...DMS_SHORT }, 'old/run.json').name).toBe('dms');
    expect(recordedTask(undefined, 'older/run.json').config).toEqual(DMS_SHORT);
  });

  it('a changed dt reads back as a different task, and differences name both values', () => {
    const r = recordedTask({ ...taskRecord('dms', DMS_SHORT), dtMs: 2 }, 'x/run.json');
    expect(r.task.timeline.dtMs).toBe(2);
    expect(taskDifferences(r.config, DMS_SHORT)).toEqual(['dtMs 2 vs 5']);
  });

  it('unknown names and fields are refused, naming the file and the valid fields', () => {
    expect(() => recordedTask({ name: 'xor' }, 'x/run.json')).toThrow(/x\/run\.json: task\.name must be dms, afc or gonogo, got "xor"/);
    expect(() => recordedTask({ name: 'afc', delayMs: 5 }, 'x/run.json')).toThrow(
      /task\.delayMs is not a parameter of the afc task; valid fields: dtMs, fixationMs/,
    );
    expect(() => recordedTask({ name: 'dms', dtMs: 'five' }, 'x/run.json')).toThrow(/task\.dtMs should be like 5, got "five"/);
  });
});
