# Sourced by main.sh and test.sh: the set-up both need on a fresh Debian
# bookworm machine with Node (root). Installs the build dependencies and
# kpatch-build, puts kpatch-build on PATH, installs the npm dependencies
# exactly as locked, and compiles the CLI.
bash scripts/install-build-deps.sh
export PATH="${LPCTL_TOOLS_DIR:-/opt/livepatch-gitops/tools}/usr/bin:$PATH"
npm ci --no-audit --no-fund
npm run build
