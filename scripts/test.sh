#!/usr/bin/env bash
# The whole test suite from a clean clone: dependencies, test tools, services, static checks, tests.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_npm_deps
# The tests talk to real SNMP peers (snmptrap, snmpget, snmpd), a real browser (chromium), a TLS
# proxy (nginx) and Redis Sentinels (redis-sentinel) they start themselves; the unit files of
# deploy/systemd are checked with systemd-analyze verify (systemd).
ensure_commands snmptrap:snmp snmpd:snmpd chromium:chromium nginx:nginx redis-sentinel:redis-sentinel \
  systemd-analyze:systemd
bash scripts/services.sh

say "building (tsc -b, vite build)"
npm run --silent build
say "static checks (types, lint, format)"
npm run --silent check
audit=0
bash scripts/audit.sh || audit=$?
say "running the tests"
mkdir -p .cache
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.cache/vitest.json "$@" || status=$?
# One plain closing line, whatever the reporter printed above it.
node -e '
  const r = JSON.parse(require("fs").readFileSync(".cache/vitest.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
' || true
# The audit verdict (printed above the tests) fails the run too.
[ "$audit" -eq 0 ] || [ "$status" -ne 0 ] || status=1
exit "$status"
