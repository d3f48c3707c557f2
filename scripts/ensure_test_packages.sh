#!/usr/bin/env bash
# Installs each Debian package the tests use that is missing (installing needs root and
# Debian's package registry): Chromium for the browser tests, pdftotext for reading the PDFs
# back, and the DejaVu fonts the report PDF is typeset in (reporting/typst/report.typ).
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
has_library() { /sbin/ldconfig -p | grep -q "$1"; }

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} for the tests"
  as_root apt-get update -qq && as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi
