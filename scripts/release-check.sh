#!/usr/bin/env bash
# Can this tree be released? `changeset status` (every changed package has a changeset, the
# config is valid) against main — or origin/main in a clone that has no local main — then
# `npm publish --dry-run` for every public package: pnpm packs each one (replacing workspace:
# ranges by versions) and hands the tarball to npm, which checks it without uploading.
# Usage: bash scripts/release-check.sh   (after `pnpm build`)
set -euo pipefail
cd "$(dirname "$0")/.."
base=main
git rev-parse -q --verify "$base" >/dev/null || base=origin/main
git rev-parse -q --verify "$base" >/dev/null || base=HEAD
pnpm() { if type -P pnpm >/dev/null; then command pnpm "$@"; else npx -y pnpm@10 "$@"; fi; }
pnpm changeset status --since="$base"
# private packages (bench) are skipped; npm's notices list each tarball's files
pnpm -r publish --dry-run --no-git-checks 2>&1 | grep -E '^\+ |ERR!'
