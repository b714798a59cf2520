#!/usr/bin/env bash
# Prints line coverage of our own sources from the last `swift test --enable-code-coverage`
# and fails below the given percentage (default 80).
set -euo pipefail
cd "$(dirname "$0")/.."
minimum=${1:-80}
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
