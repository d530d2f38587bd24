#!/usr/bin/env bash
# Starts the whole system from a clean clone: dependencies, build, services, then Faultline with the
# simulated network of config/example.yaml (or FAULTLINE_CONFIG).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_npm_deps
say "building (tsc -b, vite build)"
npm run --silent build
bash scripts/services.sh
# A local demo needs a way in: an admin token made once per checkout and kept in .services/.
if [ -z "${FAULTLINE_ADMIN_TOKEN:-}" ]; then
  if [ ! -s "$DATA/admin-token" ]; then
    head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$DATA/admin-token"
    chmod 600 "$DATA/admin-token"
  fi
  FAULTLINE_ADMIN_TOKEN=$(cat "$DATA/admin-token")
  export FAULTLINE_ADMIN_TOKEN
  say "admin token: .services/admin-token (set FAULTLINE_ADMIN_TOKEN to choose your own)"
fi
say "starting Faultline"
exec node system/dist/main.js "$@"
