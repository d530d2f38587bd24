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
# A local demo needs a way in: an admin token and a viewer token (for a wall display), each made
# once per checkout and kept in .services/, so no token is published with the code. Only their
# files are named on the terminal, never the tokens.
bootstrap_token() { # <variable> <file> <role>
  local variable=$1 file="$DATA/$2"
  if [ -n "${!variable:-}" ]; then return; fi
  if [ ! -s "$file" ]; then
    (umask 077 && head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$file")
  fi
  printf -v "$variable" '%s' "$(cat "$file")"
  export "${variable?}"
  say "$3 token: .services/$2 (set $variable to choose your own)"
}
bootstrap_token FAULTLINE_ADMIN_TOKEN admin-token admin
bootstrap_token FAULTLINE_VIEWER_TOKEN viewer-token viewer
say "starting Faultline"
exec node system/dist/main.js "$@"
