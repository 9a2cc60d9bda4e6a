#!/usr/bin/env bash
# Runs each paper's reduced reproduction into one folder, so a refactor can be checked to change
# no result: run it before and after, then compare the two folders with
#   node scripts/compare-runs.mjs <before> <after>
# (run.json metrics and every .npy array, byte for byte). Needs a build (pnpm build).
#   bash scripts/reduced-reproductions.sh <out-folder>
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:?usage: reduced-reproductions.sh <out-folder>}"
mkdir -p "$out"
w() { node "$root/apps/cli/dist/bin.js" "$@" >>"$out/log.txt" 2>&1 || { echo "failed: wmkit $*" >&2; tail -5 "$out/log.txt" >&2; exit 1; }; }
echo "== kim2021: a small model (N 40, 300 trials), then the reproduction on it"
printf '{"model":{"N":40},"train":{"maxTrials":300,"evalTrials":20}}' >"$out/kim-small.json"
w train ei-rnn --preset kim2021.dms --seed 3 --config "$out/kim-small.json" --out "$out/kim2021.models/seed-3"
w reproduce kim2021 --out "$out/kim2021" --seeds 1 --seed 3 --trials 4 --timescale-trials 6 --workers 1 --tasks dms,afc --cross-temporal-trials 2 --subgroup-trials 4 --subgroup-controls 2 --retrain-max-trials 100 --retrain-grid 40 --retrain-trials 2
echo "== wimmer2014"
w reproduce wimmer2014 --trials 1632 --delay 1000 --permutations 20 --workers 2 --out "$out/wimmer2014"
echo "== perrinet2026"
w train delay-snn --preset perrinet2026.small --seed 1 --out "$out/perrinet2026"
echo "== kriener2020"
w reproduce kriener2020 --sizes 2,8,64 --trials 20 --wta-trials 4 --workers 2 --out "$out/kriener2020"
echo "== foldiak1990"
w reproduce foldiak1990 --seeds 3 --presentations 2000 --out "$out/foldiak1990"
echo "== kurtkaya2025"
w reproduce kurtkaya2025 --lrs 0.1,0.03 --delays 0,100 --seeds 1 --trials-per-cue 2 --workers 2 --out "$out/kurtkaya2025"
echo "== compte2000"
w reproduce compte2000 --size 256 --trials 4 --distractor-trials 1 --amps 0.2 --distances 90 --delay 1000 --workers 2 --out "$out/compte2000"
echo "done: $out"
