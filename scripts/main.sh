#!/usr/bin/env bash
# The project's main job (README): on a fresh Debian bookworm machine with
# Node, as root, run the whole local loop over this repository the way CI
# and the app do it for a merged pull request:
#   validate + lint  →  build the cumulative module per kernel target with
#   kpatch-build and boot-test it in qemu  →  sign and publish a release into
#   a mirror directory  →  verify it as a host would.
# Outputs go to .cache/demo/ (mirror/, keys/, out/); kernels are cached in
# $LPCTL_CACHE_DIR (default ~/.cache/livepatch-gitops), so a second run only
# rebuilds what changed. Read-only with respect to kernels/ and patches/.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/setup.sh

lpctl() { node packages/lpctl/dist/cli/main.js "$@"; }
demo=.cache/demo
mkdir -p "$demo/out" "$demo/keys"

echo "== lpctl validate"
lpctl validate --repo .

shopt -s nullglob
patch_files=(patches/*/*.patch)
echo "== lpctl lint (${#patch_files[@]} patch files)"
lpctl lint "${patch_files[@]}"

echo "== lpctl doctor"
lpctl doctor

# Module names carry the manifest version this run will publish, so a host
# can hold the old and the new module during the replace transition.
version=1
if [ -f "$demo/mirror/manifest.json" ]; then
  version=$(($(node -p "JSON.parse(require('fs').readFileSync('$demo/mirror/manifest.json','utf8')).version") + 1))
fi

# Provenance the publisher checks: every report must name this commit.
commit=$(git rev-parse HEAD)
source_flags=(--source-repository local/livepatch-gitops --source-commit "$commit"
  --source-ref "$(git symbolic-ref -q HEAD || echo HEAD)" --source-event local
  --source-run "local-$version")

reports=()
for target_dir in kernels/*/; do
  target=$(basename "$target_dir")
  echo "== lpctl build --target $target --serial $version --vm-test"
  rm -rf "${demo:?}/out/$target"
  lpctl build --target "$target" --serial "$version" --out "$demo/out/$target" --vm-test \
    "${source_flags[@]}"
  reports+=("$demo/out/$target")
done

if [ ! -f "$demo/keys/signing-key.asc" ]; then
  echo "== lpctl keygen (demo key, kept in $demo/keys; use your own offline key for real releases)"
  lpctl keygen --name "livepatch-gitops demo" --out "$demo/keys"
fi

echo "== lpctl publish --to $demo/mirror"
from=()
[ -f "$demo/mirror/manifest.json" ] && from=(--from "$demo/mirror")
lpctl publish --reports "${reports[@]}" --key "$demo/keys/signing-key.asc" \
  --repository local/livepatch-gitops --expect-commit "$commit" \
  --to "$demo/mirror" "${from[@]}"

echo "== lpctl verify (as a host: pinned public key)"
lpctl verify --manifest "$demo/mirror/manifest.json" --key "$demo/keys/signing-key.pub.asc"
for m in "$demo"/mirror/kernel-*.json; do
  lpctl verify --manifest "$m" --key "$demo/keys/signing-key.pub.asc"
done
echo "== done: hosts can sync from file://$PWD/$demo/mirror/ (see docs/operating-hosts.md)"
