#!/bin/bash
# Installs this checkout's lpctl for a workflow job: `npm ci` and `npm run
# build`. On a runner with a tool cache (RUNNER_TOOL_CACHE, which GitHub's
# runners set and setup-node uses the same way) the result is kept under a
# key made of every tracked file it is built from, and a later job at the
# same sources links node_modules and copies the packages' dist/ instead of ~50 s of
# install and compile. A change to any of those files is a new key, so a
# job never runs a build of other sources. Like the kernel cache, a shared
# tool cache must only be writable by jobs you trust (docs/building.md).
set -euo pipefail

install_here() {
	npm ci --no-audit --no-fund
	npm run build
}

if [ -z "${RUNNER_TOOL_CACHE:-}" ]; then
	install_here
	exit 0
fi

PACKAGES="lpctl forge app demo"
key=$(git ls-files -s -- package.json package-lock.json tsconfig.json \
	$(for p in $PACKAGES; do echo "packages/$p/package.json packages/$p/tsconfig.build.json packages/$p/src packages/$p/scripts"; done) |
	sha256sum | cut -c1-32)
entry="$RUNNER_TOOL_CACHE/lpctl/$key"
if [ -f "$entry/complete" ]; then
	echo "lpctl: reusing the build of these sources from $entry"
	rm -rf node_modules
	# Each installed package links to the cache; the workspace packages
	# (relative links to ../../packages/<pkg>) link to this checkout's.
	mkdir node_modules
	for e in "$entry/node_modules"/* "$entry/node_modules"/.[!.]*; do
		[ -e "$e" ] && ln -s "$e" node_modules/
	done
	rm node_modules/@livepatch-gitops
	cp -a "$entry/node_modules/@livepatch-gitops" node_modules/
	for p in $PACKAGES; do
		rm -rf "packages/$p/dist"
		cp -r "$entry/$p-dist" "packages/$p/dist"
	done
	exit 0
fi

install_here
tmp="$entry.tmp-$$"
mkdir -p "$tmp"
cp -a node_modules "$tmp/"
for p in $PACKAGES; do cp -a "packages/$p/dist" "$tmp/$p-dist"; done
touch "$tmp/complete"
# Another job may have finished the same entry first: theirs is as good.
mv -T "$tmp" "$entry" 2>/dev/null || rm -rf "$tmp"
echo "lpctl: kept this build in $entry"
