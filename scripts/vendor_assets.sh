#!/usr/bin/env bash
# Vendors GOV.UK Frontend and axe-core into static/vendor so nothing is fetched at run time.
# Run only to upgrade them: the vendored files are committed.
set -euo pipefail
GOVUK_FRONTEND_VERSION=5.14.0
AXE_CORE_VERSION=4.10.3
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "govuk-frontend@$GOVUK_FRONTEND_VERSION" "axe-core@$AXE_CORE_VERSION" >/dev/null
mkdir govuk axe
tar xzf "govuk-frontend-$GOVUK_FRONTEND_VERSION.tgz" -C govuk
tar xzf "axe-core-$AXE_CORE_VERSION.tgz" -C axe

dest="$here/static/vendor/govuk-frontend"
rm -rf "$dest" && mkdir -p "$dest/images"
dist=govuk/package/dist/govuk
cp "$dist/govuk-frontend.min.js" "$dest/"
cp "$dist/assets/images/"{favicon.ico,favicon.svg,govuk-crest.svg} "$dest/images/"
# A council service is not on GOV.UK: drop the GDS Transport font faces and fall back to Arial.
python3 - "$dist/govuk-frontend.min.css" "$dest/govuk-frontend.min.css" <<'PY'
import re, sys
css = open(sys.argv[1], encoding="utf-8").read()
css = re.sub(r"@font-face\{[^}]*\}", "", css)
css = css.replace("font-family:GDS Transport,arial,sans-serif", "font-family:arial,sans-serif")
css = css.replace("font-family:GDS Transport", "font-family:arial,sans-serif")
css = css.replace("url(/assets/images/", "url(images/")
css = re.sub(r"/\*# sourceMappingURL=.*?\*/", "", css)
assert "GDS Transport" not in css and "/assets/" not in css
open(sys.argv[2], "w", encoding="utf-8").write(css)
PY
sed -i 's#//\# sourceMappingURL=.*##' "$dest/govuk-frontend.min.js"
echo "$GOVUK_FRONTEND_VERSION" > "$dest/VERSION"

mkdir -p "$here/static/vendor/axe-core"
cp axe/package/axe.min.js "$here/static/vendor/axe-core/axe.min.js"
echo "$AXE_CORE_VERSION" > "$here/static/vendor/axe-core/VERSION"
echo "Vendored govuk-frontend $GOVUK_FRONTEND_VERSION and axe-core $AXE_CORE_VERSION"
