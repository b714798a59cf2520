#!/usr/bin/env bash
# Regenerates Tests/TemplatingTests/Fixtures/{handlebars-corpus,mustache-spec-handlebars,
# handlebars-spec-partials}.json from the real handlebars.js: Debian's libjs-handlebars (4.7.7)
# under node. Installs both when missing. Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v node >/dev/null || missing+=(nodejs)
[ -f /usr/share/javascript/handlebars/handlebars.js ] || missing+=(libjs-handlebars)
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "==> installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
exec python3 scripts/gen-templating-fixtures.py "$@"
