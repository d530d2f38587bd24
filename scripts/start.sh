#!/usr/bin/env bash
# Starts the whole system from a clean clone: dependencies, build, services, then Faultline with the
# simulated network of config/example.yaml (or FAULTLINE_CONFIG).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
say "building (tsc -b, vite build)"
npm run --silent build
bash scripts/services.sh
say "starting Faultline"
exec node system/dist/main.js "$@"
