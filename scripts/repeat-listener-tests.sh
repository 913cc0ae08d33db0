#!/usr/bin/env bash
# Proves the listener suite is deterministic under load: runs it N times in a row (default 20) and fails if
# any run fails. Kept outside `npm test` on purpose: it takes minutes.
#   scripts/repeat-listener-tests.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: scripts/repeat-listener-tests.sh [runs]; runs must be a positive whole number, got '$runs'" >&2
  exit 2
fi
# The CLI test runs the built binary.
npm run build --silent -w reference-listener
failures=0
for ((run = 1; run <= runs; run++)); do
  log="$(mktemp -t listener-run-XXXXXX.log)"
  started=$(date +%s)
  if npx vitest run reference-listener >"$log" 2>&1; then
    echo "run $run/$runs: passed in $(($(date +%s) - started)) s"
    rm -f "$log"
  else
    failures=$((failures + 1))
    echo "run $run/$runs: FAILED in $(($(date +%s) - started)) s (log kept at $log)"
    grep -a -A12 ' FAIL ' "$log" | head -40 || true
  fi
done
echo "$((runs - failures))/$runs runs passed"
[ "$failures" -eq 0 ]
