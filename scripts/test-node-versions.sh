#!/usr/bin/env bash
# The Node versions beside the default one (scripts/test.sh runs it beside
# the main suite, once the kernels are prepared: the agent's image-build-id
# test reads them). The agent bundle's own checks already run under Node 18,
# 20, 22 and 24 (packages/lpctl/test/integration/agent/agent-bundle.test.ts runs each
# binary, so it is not run again here: under Node 24 it would only repeat
# what it does under the default). Here the tool's code runs under Node 24,
# the newest supported line: the unit suite and every integration suite
# except the builder's (it builds kernels and would double CI's time) and
# the .deb test (it installs into this machine and runs once, under the
# default): the forge, the app, the publisher, the agent, the CLI and I/O.
# Needs the binaries scripts/install-build-deps.sh puts in $LPCTL_NODE_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_DIR="${LPCTL_NODE_DIR:-/opt/livepatch-gitops/node}"
node24="$NODE_DIR/24/bin/node"
if [ ! -x "$node24" ]; then
  echo "test-node-versions: $node24 missing: run scripts/install-build-deps.sh" >&2
  exit 1
fi
echo "test-node-versions: unit and integration suites (not the builder's) under $("$node24" --version)"
PATH="$NODE_DIR/24/bin:$PATH" npx vitest run --project unit
# The forge runner's tests run workflows that pin `node-version: 20`: its
# setup-node refuses another Node, as GitHub's would install 20 instead.
PATH="$NODE_DIR/24/bin:$PATH" npx vitest run --project integration \
  --exclude 'packages/lpctl/test/integration/builder/**' \
  --exclude packages/lpctl/test/integration/agent/deb-package.test.ts \
  --exclude packages/lpctl/test/integration/agent/agent-bundle.test.ts \
  --exclude 'packages/forge/test/integration/runner/**'
