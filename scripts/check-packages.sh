#!/usr/bin/env bash
# Checks that every publishable package works from its tarball, the way users get it:
# pnpm pack → npm install the tarballs into an empty project → ESM import, CJS require,
# and type resolution with tsc under NodeNext, Node10 (CommonJS) and Bundler settings.
# Usage: bash scripts/check-packages.sh   (after `pnpm build`)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/packs" "$work/consumer"
pkgs=(tensor core-neuron tasks ei-rnn delay-snn attractor-models analysis data-io papers figures)
for p in "${pkgs[@]}"; do (cd "$root/packages/$p" && pnpm pack --pack-destination "$work/packs" >/dev/null); done
(cd "$root/apps/cli" && pnpm pack --pack-destination "$work/packs" >/dev/null)
(cd "$root/apps/viewer" && pnpm pack --pack-destination "$work/packs" >/dev/null)
cd "$work/consumer"
npm init -y >/dev/null
npm install --no-audit --no-fund --loglevel=error "$work"/packs/*.tgz @tensorflow/tfjs-core@4.22.0 typescript@5.9.3 @types/node@20 >/dev/null
entries=("${pkgs[@]}" data-io/node papers/node cli)
list=$(printf "'%s'," "${entries[@]}")
cat > esm.mjs <<JS
for (const n of [${list}]) { const m = await import('@wmkit/' + n); if (!Object.keys(m).length) throw new Error(n + ': no exports'); }
const { initBackend, Rng } = await import('@wmkit/tensor');
const info = await initBackend();
console.log('ESM import: ok (' + [${list}].length + ' entries), backend ' + info.name + ', first normal ' + new Rng(42).normal(1)[0].toFixed(6));
JS
node esm.mjs
cat > cjs.cjs <<JS
for (const n of [${list}]) { const m = require('@wmkit/' + n); if (!Object.keys(m).length) throw new Error(n + ': no exports'); }
const { initBackend, tf, matMul } = require('@wmkit/tensor');
initBackend('cpu').then((info) => {
  const g = tf.grad((x) => tf.sum(tf.sigmoid(matMul(x, x))))(tf.eye(2));
  console.log('CJS require: ok, backend ' + info.name + ', gradient ' + Array.from(g.dataSync()).map((v) => v.toFixed(3)).join(' '));
});
JS
node cjs.cjs
# the installed CLI finds the installed viewer's built files
node -e "const d = require('path').dirname(require.resolve('@wmkit/viewer/package.json')); require('fs').accessSync(d + '/dist/index.html'); console.log('viewer: dist/index.html installed')"
cat > types.ts <<'TS'
import { initBackend, Rng, type NDArray, type BackendInfo } from '@wmkit/tensor';
import { transfer } from '@wmkit/core-neuron';
import { timeline, type Task } from '@wmkit/tasks';
import * as eiRnn from '@wmkit/ei-rnn';
import * as delaySnn from '@wmkit/delay-snn';
import * as attractors from '@wmkit/attractor-models';
import { circularMean } from '@wmkit/analysis';
import { encodeNpy, type RunManifest } from '@wmkit/data-io';
import { RunDirectory } from '@wmkit/data-io/node';
import { main } from '@wmkit/cli';
const n: NDArray = { data: new Rng(1).normal(3), shape: [3] };
const bytes: Uint8Array = encodeNpy(n);
const x: number = circularMean([1, 2]);
let task: Task | undefined; let r: RunManifest | undefined; let i: BackendInfo | undefined;
const f: (argv?: string[]) => Promise<number> = main;
void [initBackend, transfer, timeline, eiRnn, delaySnn, attractors, bytes, x, task, r, i, RunDirectory, f];
TS
for mode in "NodeNext NodeNext" "CommonJS Node10" "ESNext Bundler"; do
  set -- $mode
  printf '{ "compilerOptions": { "strict": true, "module": "%s", "moduleResolution": "%s", "target": "ES2022", "noEmit": true, "skipLibCheck": true, "esModuleInterop": true, "types": ["node"] }, "files": ["types.ts"] }\n' "$1" "$2" > tsconfig.json
  npx tsc -p .
  echo "types (tsc module=$1, moduleResolution=$2): ok"
done
# a paper function from the installed @wmkit/papers, its worker threads included
cat > papers.mjs <<'JS'
import { simulateRingParallel } from '@wmkit/papers/node';
import { perrinet2026 } from '@wmkit/papers';
import { ringModel } from '@wmkit/attractor-models';
import { hdSnnPreset } from '@wmkit/delay-snn';
import { initBackend, initKernels } from '@wmkit/tensor';
await initBackend();
await initKernels();
const sim = await simulateRingParallel({ params: ringModel('bump'), seed: 1, trials: 4, delayMs: 200, workers: 2 });
const r = await perrinet2026({ config: { ...hdSnnPreset('perrinet2026.small'), N: 64, T: 120, M: 2, D: 10, train: { ...hdSnnPreset('perrinet2026.small').train, steps: 1 } } });
console.log(`@wmkit/papers: ${sim.trials} ring trials on 2 workers; perrinet2026 F1 ${r.final.scores.f1.toFixed(3)}`);
JS
node papers.mjs
echo "wmkit executable: $(./node_modules/.bin/wmkit --version)"
echo "tfjs-core copies installed: $(find node_modules -path '*/@tensorflow/tfjs-core/package.json' | wc -l)"
