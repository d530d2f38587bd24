# Helpers shared by Faultline's set-up scripts. Sourced, not run.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATA="$ROOT/.services"

say() { printf '\033[1m[faultline]\033[0m %s\n' "$*"; }
fail() {
  printf '\033[31m[faultline] %s\033[0m\n' "$*" >&2
  exit 1
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Waits up to $3 seconds for port $1 to accept connections; $2 names the service.
wait_port() {
  local port=$1 name=$2 seconds=${3:-30} i
  for ((i = 0; i < seconds * 5; i++)); do
    port_open "$port" && return 0
    sleep 0.2
  done
  fail "$name did not start listening on 127.0.0.1:$port within ${seconds}s; see its log under $DATA"
}

APT_UPDATED=0
# Installs Debian packages when they are missing; as non-root, says what to run instead. Another
# apt (unattended upgrades, a second set-up) holding the lock is waited for, not failed on.
ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    fail "missing Debian packages: ${missing[*]}. Run: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  fi
  if [ "$APT_UPDATED" -eq 0 ]; then
    say "updating the Debian package lists (apt-get update)"
    apt-get -o DPkg::Lock::Timeout=600 update -qq || fail "apt-get update failed: check the machine's access to Debian's packages"
    APT_UPDATED=1
  fi
  say "installing Debian packages: ${missing[*]} (this can take a minute)"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || fail "apt-get install ${missing[*]} failed; run it by hand to see why"
}

# Runs a command as the given system user when we are root (services refuse to run as root).
as_user() {
  local user=$1
  shift
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

# Installs the npm dependencies when they are missing or older than package-lock.json.
ensure_npm_deps() {
  if [ ! -d "$ROOT/node_modules" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    say "installing npm dependencies (npm ci)"
    (cd "$ROOT" && npm ci --no-audit --no-fund)
  fi
}

# For each command:package pair whose command is missing, installs the Debian package.
ensure_commands() {
  local need=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null || need+=("${pair#*:}")
  done
  [ ${#need[@]} -eq 0 ] || ensure_packages "${need[@]}"
}
