#!/usr/bin/env bash
# Makes sure Redis, Mosquitto, InfluxDB and PostgreSQL answer on loopback, and that the Faultline
# database exists. A service that already runs is used as it is; a missing one is installed from
# Debian's packages (as root) and started with its data under .services/ (ignored by git).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
mkdir -p "$DATA"

ensure_redis() {
  if port_open 6379; then say "Redis: using the one on 127.0.0.1:6379"; return; fi
  command -v redis-server >/dev/null || ensure_packages redis-server
  say "Redis: starting on 127.0.0.1:6379 (data in .services/redis)"
  mkdir -p "$DATA/redis"
  # The append-only file (written before each reply, fsync every second) keeps the queued event
  # batches across a Redis restart or crash; without it a restart loses the batches still waiting.
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly yes \
    --dir "$DATA/redis" --logfile "$DATA/redis/redis.log"
  wait_port 6379 Redis
}

ensure_mosquitto() {
  if port_open 1883; then say "Mosquitto: using the one on 127.0.0.1:1883"; return; fi
  command -v mosquitto >/dev/null || ensure_packages mosquitto
  say "Mosquitto: starting on 127.0.0.1:1883 (data in .services/mosquitto)"
  mkdir -p "$DATA/mosquitto"
  # A slow consumer must not lose QoS 1 telemetry: the default queue of 1000 messages drops silently.
  cat >"$DATA/mosquitto/mosquitto.conf" <<CONF
listener 1883 127.0.0.1
allow_anonymous true
persistence true
persistence_location $DATA/mosquitto/
max_queued_messages 100000
log_dest file $DATA/mosquitto/mosquitto.log
CONF
  if [ "$(id -u)" -eq 0 ] && id mosquitto >/dev/null 2>&1; then chown -R mosquitto "$DATA/mosquitto"; fi
  mosquitto -d -c "$DATA/mosquitto/mosquitto.conf"
  wait_port 1883 Mosquitto
}

ensure_influxdb() {
  if port_open 8086; then say "InfluxDB: using the one on 127.0.0.1:8086"; return; fi
  command -v influxd >/dev/null || ensure_packages influxdb
  say "InfluxDB: starting on 127.0.0.1:8086 (data in .services/influxdb)"
  mkdir -p "$DATA/influxdb"
  cat >"$DATA/influxdb/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:8088"
[meta]
  dir = "$DATA/influxdb/meta"
[data]
  dir = "$DATA/influxdb/data"
  wal-dir = "$DATA/influxdb/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:8086"
  log-enabled = false
[monitor]
  store-enabled = false
CONF
  nohup influxd run -config "$DATA/influxdb/influxdb.conf" >"$DATA/influxdb/influxd.log" 2>&1 &
  wait_port 8086 InfluxDB 60
}

ensure_postgres() {
  if port_open 5432; then
    say "PostgreSQL: using the one on 127.0.0.1:5432"
  else
    if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then ensure_packages postgresql; fi
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    local pgdata="$DATA/postgres" user
    user=$(if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi)
    mkdir -p "$pgdata" "$DATA/postgres-run"
    [ "$(id -u)" -eq 0 ] && chown "$user" "$pgdata" "$DATA/postgres-run"
    if [ ! -f "$pgdata/PG_VERSION" ]; then
      say "PostgreSQL: creating a cluster in .services/postgres"
      as_user "$user" "$bin/initdb" -D "$pgdata" -U postgres --auth=trust >"$DATA/postgres-initdb.log" \
        || fail "initdb failed: see $DATA/postgres-initdb.log"
    fi
    say "PostgreSQL: starting on 127.0.0.1:5432"
    as_user "$user" "$bin/pg_ctl" -D "$pgdata" -l "$pgdata/postgres.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p 5432 -k $DATA/postgres-run" start >/dev/null \
      || fail "PostgreSQL did not start: see $pgdata/postgres.log"
    wait_port 5432 PostgreSQL
  fi
  command -v psql >/dev/null || ensure_packages postgresql-client
}

# Creates a database when it is missing. $1 is its name.
ensure_database() {
  local name=$1
  if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
    say "PostgreSQL: creating database $name"
    psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE \"$name\"" \
      || fail "could not create database $name; check that postgres@127.0.0.1 may connect (trust auth)"
  fi
}

ensure_redis
ensure_mosquitto
ensure_influxdb
ensure_postgres
ensure_database "${FAULTLINE_DATABASE:-faultline}"
say "services are up"
