#!/usr/bin/env bash
# Builds lpctl-agent_<version>_all.deb: the single-file host agent as
# /usr/bin/lpctl, the systemd units, a commented default configuration and
# the host documentation. Built with dpkg-deb (no debhelper: the package is
# one script and a few text files) and checked with lintian, which must
# report no error.
# Usage: scripts/build-deb.sh [OUT_DIR]   (default packages/lpctl/dist/)
# Environment: DEB_MAINTAINER (default the last commit's author), SOURCE_DATE_EPOCH
#   (default the last commit's time: the same commit gives the same bytes).
set -euo pipefail
cd "$(dirname "$0")/.."

out_dir=$(realpath -m "${1:-packages/lpctl/dist}")
version=$(node -p 'require("./packages/lpctl/package.json").version')
# The package's maintainer: who made the release commit, unless told.
maintainer="${DEB_MAINTAINER:-$(git log -1 --format='%an <%ae>')}"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"
deb="$out_dir/lpctl-agent_${version}_all.deb"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pkg="$work/pkg"
doc="$pkg/usr/share/doc/lpctl-agent"
mkdir -p "$pkg/DEBIAN" "$pkg/usr/bin" "$pkg/usr/lib/lpctl-agent" "$pkg/lib/systemd/system" \
  "$pkg/etc/lpctl/keys" "$doc" "$pkg/usr/share/man/man1"

# The agent: Debian's node is /usr/bin/node (policy: no /usr/bin/env in scripts).
LPCTL_BUNDLE_PACKAGES="$work/packages.json" node packages/lpctl/scripts/build-agent-bundle.mjs "$work/lpctl-agent.cjs" >/dev/null
{
  echo '#!/usr/bin/node'
  tail -n +2 "$work/lpctl-agent.cjs"
} >"$pkg/usr/lib/lpctl-agent/lpctl-agent.cjs"
chmod 0755 "$pkg/usr/lib/lpctl-agent/lpctl-agent.cjs"
ln -s ../lib/lpctl-agent/lpctl-agent.cjs "$pkg/usr/bin/lpctl"

install -m 0644 packages/lpctl/contrib/systemd/lpctl-sync.service packages/lpctl/contrib/systemd/lpctl-sync.timer packages/lpctl/contrib/systemd/lpctl-boot.service \
  "$pkg/lib/systemd/system/"
install -m 0644 packaging/deb/config.yaml "$pkg/etc/lpctl/config.yaml"
chmod 0755 "$pkg/etc/lpctl" "$pkg/etc/lpctl/keys"
install -m 0644 docs/operating-hosts.md "$doc/operating-hosts.md"
node scripts/deb-copyright.mjs "$work/packages.json" "$doc/copyright"
chmod 0644 "$doc/copyright"

# A native package's changelog: one entry for this version.
date_r=$(date -u -R -d "@$SOURCE_DATE_EPOCH")
cat >"$work/changelog" <<CHANGELOG
lpctl-agent ($version) unstable; urgency=medium

  * Release $version of the livepatch-gitops host agent.

 -- $maintainer  $date_r
CHANGELOG
gzip -9n -c "$work/changelog" >"$doc/changelog.gz"

# The man page: the agent's own --help, so it cannot drift from the code.
help=$(node "$work/lpctl-agent.cjs" --help | sed -e 's/\\/\\e/g' -e 's/^\./\\\&./')
man_date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)
cat >"$work/lpctl.1" <<MAN
.TH LPCTL 1 "$man_date" "lpctl $version" "User Commands"
.SH NAME
lpctl \\- apply signed kernel live patches (livepatch-gitops host agent)
.SH SYNOPSIS
.B lpctl
.RI [ options ] " command " [ options ]
.SH DESCRIPTION
.nf
$help
.fi
.SH FILES
/etc/lpctl/config.yaml, /var/lib/lpctl, lpctl-sync.timer, lpctl-boot.service
.SH SEE ALSO
/usr/share/doc/lpctl-agent/operating-hosts.md
MAN
gzip -9n -c "$work/lpctl.1" >"$pkg/usr/share/man/man1/lpctl.1.gz"
chmod 0644 "$pkg/usr/share/man/man1/lpctl.1.gz" "$doc/changelog.gz"

for script in postinst prerm postrm; do
  install -m 0755 "packaging/deb/$script" "$pkg/DEBIAN/$script"
done
echo /etc/lpctl/config.yaml >"$pkg/DEBIAN/conffiles"
size=$(du -k -s --apparent-size "$pkg" --exclude=DEBIAN | cut -f1)
sed -e "s|@VERSION@|$version|" -e "s|@MAINTAINER@|$maintainer|" \
  -e "s|@INSTALLED_SIZE@|$size|" \
  packaging/deb/control.in >"$pkg/DEBIAN/control"
(cd "$pkg" && find . -type f ! -path './DEBIAN/*' ! -path './etc/*' -printf '%P\0' | sort -z |
  xargs -0 md5sum) >"$pkg/DEBIAN/md5sums"
chmod 0644 "$pkg/DEBIAN/control" "$pkg/DEBIAN/conffiles" "$pkg/DEBIAN/md5sums"

# Same commit, same bytes: every mtime is the commit's.
find "$pkg" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
mkdir -p "$out_dir"
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$deb" >/dev/null
echo "built $deb ($(stat -c %s "$deb") bytes)"

if [ "${LPCTL_DEB_LINT:-1}" = 1 ]; then
  # --fail-on error: warnings are reported, errors fail the build.
  lintian --fail-on error --tag-display-limit 0 --display-info "$deb"
fi
