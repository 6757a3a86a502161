#!/usr/bin/env bash
# Make sure PostgreSQL's server binaries (initdb, pg_ctl) are on this machine: the storage tests
# start a throwaway cluster with them (tests/classroom/pg.py). Debian's `postgresql` package;
# only its binaries are used (no system service is needed). With CI=true a missing PostgreSQL is
# a hard failure; elsewhere the PostgreSQL half of the storage tests says it was skipped.
set -u
find_pg() { ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | tail -1 || command -v pg_ctl; }
if path=$(find_pg) && [ -n "$path" ]; then
  echo "postgresql: $path"
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "postgresql missing: installing Debian's postgresql package (apt-get)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
fi
if path=$(find_pg) && [ -n "$path" ]; then
  echo "postgresql: $path"
  exit 0
fi
if [ "${CI:-}" = "true" ]; then
  echo "ERROR: PostgreSQL is missing and could not be installed; its storage tests cannot run in CI." >&2
  exit 1
fi
echo "WARNING: PostgreSQL is missing (install Debian's 'postgresql'); its storage tests will be skipped." >&2
exit 0
