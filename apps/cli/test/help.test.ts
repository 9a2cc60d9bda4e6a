/**
 * Every leaf command's --help has an "Examples:" section and a "Writes:" section (what it writes,
 * or that it writes nothing). Walks the whole command tree of the program builder.
 */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/main';

function leaves(cmd: Command, path: string[] = []): { path: string; cmd: Command }[] {
  if (!cmd.commands.length) return [{ path: path.join(' '), cmd }];
  return cmd.commands.flatMap((c) => leaves(c, [...path, c.name()]));
}

function helpOf(cmd: Command): string {
  let out = '';
  cmd.configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (out += s) });
  cmd.outputHelp();
  return out;
}

const program = await buildProgram();

describe('--help of every leaf command', () => {
  const all = leaves(program);
  it('finds the commands', () => {
    expect(all.length).toBeGreaterThan(25);
    expect(all.map((l) => l.path)).toEqual(expect.arrayContaining(['train ei-rnn', 'reproduce kim2021', 'sweep run', 'info']));
  });
  it.each(all.map((l) => [l.path, l.cmd] as const))('wmkit %s --help has Examples: and Writes:', (_path, cmd) => {
    const help = helpOf(cmd);
    expect(help).toMatch(/^Examples:\n {2}wmkit /m);
    expect(help).toMatch(/^Writes( \([^)]*\))?:/m);
  });
});
