#!/usr/bin/env bash
# Debian packages the test suite needs beside Python: Chromium (and fonts) for the browser
# tests — never a browser downloaded by Playwright — and GNU gettext for the translation
# catalogues. Safe to run again; does nothing when everything is there. Without root or sudo
# it only says what is missing.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -q DejaVuSans || missing+=(fonts-dejavu-core fonts-liberation)
command -v msgfmt >/dev/null || missing+=(gettext)
# WeasyPrint (PDF reports) draws text with Pango
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo"; else
    echo "system-packages: missing ${missing[*]} (install them with apt-get as root)" >&2
    exit 0
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
