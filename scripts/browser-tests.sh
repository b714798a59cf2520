#!/usr/bin/env bash
# The console's browser tests: real headless Chromium (Debian's chromium + chromium-driver)
# driven by Selenium against the real promptsmith binary on SQLite in a temp folder, with the
# trackers faked by Tests/browser/fake_jira.py and Atlassian's OAuth server and API gateway by
# Tests/browser/fake_atlassian.py, both on loopback (the outbound policy allows 127.0.0.1 only).
# Installs what is missing; uses PROMPTSMITH_BIN when given, else builds the promptsmith product
# like scripts/serve-binary.sh (SWIFT_BUILD_FLAGS passes through). The pytest session starts the
# fakes and the server, and stops them. Screenshots go to
# BROWSER_SCREENSHOTS (a temp folder by default). Extra arguments go to pytest (-k, -x, …).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh

ensure_debian_packages chromium chromium-driver python3-venv
if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv
fi
.venv/bin/pip install -q --disable-pip-version-check selenium==4.51.0 axe-selenium-python==2.1.6 pytest==9.2.0

if [[ -z "${PROMPTSMITH_BIN:-}" ]]; then
  # shellcheck disable=SC2086
  swift build ${SWIFT_BUILD_FLAGS:-} --product promptsmith >/dev/null 2>&1
  PROMPTSMITH_BIN="$(swift build ${SWIFT_BUILD_FLAGS:-} --show-bin-path)/promptsmith"
fi
export PROMPTSMITH_BIN
export BROWSER_SCREENSHOTS="${BROWSER_SCREENSHOTS:-$(mktemp -d /tmp/promptsmith-screenshots.XXXXXX)}"
echo "   chromium $(chromium --version 2>/dev/null | awk '{print $2}'), binary $PROMPTSMITH_BIN"

export PYTHONDONTWRITEBYTECODE=1
status=0
timeout 480 .venv/bin/python -m pytest Tests/browser -p no:cacheprovider -q -rfE --tb=short "$@" || status=$?
echo "   screenshots in $BROWSER_SCREENSHOTS"
if ((status != 0)); then
  echo "FAIL: browser tests failed (exit status $status)" >&2
  exit 1
fi
