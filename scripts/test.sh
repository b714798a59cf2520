#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what is missing, starts a throwaway
# PostgreSQL, runs every test on SQLite and PostgreSQL with coverage (fails below 80% of our
# own lines), lints the formatting, validates the OpenAPI document and smoke-tests the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh
source scripts/clamd.sh
trap 'stop_services; stop_output_services' EXIT

ensure_debian_packages curl python3-venv
if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv
fi
.venv/bin/pip install -q --disable-pip-version-check openapi-spec-validator==0.7.1

echo "==> validating openapi.yaml"
.venv/bin/openapi-spec-validator Sources/App/Resources/openapi.yaml

echo "==> swift format lint --strict"
swift format lint --strict --recursive Package.swift Sources Tests

echo "==> PostgreSQL point-in-time recovery (scripts/pitr-check.sh)"
scripts/pitr-check.sh

start_postgres
# The outputs tests scan with a real clamd and store on an S3-compatible server (moto).
start_clamd
start_moto

echo "==> swift test (SQLite and PostgreSQL) with coverage"
REQUIRE_POSTGRES_TESTS=1 swift test --enable-code-coverage --parallel 2>&1 | tee .build/test-output.log \
  | grep -E "^(✘|error|Test Suite|Executed|.*(passed|failed) after)|: error:" | grep -v "^✔ Test " || true
if grep -qE "^✘|with [0-9]+ issues?|error: " .build/test-output.log \
  || ! grep -qE "Test run with [0-9]+ tests? in [0-9]+ suites? passed" .build/test-output.log; then
  grep -E "✘|Expectation failed|error" .build/test-output.log | head -50
  echo "FAIL: tests failed" >&2
  exit 1
fi

echo "==> coverage of Sources/ (tests and dependencies excluded)"
scripts/coverage.sh 80

echo "==> smoke test of the binary on SQLite and PostgreSQL"
export SWIFT_BUILD_FLAGS=--enable-code-coverage
scripts/smoke.sh
POSTGRES_SMOKE_DB="smoke_$$"
psql "$POSTGRES_TEST_URL" -q -c "CREATE DATABASE $POSTGRES_SMOKE_DB"
DATABASE_URL="${POSTGRES_TEST_URL%/postgres}/$POSTGRES_SMOKE_DB" scripts/smoke.sh

echo "==> all checks passed"
