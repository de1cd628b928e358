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
# What the forge's conformance checks validated, for the coverage table check.
LPCTL_FORGE_COVERAGE_DIR="$(mktemp -d)"
export LPCTL_FORGE_COVERAGE_DIR
trap 'rm -rf "$LPCTL_FORGE_COVERAGE_DIR"' EXIT
# The whole run prepares the lab kernel (the shared cold build, 5-9 minutes
# on 2 cores) before any test starts: no test timeout sits around it, so a
# busy machine slows the run down instead of failing it. A cold path that
# breaks still fails the run, here.
# Debian's cloud kernel (an image: target, nothing compiled: 3-6 minutes
# cold, mostly unpacking) is prepared the same way for its tests.
if [ $# -eq 0 ]; then
  node packages/lpctl/dist/cli/main.js kernel prepare --target debian-6.1-lab --repo . --cache "$LPCTL_CACHE_DIR"
  node packages/lpctl/dist/cli/main.js kernel prepare --target debian-12-cloud-amd64 --repo . --cache "$LPCTL_CACHE_DIR"
fi
npx vitest run "$@"
# The whole run (no arguments) also covers the other Node versions, and
# checks that docs/forge.md lists only operations some test validated.
if [ $# -eq 0 ]; then
  bash scripts/test-node-versions.sh
  node scripts/forge-coverage.mjs --check --records "$LPCTL_FORGE_COVERAGE_DIR"
fi
