#!/usr/bin/env bash
# The project's test command (README, .ci/run): sets up everything it needs
# on a fresh Debian bookworm machine with Node (root), then runs static
# checks and every test suite: unit, integration (GnuPG, HTTP on loopback,
# real kpatch-build) and end-to-end (the lab kernel booted in qemu).
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/setup.sh

# Tests get their own kernel/kpatch cache inside the checkout, so every run
# on a fresh clone really builds the kernel (a warm cache in $HOME would hide
# a broken cold path).
export LPCTL_CACHE_DIR="${LPCTL_CACHE_DIR:-$PWD/.cache/lpctl}"
# What the forge's conformance checks validated, for the coverage table check.
LPCTL_FORGE_COVERAGE_DIR="$(mktemp -d)"
export LPCTL_FORGE_COVERAGE_DIR
node24_log="$(mktemp)"
# What runs beside the main steps runs in its own process group (setsid):
# a step that fails ends the run, and the group with everything it started.
trap 'for p in $(jobs -p); do kill -- "-$p" 2>/dev/null || true; done
  rm -rf "$LPCTL_FORGE_COVERAGE_DIR" "$node24_log"' EXIT

# The whole run (no arguments) prepares both kernels its tests use before
# any test starts: no test timeout sits around them, so a busy machine slows
# the run down instead of failing it, and a cold path that breaks still
# fails the run, here. The lab kernel is the shared cold build (5-9 minutes
# on 2 cores, mostly compiling); Debian's cloud kernel (an image: target,
# nothing compiled: 3-6 minutes, ~90 s of CPU) mostly waits on the network
# and the disk. They run side by side, and beside the static checks (one
# core each), each line prefixed with its target (bench/README.md, "The
# test run").
prepare() {
  exec setsid node packages/lpctl/dist/cli/main.js kernel prepare --target "$1" --repo . --cache "$LPCTL_CACHE_DIR" \
    > >(sed -u "s/^/[$1] /") 2>&1
}
if [ $# -eq 0 ]; then
  prepare debian-6.1-lab &
  lab=$!
  prepare debian-12-cloud-amd64 &
  cloud=$!
fi
npm run typecheck
npm run lint
if [ $# -eq 0 ]; then
  wait "$lab"
  wait "$cloud"
fi
# Each phase's end, in seconds since the start: the breakdown of CI's time.
echo "test.sh: set-up, static checks and kernels done at ${SECONDS} s"

# The whole run also covers the other Node versions: that pass (no kernel
# builds, no VM) runs beside the main one, whose files often leave a core
# idle (waiting on qemu, HTTP, gpg or the disk); its output follows the
# main run's.
if [ $# -eq 0 ]; then
  setsid bash scripts/test-node-versions.sh >"$node24_log" 2>&1 &
  node24=$!
fi
status=0
npx vitest run "$@" || status=$?
echo "test.sh: main run done at ${SECONDS} s"
if [ $# -eq 0 ]; then
  wait "$node24" || status=$?
  echo "test.sh: Node 24 pass done at ${SECONDS} s (its output follows)"
  cat "$node24_log"
  # docs/forge.md lists only operations some test validated.
  [ "$status" -ne 0 ] || node scripts/forge-coverage.mjs --check --records "$LPCTL_FORGE_COVERAGE_DIR"
fi
exit "$status"
