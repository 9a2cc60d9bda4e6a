// The layer rules of .dependency-cruiser.cjs catch what they are meant to catch: a small workspace
// that keeps every rule passes, and the same workspace with one planted violation fails, naming the
// rule. Run: `node --test scripts/deps-rules.test.mjs` (part of `pnpm deps:check`).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const depcruise = join(root, 'node_modules', '.bin', 'depcruise');

/** A workspace that follows the layers: file path → source. */
const clean = {
  'packages/tensor/src/index.ts': 'export const tensor = 1;\n',
  'packages/core-neuron/src/index.ts': "import { tensor } from '@wmkit/tensor';\nexport const lif = tensor;\n",
  'packages/tasks/src/index.ts': "import { tensor } from '@wmkit/tensor';\nexport const dms = tensor;\n",
  'packages/analysis/src/index.ts': "import { tensor } from '@wmkit/tensor';\nexport const fano = tensor;\n",
  'packages/data-io/src/index.ts': "import { tensor } from '@wmkit/tensor';\nexport const npy = tensor;\n",
  'packages/data-io/src/node.ts': "import { npy } from './index';\nexport const runDir = npy;\n",
  'packages/ei-rnn/src/index.ts':
    "import { lif } from '@wmkit/core-neuron';\nimport { dms } from '@wmkit/tasks';\nexport const rnn = lif + dms;\n",
  'packages/delay-snn/src/index.ts': "import { lif } from '@wmkit/core-neuron';\nexport const snn = lif;\n",
  'packages/attractor-models/src/index.ts': "import { fano } from '@wmkit/analysis';\nexport const ring = fano;\n",
  'packages/papers/src/index.ts':
    "import { rnn } from '@wmkit/ei-rnn';\nimport { snn } from '@wmkit/delay-snn';\nimport { ring } from '@wmkit/attractor-models';\nexport const kim2021 = rnn + snn + ring;\n",
  'packages/papers/src/node.ts': "import { kim2021 } from './index';\nexport const parallel = kim2021;\n",
  'packages/figures/src/index.ts':
    "import type { kim2021 } from '@wmkit/papers';\nexport const kimSvg = (k: typeof kim2021) => `<svg>${k}</svg>`;\n",
  'apps/cli/src/main.ts':
    "import { kim2021 } from '@wmkit/papers';\nimport { parallel } from '@wmkit/papers/node';\nimport { runDir } from '@wmkit/data-io/node';\nimport { kimSvg } from '@wmkit/figures';\nexport const main = kimSvg(kim2021 + parallel + runDir);\n",
  'apps/cli/src/index.ts': "export { main } from './main';\n",
  'examples/perrinet2026.ts': "import { kim2021 } from '@wmkit/papers';\nconsole.log(kim2021);\n",
};

/** One planted violation per rule: [rule, files added or replaced]. */
const planted = [
  [
    'tensor-imports-no-wmkit-package',
    { 'packages/tensor/src/rng.ts': "import { lif } from '@wmkit/core-neuron';\nexport const rng = lif;\n" },
  ],
  [
    'models-do-not-import-each-other',
    { 'packages/ei-rnn/src/delays.ts': "import { snn } from '@wmkit/delay-snn';\nexport const d = snn;\n" },
  ],
  [
    'base-layer-imports-no-model',
    { 'packages/analysis/src/ring.ts': "import type { ring } from '@wmkit/attractor-models';\nexport type R = typeof ring;\n" },
  ],
  ['packages-import-no-app', { 'packages/data-io/src/cli.ts': "import { main } from '@wmkit/cli';\nexport const m = main;\n" }],
  [
    'packages-import-no-papers',
    { 'packages/delay-snn/src/recipe.ts': "import { kim2021 } from '@wmkit/papers';\nexport const k = kim2021;\n" },
  ],
  [
    'packages-import-no-figures',
    { 'packages/data-io/src/figure.ts': "import { kimSvg } from '@wmkit/figures';\nexport const f = kimSvg;\n" },
  ],
  ['examples-use-public-apis', { 'examples/kim2021.ts': "import { rnn } from '../packages/ei-rnn/src/index';\nexport const r = rnn;\n" }],
  [
    'no-circular-imports',
    {
      // the shape of the CLI's old circle: main → a command → the sweep runner → its worker → main
      'apps/cli/src/main.ts': "import { reproduce } from './commands/reproduce';\nexport const main = reproduce;\n",
      'apps/cli/src/commands/reproduce.ts': "import { sweepRun } from './sweep-run';\nexport const reproduce = () => sweepRun;\n",
      'apps/cli/src/commands/sweep-run.ts': "import { worker } from '../workers/sweep-worker';\nexport const sweepRun = () => worker;\n",
      'apps/cli/src/workers/sweep-worker.ts': "import { main } from '../main';\nexport const worker = () => main;\n",
    },
  ],
];

function cruise(files) {
  const dir = mkdtempSync(join(tmpdir(), 'wmkit-deps-'));
  try {
    for (const f of ['.dependency-cruiser.cjs', 'tsconfig.depcruise.json', 'tsconfig.base.json']) copyFileSync(join(root, f), join(dir, f));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const r = spawnSync(depcruise, ['packages', 'apps', 'examples', '--config', '.dependency-cruiser.cjs'], { cwd: dir, encoding: 'utf8' });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a workspace that keeps the layers passes', () => {
  const r = cruise(clean);
  assert.equal(r.status, 0, r.output);
  assert.match(r.output, /no dependency violations found/);
});

describe('planted violations', { concurrency: 4 }, () => {
  for (const [rule, files] of planted) {
    test(`a planted violation of ${rule} fails the check`, () => {
      const r = cruise({ ...clean, ...files });
      assert.notEqual(r.status, 0, r.output);
      assert.match(r.output, new RegExp(`error ${rule}:`));
    });
  }
});
