#!/bin/bash
# npm run demo [-- --keep]: the whole pull-request loop on this machine
# (docs/tutorial.md walks through the same steps by hand). Set-up first:
# system packages and kpatch-build, npm ci, the build, the host agent bundle;
# then packages/demo/dist/main.js, which prepares Debian's cloud kernel target through the
# cache (downloads and a configured source tree; no kernel is compiled).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh >&2
node packages/lpctl/scripts/build-agent-bundle.mjs >/dev/null
exec node packages/demo/dist/main.js "$@"
