#!/usr/bin/env bash
# Regenerates Tests/TemplatingTests/Fixtures/{handlebars-corpus,mustache-spec-handlebars}.json
# from handlebars.js 4.7.8 (PyPI `handlebars`). Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if ! .venv/bin/python -c 'import handlebars' 2>/dev/null; then
  .venv/bin/pip install --quiet 'handlebars==4.7.8.post20241027'
fi
exec .venv/bin/python scripts/gen-templating-fixtures.py "$@"
