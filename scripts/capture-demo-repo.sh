#!/usr/bin/env bash
# Captures the demo's pgBackRest repository: a tiny throwaway PostgreSQL cluster archives WAL and takes a full and a
# differential backup with REAL pgBackRest into a posix repository, which is then copied to demo/fixtures/repo/.
# Needs PostgreSQL server binaries (PG_BINDIR, default /usr/lib/postgresql/15/bin) and pgbackrest (2.45 was used).
# Usage: scripts/capture-demo-repo.sh [OUT_DIR]   (default demo/fixtures/repo; the old content is replaced)
# As root, the server and pgBackRest run as the `postgres` OS user (initdb refuses root).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/demo/fixtures/repo}
PGBIN=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
STANZA=chronos
# zst at a high level keeps the committed fixture small; every reader (pgBackRest, the monitor) handles .zst.
COMPRESS_TYPE=${COMPRESS_TYPE:-zst}
COMPRESS_LEVEL=${COMPRESS_LEVEL:-9}

for tool in "$PGBIN/initdb" "$PGBIN/pg_ctl" "$(command -v pgbackrest || true)" "$(command -v psql || true)"; do
  if [ -z "$tool" ] || [ ! -x "$tool" ]; then
    echo "capture-demo-repo: needs PostgreSQL server binaries in $PGBIN, psql and pgbackrest (apt-get install postgresql-15 pgbackrest)" >&2
    exit 1
  fi
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/chronos-capture-XXXXXX")
chmod 755 "$TMP"
mkdir -p "$TMP/sock" "$TMP/repo" "$TMP/pgbr/log" "$TMP/pgbr/lock" "$TMP/pgbr/spool"
if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$TMP"; fi

# Runs a command as the cluster owner with a fixed time zone: pgBackRest labels are local time of its process.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- env TZ=UTC PGBACKREST_CONFIG="$TMP/pgbackrest.conf" "$@"
  else env TZ=UTC PGBACKREST_CONFIG="$TMP/pgbackrest.conf" "$@"; fi
}

PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
cleanup() {
  as_owner "$PGBIN/pg_ctl" -D "$TMP/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT

cat > "$TMP/pgbackrest.conf" <<CONF
[global]
repo1-path=$TMP/repo
repo1-retention-full=1
log-path=$TMP/pgbr/log
lock-path=$TMP/pgbr/lock
spool-path=$TMP/pgbr/spool
log-level-console=warn
start-fast=y
compress-type=$COMPRESS_TYPE
compress-level=$COMPRESS_LEVEL

[$STANZA]
pg1-path=$TMP/data
pg1-port=$PORT
pg1-socket-path=$TMP/sock
pg1-database=chronos
CONF
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$TMP/pgbackrest.conf"; fi

echo "capture: initdb + start PostgreSQL on 127.0.0.1:$PORT"
as_owner "$PGBIN/initdb" -D "$TMP/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
cat >> "$TMP/data/postgresql.conf" <<CONF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$TMP/sock'
fsync = off
wal_level = replica
archive_mode = on
archive_command = 'pgbackrest --stanza=$STANZA archive-push %p'
CONF
as_owner "$PGBIN/pg_ctl" -D "$TMP/data" -l "$TMP/postgres.log" -w start >/dev/null

sql() { as_owner psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$TMP/sock" -p "$PORT" -U postgres -d "${DB:-chronos}" -c "$1"; }

# Two databases instead of three (template0 + chronos) keep the fixture under 3 MB: each one costs ~0.9 MB of
# compressed catalog files in every full backup.
as_owner psql -X -q -v ON_ERROR_STOP=1 -h "$TMP/sock" -p "$PORT" -U postgres -d template1 -c "alter database postgres rename to chronos"
as_owner psql -X -q -v ON_ERROR_STOP=1 -h "$TMP/sock" -p "$PORT" -U postgres -d chronos -c "alter database template1 is_template false" -c "drop database template1"
br() { local t0=$SECONDS; as_owner pgbackrest --stanza=$STANZA "$@"; echo "capture: pgbackrest $* ($((SECONDS - t0)) s)"; }

br stanza-create
br check
# A first full backup that retention (repo1-retention-full=1) expires, together with the WAL before the second full:
# that drops initdb's large first segment the same way a long-running repository loses its oldest WAL.
br --type=full backup
sql "create table demo_readings (id int primary key, at timestamptz not null default now(), value float8)"
sql "insert into demo_readings (id, value) select g, random() from generate_series(1, 1000) g"
sql "select pg_switch_wal()" >/dev/null
br --type=full backup
sql "insert into demo_readings (id, value) select g, random() from generate_series(1001, 3000) g"
sql "select pg_switch_wal()" >/dev/null
sleep 1
br --type=diff backup
sql "insert into demo_readings (id, value) select g, random() from generate_series(3001, 3500) g"
sql "select pg_switch_wal()" >/dev/null
sql "insert into demo_readings (id, value) select g, random() from generate_series(3501, 4000) g"
LAST=$(sql "select pg_walfile_name(pg_switch_wal())")
# archive-push runs after the switch returns: wait until the archiver has pushed the segment just finished.
for _ in $(seq 1 100); do
  [ "$(sql "select coalesce(last_archived_wal, '') >= '$LAST' from pg_stat_archiver")" = t ] && break
  sleep 0.1
done

INFO_JSON=$(as_owner pgbackrest --stanza=$STANZA info --output=json)
ARCHIVER=$(sql "select json_build_object('archivedCount', archived_count, 'lastArchivedWal', last_archived_wal, 'lastArchivedTime', last_archived_time, 'currentLsn', pg_current_wal_lsn()::text, 'walSegmentSizeBytes', current_setting('wal_segment_size', true), 'serverVersion', current_setting('server_version'), 'systemIdentifier', (select system_identifier::text from pg_control_system())) from pg_stat_archiver")

rm -rf "$OUT"
mkdir -p "$OUT"
# Copy without the posix-only `latest` symlink: an S3 repository has none.
(cd "$TMP/repo" && find . -type f -print0 | while IFS= read -r -d '' f; do mkdir -p "$OUT/$(dirname "$f")"; cp "$f" "$OUT/$f"; done)
if [ "$(id -u)" = 0 ] && [ -n "${SUDO_UID:-}" ]; then chown -R "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$OUT"; fi

node -e '
const [out, info, archiver, stanza, compress, version] = process.argv.slice(1);
const fs = require("fs");
const meta = {
  capturedAt: new Date().toISOString(),
  stanza,
  compressType: compress,
  pgbackrestVersion: version,
  archiver: JSON.parse(archiver),
  info: JSON.parse(info.replace(/"system-id":(\d+)/g, "\"system-id\":\"$1\"")),
};
fs.writeFileSync(require("path").join(out, "..", "capture.json"), JSON.stringify(meta, null, 2) + "\n");
' "$OUT" "$INFO_JSON" "$ARCHIVER" "$STANZA" "$COMPRESS_TYPE" "$(pgbackrest version)"

echo "capture: $(find "$OUT" -type f | wc -l) files, $(du -sb "$OUT" | cut -f1) bytes in $OUT"
