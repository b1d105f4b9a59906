#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster on loopback for the tests. Prints, for `eval`, the settings
# the tests read: the server's URL, and a command that restarts it (for the restart test).
# Installs Debian's postgresql when it is missing. Safe to run twice (reuses a running cluster).
set -euo pipefail

PORT="${LC_PG_PORT:-54329}"
DATA="${LC_PG_DATA:-/tmp/lc-ci-postgres}"
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  echo "ci: installing Debian's postgresql" >&2
  as_root apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q postgresql >&2
  BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
fi

# The server refuses to run as root: run it as the postgres user when we are root.
run() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if ! run "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  if [ ! -f "$DATA/PG_VERSION" ]; then
    as_root mkdir -p "$DATA"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$DATA"
    run "$BIN/initdb" -D "$DATA" -U postgres -A trust --no-sync >/dev/null
  fi
  run "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
    -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >&2
fi

psql_() { run psql -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(psql_ -c "SELECT 1 FROM pg_roles WHERE rolname = 'lc'")" != "1" ]; then
  psql_ -c "CREATE ROLE lc LOGIN PASSWORD 'lc' CREATEDB" >/dev/null
fi
if [ "$(psql_ -c "SELECT 1 FROM pg_database WHERE datname = 'lc'")" != "1" ]; then
  psql_ -c "CREATE DATABASE lc OWNER lc" >/dev/null
fi
RESTART="$BIN/pg_ctl -D $DATA -l $DATA/server.log -w -m fast restart"
[ "$(id -u)" -eq 0 ] && RESTART="runuser -u postgres -- $RESTART"
echo "export LEARNING_CYCLE_TEST_POSTGRES='postgresql://lc:lc@127.0.0.1:$PORT/lc'"
echo "export LEARNING_CYCLE_TEST_POSTGRES_RESTART='$RESTART'"
