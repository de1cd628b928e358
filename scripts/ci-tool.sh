#!/bin/bash
# Installs this checkout's lpctl for a workflow job: `npm ci` and `npm run
# build`. On a runner with a tool cache (RUNNER_TOOL_CACHE, which GitHub's
# runners set and setup-node uses the same way) the result is kept under a
# key made of every tracked file it is built from, and a later job at the
# same sources links node_modules and copies dist/ instead of ~50 s of
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

key=$(git ls-files -s -- package.json package-lock.json tsconfig.json tsconfig.build.json \
	src scripts/bundle-actions.mjs | sha256sum | cut -c1-32)
entry="$RUNNER_TOOL_CACHE/lpctl/$key"
if [ -f "$entry/complete" ]; then
	echo "lpctl: reusing the build of these sources from $entry"
	rm -rf node_modules dist
	ln -s "$entry/node_modules" node_modules
	cp -r "$entry/dist" dist
	exit 0
fi

install_here
tmp="$entry.tmp-$$"
mkdir -p "$tmp"
cp -a node_modules dist "$tmp/"
touch "$tmp/complete"
# Another job may have finished the same entry first: theirs is as good.
mv -T "$tmp" "$entry" 2>/dev/null || rm -rf "$tmp"
echo "lpctl: kept this build in $entry"
