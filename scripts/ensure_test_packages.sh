#!/usr/bin/env bash
# Installs each Debian package the tests use that is missing (installing needs root and
# Debian's package registry): Chromium for the browser tests, pdftotext for reading the PDFs
# back, and the Pango libraries WeasyPrint renders PDFs with (they bring fontconfig and fonts).
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
has_library() { /sbin/ldconfig -p | grep -q "$1"; }

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
has_library libpango-1.0.so.0 || missing+=(libpango-1.0-0)
has_library libpangoft2-1.0.so.0 || missing+=(libpangoft2-1.0-0)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} for the tests"
  as_root apt-get update -qq && as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi
