#!/usr/bin/env bash
# The project's main job (README): on a fresh Debian bookworm machine with
# Node, set up the tool and check this repository's own kernel targets and
# patches the way CI checks a pull request: validate the repository model,
# then lint every patch. Read-only with respect to kernels/ and patches/.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund
npm run build

lpctl() { node dist/cli/main.js "$@"; }

echo "== lpctl validate"
lpctl validate --repo .

shopt -s nullglob
patch_files=(patches/*/*.patch)
if [ ${#patch_files[@]} -gt 0 ]; then
  echo "== lpctl lint (${#patch_files[@]} patch files)"
  lpctl lint "${patch_files[@]}"
fi
