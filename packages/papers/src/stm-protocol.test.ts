import { stmEpochs, stmProtocol } from '@wmkit/ei-rnn';
import { describe, expect, it } from 'vitest';
import { changeStmProtocol } from './stm-protocol';

describe('changeStmProtocol (wmkit train stm-rnn --lr/--delay/--task/…)', () => {
  const paper = stmProtocol({ lr: 0.01 });

  it('the epochs follow a changed learning rate unless given or kept', () => {
    expect(changeStmProtocol(paper, { lr: 0.001 }, false, 'x').epochs).toBe(30000);
    expect(stmEpochs(0.001)).toBe(30000);
    expect(changeStmProtocol(paper, { lr: 0.001 }, true, 'x').epochs).toBe(paper.epochs);
    expect(changeStmProtocol(paper, { lr: 0.001, epochs: 7 }, false, 'x').epochs).toBe(7);
  });

  it('a task kind sets the inputs and outputs; delay, post and trials per cue land in place; the rest is kept', () => {
    const c = changeStmProtocol(paper, { task: 'delayed-activation', delayMs: 100, postMs: 30, trialsPerCue: 8 }, true, 'x');
    expect([c.model.nInputs, c.model.nOutputs]).toEqual([1, 1]);
    expect(c.task).toEqual({ ...paper.task, kind: 'delayed-activation', delayMs: 100, postMs: 30 });
    expect(c.trialsPerCue).toBe(8);
    expect([c.lr, c.momentum, c.weightDecay]).toEqual([paper.lr, paper.momentum, paper.weightDecay]);
    const back = changeStmProtocol(c, { task: 'dcdt' }, true, 'x');
    expect([back.model.nInputs, back.model.nOutputs]).toEqual([paper.task.cues, paper.task.cues]);
  });

  it('an invalid change is refused naming where it came from', () => {
    expect(() => changeStmProtocol(paper, { trialsPerCue: 0 }, true, 'the command-line options')).toThrow(/the command-line options/);
  });
});
