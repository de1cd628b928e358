# Sourced by main.sh, demo.sh and test.sh: the set-up they need on a fresh
# Debian bookworm machine with Node (root). Installs the build dependencies
# and kpatch-build, puts kpatch-build on PATH, installs the npm dependencies
# exactly as locked, and compiles the CLI.
bash scripts/install-build-deps.sh
export PATH="${LPCTL_TOOLS_DIR:-/opt/livepatch-gitops/tools}/usr/bin:$PATH"
# npm ci deletes and reinstalls node_modules (~30 s); skip it when the last
# npm ci here installed this very lockfile.
lock_sum=$(sha256sum package-lock.json | cut -c1-64)
if [ -d node_modules ] && [ "$(cat node_modules/.lpctl-lockfile-sha256 2>/dev/null)" = "$lock_sum" ]; then
  echo "setup: node_modules already installed from this package-lock.json"
else
  npm ci --no-audit --no-fund
  echo "$lock_sum" >node_modules/.lpctl-lockfile-sha256
fi
# Incremental (tsconfig.build.json keeps its state in dist/): seconds when little changed.
npm run build
