#!/usr/bin/env bash
# Runs postgres_hosts_benchmark against a throwaway PostgreSQL 15 server with
# fsync on (scripts/pg_test_server.sh, COLLABFLOW_PG_FSYNC=on), stopped at
# the end, pass or fail.
#
#   benchmarks/engine/run_postgres_hosts.sh [build dir] [benchmark args...]
#
# Default build dir: build/default. Example: ... build/default --seconds=10
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${1:-build/default}"
shift || true
dir="$(mktemp -d /tmp/cflow-bench-pg.XXXXXX)"
trap 'scripts/pg_test_server.sh stop "$dir" >/dev/null 2>&1 || true' EXIT
uri="$(COLLABFLOW_PG_FSYNC=on scripts/pg_test_server.sh start "$dir")"
"$build/benchmarks/postgres_hosts_benchmark" --uri="$uri" "$@"
