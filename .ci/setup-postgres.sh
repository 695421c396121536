#!/usr/bin/env bash
# Makes sure a local PostgreSQL 15 runs with a portal_test database and
# prints its URL. Idempotent: a second run changes nothing.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! command -v pg_ctlcluster >/dev/null; then
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
fi
ver=$(pg_lsclusters -h | awk 'NR==1{print $1}')
if [ -z "$ver" ]; then
  ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
  pg_createcluster "$ver" main >/dev/null
fi
pg_ctlcluster "$ver" main status >/dev/null 2>&1 || pg_ctlcluster "$ver" main start
for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
su postgres -c "psql -q -v ON_ERROR_STOP=1 -c \"ALTER USER postgres PASSWORD 'postgres'\""
su postgres -c "psql -Atqc \"SELECT 1 FROM pg_database WHERE datname='portal_test'\"" | grep -q 1 \
  || su postgres -c "createdb portal_test"
# pg_trgm once, in public: each test migrates its own schema and drops it
# with CASCADE, which would take an extension created inside it along (and
# the indexes other tests built on it).
su postgres -c "psql -q -d portal_test -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public'"
echo "postgres://postgres:postgres@127.0.0.1:5432/portal_test?sslmode=disable"
