#!/usr/bin/env bash
# Runs the audit store tests against a throw-away PostgreSQL on 127.0.0.1, started from Debian's package
# (apt-get install -y postgresql) in a temporary directory; skips with the reason when it is not installed.
# Usage (from the repository root): serving/src/test/scripts/with-postgres.sh [extra mvn args]
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
INITDB=$(command -v initdb || true); PG_CTL=$(command -v pg_ctl || true)
[ -z "$INITDB" ] && [ -n "$PGBIN" ] && INITDB=$PGBIN/initdb && PG_CTL=$PGBIN/pg_ctl
if [ -z "$INITDB" ] || [ ! -x "$INITDB" ]; then
  echo "SKIP: no PostgreSQL server binaries (initdb/pg_ctl); apt-get install -y postgresql to run these tests" >&2
  exit 0
fi
TMP=$(mktemp -d); PORT=${PGPORT_TEST:-55432}
RUNAS=(); if [ "$(id -u)" = 0 ]; then chown postgres "$TMP" 2>/dev/null && RUNAS=(runuser -u postgres --); fi
cleanup() { "${RUNAS[@]}" "$PG_CTL" -D "$TMP/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$TMP"; }
trap cleanup EXIT
"${RUNAS[@]}" "$INITDB" -D "$TMP/data" -U attrib4j --auth=trust >/dev/null
"${RUNAS[@]}" "$PG_CTL" -D "$TMP/data" -l "$TMP/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $TMP" start >/dev/null
export ATTRIB4J_PG_URL="jdbc:postgresql://127.0.0.1:$PORT/postgres?user=attrib4j"
echo "PostgreSQL $("${RUNAS[@]}" "$PG_CTL" --version | awk '{print $3}') on 127.0.0.1:$PORT" >&2
mvn -B -q -o test -pl serving -am -Dtest='AuditTrailTest' -Dsurefire.failIfNoSpecifiedTests=false "$@"
