#!/usr/bin/env bash
# The project's test command (README, .ci/run): sets up everything it needs
# on a fresh Debian bookworm machine with Node (root), then runs static
# checks and every test suite: unit, integration (GnuPG, HTTP on loopback,
# real kpatch-build) and end-to-end (the lab kernel booted in qemu).
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/setup.sh
npm run typecheck
npm run lint

# Tests get their own kernel/kpatch cache inside the checkout, so every run
# on a fresh clone really builds the kernel (a warm cache in $HOME would hide
# a broken cold path).
export LPCTL_CACHE_DIR="${LPCTL_CACHE_DIR:-$PWD/.cache/lpctl}"
npx vitest run "$@"
# The whole run (no arguments) also covers the other Node versions.
if [ $# -eq 0 ]; then bash scripts/test-node-versions.sh; fi
