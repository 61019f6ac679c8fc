#!/usr/bin/env bash
# Makes sure PostgreSQL answers on 127.0.0.1:5432 before the tests, starting the
# machine's cluster, or a throw-away one, when it does not. Fails loudly otherwise:
# the PostgreSQL tests are never skipped.
set -euo pipefail

ready() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }

if ready; then exit 0; fi
echo "PostgreSQL is not answering on 127.0.0.1:5432; starting it" >&2

if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
  for version in $(ls /etc/postgresql); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
  done
  for _ in $(seq 1 30); do ready && exit 0; sleep 0.5; done
fi

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -n "$bindir" ]; then
  cluster=/tmp/coffer-test-postgres
  if [ ! -f "$cluster/PG_VERSION" ]; then
    mkdir -p "$cluster" && chown postgres "$cluster"
    su postgres -c "$bindir/initdb -D $cluster -A trust -U postgres" >/dev/null
  fi
  su postgres -c "$bindir/pg_ctl -D $cluster -o '-p 5432 -k /tmp -c listen_addresses=127.0.0.1' -l $cluster/log -w start" >/dev/null
  for _ in $(seq 1 30); do ready && exit 0; sleep 0.5; done
fi

echo "PostgreSQL could not be started on 127.0.0.1:5432; the PostgreSQL tests cannot run" >&2
exit 1
