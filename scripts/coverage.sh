#!/usr/bin/env bash
# Prints line coverage of our own sources from the last `swift test --enable-code-coverage`
# and fails when the total is below the first percentage (default 80) or when any one product
# file is below the second (default 60): a good total can hide a file nobody tests.
set -euo pipefail
cd "$(dirname "$0")/.."
minimum=${1:-80}
file_minimum=${2:-60}
bin_dir=$(swift build --show-bin-path)
profile="$bin_dir/codecov/default.profdata"
binary=$(ls -d "$bin_dir"/*.xctest | head -n 1)
[[ -f "$binary" ]] || binary="$binary/Contents/MacOS/$(basename "$binary" .xctest)"
llvm_cov="$(dirname "$(readlink -f "$(command -v swift)")")/llvm-cov"
[[ -x "$llvm_cov" ]] || llvm_cov=$(command -v llvm-cov)
"$llvm_cov" report "$binary" -instr-profile "$profile" \
  -ignore-filename-regex='(\.build|Tests|checkouts)/' >.build/coverage.txt
awk 'NR > 2 && !/^-/ {printf "  %-60s %s lines\n", $1, $(NF-3)}' .build/coverage.txt
total=$(awk '/^TOTAL/ {print $(NF-3)}' .build/coverage.txt | tr -d '%')
echo "line coverage: ${total}% (minimum ${minimum}%)"
awk -v total="$total" -v minimum="$minimum" 'BEGIN { exit (total + 0 >= minimum + 0) ? 0 : 1 }' \
  || { echo "FAIL: line coverage ${total}% is below ${minimum}%" >&2; exit 1; }
# Files under Sources/ whose lines are below the per-file floor ("-": no executable lines).
below=$(awk -v floor="$file_minimum" 'NR > 2 && !/^-/ && !/^TOTAL/ {
    pct = $(NF-3); sub("%", "", pct)
    if (pct != "-" && pct + 0 < floor + 0) printf "  %s %s%%\n", $1, pct
  }' .build/coverage.txt)
if [[ -n "$below" ]]; then
  echo "FAIL: these files are below ${file_minimum}% of lines covered:" >&2
  echo "$below" >&2
  exit 1
fi
echo "every file at or above ${file_minimum}% of lines"
