#!/usr/bin/env bash
# The project's test command (README, .ci/run): sets up everything it needs
# on a fresh Debian bookworm machine with Node (root), then runs static
# checks and every test suite: unit, integration (GnuPG, HTTP on loopback,
# real kpatch-build) and end-to-end (the lab kernel booted in qemu).
set -euo pipefail
cd "$(dirname "$0")/.."

# Each phase's end: seconds since the start, and how busy the machine's
# cores were since the last mark (/proc/stat; CPU-s summed over cores), so
# CI's output shows where the time goes and whether a phase left cores idle.
cpu_mark() {
  local _ u n s i w q sq st busy total
  read -r _ u n s i w q sq st _ </proc/stat
  busy=$((u + n + s + q + sq + st))
  total=$((busy + i + w))
  # No tick between two marks (one phase ended right after another): no share.
  if [ -n "${cpu_busy:-}" ] && [ "$total" -gt "$cpu_total" ]; then
    echo "test.sh: $1 at ${SECONDS} s; cores $((100 * (busy - cpu_busy) / (total - cpu_total)))% busy since the last mark ($(((busy - cpu_busy) / 100)) CPU-s)"
  else
    echo "test.sh: $1 at ${SECONDS} s"
  fi
  cpu_busy=$busy
  cpu_total=$total
}
cpu_mark "start"

source scripts/setup.sh
cpu_mark "set-up done"

# Tests get their own kernel/kpatch cache inside the checkout, so every run
# on a fresh clone really builds the kernel (a warm cache in $HOME would hide
# a broken cold path).
export LPCTL_CACHE_DIR="${LPCTL_CACHE_DIR:-$PWD/.cache/lpctl}"
# What the forge's conformance checks validated, for the coverage table check.
LPCTL_FORGE_COVERAGE_DIR="$(mktemp -d)"
export LPCTL_FORGE_COVERAGE_DIR
node24_log="$(mktemp)"
static_log="$(mktemp)"
# What runs beside the main steps runs in its own process group (setsid):
# a step that fails ends the run, and the group with everything it started.
trap 'for p in $(jobs -p); do kill -- "-$p" 2>/dev/null || true; done
  rm -rf "$LPCTL_FORGE_COVERAGE_DIR" "$node24_log" "$static_log"' EXIT

# The whole run (no arguments) prepares both kernels its tests use before
# any test starts: no test timeout sits around them, so a busy machine slows
# the run down instead of failing it, and a cold path that breaks still
# fails the run, here. The lab kernel is the shared cold build (5-9 minutes
# on 2 cores, mostly compiling) and the longest step before the tests;
# Debian's cloud kernel (an image: target, nothing compiled: 2-6 minutes,
# ~95 s of CPU) mostly waits on the network and decompresses .debs. They run
# side by side, beside the static checks, each line prefixed with its target
# (bench/README.md, "The test run").
#
# Each of the three runs in its own session, and Linux shares the cores
# between sessions (autogroups) before it looks at processes: at equal
# priority the lab build's two compilers got a third of the machine while
# the other two ran. So the cloud kernel and the static checks run at a
# lower priority (their session's autogroup nice, /proc/PID/autogroup, and
# nice for a kernel without autogroups), on what the lab build leaves idle
# and a tenth of the rest. The static checks (about 125 s of CPU) need no
# kernel and hold no test back: they go on beside the tests, still at that
# priority, and their output follows the tests'.
in_session() {
  local level="$1"
  shift
  exec setsid bash -c 'echo "$0" >/proc/self/autogroup 2>/dev/null || true; exec nice -n "$0" "$@"' "$level" "$@"
}
prepare() {
  in_session "$2" node packages/lpctl/dist/cli/main.js kernel prepare --target "$1" --repo . --cache "$LPCTL_CACHE_DIR" \
    > >(sed -u "s/^/[$1] /") 2>&1
}
if [ $# -eq 0 ]; then
  prepare debian-6.1-lab 0 &
  lab=$!
  prepare debian-12-cloud-amd64 10 &
  cloud=$!
  (in_session 10 bash -c 'npm run typecheck && npm run lint' >"$static_log" 2>&1) &
  static=$!
  wait "$lab"
  wait "$cloud"
else
  npm run typecheck
  npm run lint
fi
cpu_mark "kernels prepared"

# The whole run also covers the other Node versions: that pass (no kernel
# builds, no VM) runs beside the main one, whose files leave the cores idle
# for a good part of their time (waiting on qemu, HTTP, gpg, the forge's
# workflow runs or the disk: the timing report's CPU column against wall);
# its output follows the main run's.
if [ $# -eq 0 ]; then
  setsid bash scripts/test-node-versions.sh >"$node24_log" 2>&1 &
  node24=$!
fi
status=0
npx vitest run "$@" || status=$?
cpu_mark "main run done"
if [ $# -eq 0 ]; then
  wait "$node24" || status=$?
  cpu_mark "Node 24 pass done"
  wait "$static" || status=$?
  cpu_mark "static checks done (their output and the Node 24 pass's follow)"
  cat "$static_log" "$node24_log"
  # docs/forge.md lists only operations some test validated.
  [ "$status" -ne 0 ] || node scripts/forge-coverage.mjs --check --records "$LPCTL_FORGE_COVERAGE_DIR"
fi
exit "$status"
