#!/usr/bin/env bash
# Install the Debian packages Gerbang needs when they are missing.
#   scripts/system-deps.sh run    gettext (to compile the translation catalogues), pango, harfbuzz-subset and
#                                 fonts (weasyprint renders PDFs with them), the PostgreSQL client tools
#                                 (pg_dump and pg_restore: `manage.py backup` on PostgreSQL)
#   scripts/system-deps.sh test   the above plus chromium (end-to-end browser tests), npm
#                                 (axe-core, the accessibility checker the browser tests inject) and
#                                 poppler-utils (pdftotext: where the text of a generated PDF lies)
set -eu
want=(gettext postgresql-client)
check=(msgfmt pg_dump)
if [ "${1:-run}" = "test" ]; then
  want+=(chromium npm poppler-utils)
  check+=(chromium npm pdftotext)
fi
missing=()
for i in "${!want[@]}"; do
  command -v "${check[$i]}" >/dev/null 2>&1 || missing+=("${want[$i]}")
done
# Libraries without a command: ask dpkg.
for package in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing system packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "Please install these Debian/Ubuntu packages as root: ${missing[*]}" >&2; exit 1
  fi
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
