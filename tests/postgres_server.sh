#!/usr/bin/env bash
# A PostgreSQL server for the tests, on 127.0.0.1 only, with a role and a database that
# sign in with a password over TCP. Prints the URL the tests read on its last line:
#
#   export SANCTUARY_TEST_POSTGRES_URL="$(bash tests/postgres_server.sh)"
#   make test
#
# Idempotent: a second run finds the server already running and prints the same URL.
# `bash tests/postgres_server.sh stop` stops it.
#
# As root (CI on a fresh Debian machine) it installs Debian's postgresql package when no
# server binaries are there, and runs the server as the `postgres` user from
# /var/lib/postgresql/sanctuary-test. As anyone else it runs the server as you from
# ${XDG_CACHE_HOME:-~/.cache}/sanctuary-desktop/postgres-test (the binaries must be
# installed: `apt-get install postgresql` on Debian or Ubuntu).
#
# The server is for tests only: fsync is off, and it listens on 127.0.0.1 alone.
set -euo pipefail

PORT="${SANCTUARY_TEST_POSTGRES_PORT:-54329}"
ROLE=sanctuary_test
DATABASE=sanctuary_test

log() { echo "postgres_server: $*" >&2; }

find_bindir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(command -v initdb)"
    return 0
  fi
  return 1
}

if [ "$(id -u)" = "0" ]; then
  if ! find_bindir >/dev/null; then
    log "installing Debian's postgresql package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # Debian's package would make and start its own cluster: this script runs its own.
    mkdir -p /etc/postgresql-common
    if [ ! -e /etc/postgresql-common/createcluster.conf ] ||
      ! grep -q '^create_main_cluster' /etc/postgresql-common/createcluster.conf; then
      echo "create_main_cluster = false" >>/etc/postgresql-common/createcluster.conf
    fi
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  fi
  STATE=/var/lib/postgresql/sanctuary-test
  as_owner() { runuser -u postgres -- "$@"; }
  mkdir -p "$STATE"
  chown postgres: "$STATE"
  chmod 0700 "$STATE"
else
  STATE="${XDG_CACHE_HOME:-$HOME/.cache}/sanctuary-desktop/postgres-test"
  as_owner() { "$@"; }
  mkdir -p "$STATE"
  chmod 0700 "$STATE"
fi

BIN="$(find_bindir)" || {
  log "no PostgreSQL server binaries found (install Debian's postgresql package)"
  exit 1
}
DATA="$STATE/data"
SOCKETS="$STATE"

if [ "${1:-}" = "stop" ]; then
  if [ -f "$DATA/postmaster.pid" ]; then
    as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2
  fi
  exit 0
fi

if [ ! -f "$DATA/PG_VERSION" ]; then
  log "making a test cluster in $DATA"
  # Local (socket) sign-in is for the owner only: the socket lives in a folder closed to
  # others. Over TCP every role signs in with its password.
  as_owner "$BIN/initdb" -D "$DATA" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 -U postgres >/dev/null
  cat >>"$DATA/postgresql.conf" <<EOF
# sanctuary-desktop tests
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$SOCKETS'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
fi

ready() { as_owner "$BIN/pg_isready" -q -h "$SOCKETS" -p "$PORT" -d postgres; }
if ! ready; then
  log "starting the test server on 127.0.0.1:$PORT"
  # A server killed a moment ago may leave its lock file behind for a while: try again.
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    if as_owner "$BIN/pg_ctl" -D "$DATA" -l "$STATE/server.log" -o "-p $PORT" -w -t 60 \
      start >/dev/null 2>&1 || ready; then
      break
    fi
    if [ "$attempt" = 10 ]; then
      log "the server did not start; its log is $STATE/server.log"
      tail -n 20 "$STATE/server.log" >&2 || true
      exit 1
    fi
    sleep 1
  done
fi

psql_admin() {
  as_owner "$BIN/psql" -h "$SOCKETS" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -qAtX "$@"
}

PASSWORD_FILE="$STATE/password"
if [ ! -s "$PASSWORD_FILE" ]; then
  (umask 077 && od -An -tx1 -N16 /dev/urandom | tr -d ' \n' >"$PASSWORD_FILE")
  [ "$(id -u)" = "0" ] && chown postgres: "$PASSWORD_FILE"
fi
PASSWORD="$(cat "$PASSWORD_FILE")"

# The role may make databases: the tests make one per test from a template.
if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != "1" ]; then
  psql_admin -c "CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'"
else
  psql_admin -c "ALTER ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'"
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != "1" ]; then
  psql_admin -c "CREATE DATABASE $DATABASE OWNER $ROLE"
fi

echo "postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DATABASE"
