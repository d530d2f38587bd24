#!/usr/bin/env bash
# Every benchmark of issue #8, each in its own process, then the figures into docs/benchmarks.md.
# Run on an otherwise idle machine. BENCH_SCALE=small runs a tiny version of each (a smoke run).
# Pass names to run only some: npm run bench -- storm latency
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_npm_deps
# The peers measured beside Faultline and the browser for the dashboard benchmark.
ensure_commands snmptrap:snmp snmptrapd:snmptrapd prometheus-alertmanager:prometheus-alertmanager chromium:chromium
bash scripts/services.sh
say "building (tsc -b, vite build)"
npm run --silent build

benches=("$@")
[ ${#benches[@]} -gt 0 ] || benches=(trap-ingest pipeline storm latency polling billing dashboard discovery)
for bench in "${benches[@]}"; do
  [ -f "test/dist/bench/$bench.js" ] || fail "no benchmark named $bench (see test/src/bench/)"
  say "benchmark: $bench"
  # Only this one's last figures go: a partial run keeps the others' from this machine.
  rm -f ".cache/bench/$bench.json"
  node --max-old-space-size=4096 "test/dist/bench/$bench.js"
done
if [ "${BENCH_SCALE:-}" = small ]; then
  say "small scale: figures not written into docs/benchmarks.md"
else
  node test/dist/bench/report.js
  npx prettier --log-level warn --write docs/benchmarks.md
fi
