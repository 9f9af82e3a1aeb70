#!/usr/bin/env bash
# Back up a Birgemiz PostgreSQL database with pg_dump, restore it into a scratch database,
# and prove the restore: every table has the same number of rows, and the application
# reads the restored copy.
#
#   bench/backup_restore_check.sh [SOURCE_DB]      (default: birgemiz_bench_national)
#
# PGHOST/PGPORT/PGUSER as usual (default 127.0.0.1, 5432, postgres). The dump stays in
# $BACKUP_DIR (default /tmp/birgemiz-backups): in production that directory is on a disk in
# Kazakhstan, and is copied to a second site in Kazakhstan (see README, Deployment).
set -euo pipefail
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
SOURCE="${1:-birgemiz_bench_national}"
TARGET="${SOURCE}_restore_check"
DIR="${BACKUP_DIR:-/tmp/birgemiz-backups}"
HERE="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$DIR"
DUMP="$DIR/${SOURCE}-$(date +%Y%m%d-%H%M%S).dump"

counts() {  # one "table rows" line per table of the public schema, exact counts
  psql -d "$1" -XAtq -c "
    SELECT table_name || ' ' || (xpath('/row/n/text()',
           query_to_xml(format('SELECT count(*) AS n FROM %I', table_name), false, true, '')))[1]::text
    FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
}

started=$(date +%s)
pg_dump -Fc -d "$SOURCE" -f "$DUMP"
echo "dump: $DUMP ($(du -h "$DUMP" | cut -f1)) in $(( $(date +%s) - started )) s"

dropdb --if-exists "$TARGET"
createdb "$TARGET"
started=$(date +%s)
pg_restore --no-owner --exit-on-error -j 2 -d "$TARGET" "$DUMP"
echo "restore into $TARGET in $(( $(date +%s) - started )) s"

counts "$SOURCE" > "$DIR/source.counts"
counts "$TARGET" > "$DIR/target.counts"
if ! diff -u "$DIR/source.counts" "$DIR/target.counts"; then
  echo "RESTORE CHECK FAILED: row counts differ"; exit 1
fi
tables=$(wc -l < "$DIR/source.counts")
rows=$(awk '{s += $2} END {print s}' "$DIR/source.counts")
echo "row counts identical: $tables tables, $rows rows"

cd "$HERE"
# The application reads the restored copy: programmes and students through the ORM.
DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$TARGET" .venv/bin/python manage.py shell -c "
from birgemiz.models import Program
from courses.models import Student
print(f'the application reads the restored copy: {Program.objects.count()} programmes, '
      f'{Student.objects.count()} students')"
dropdb "$TARGET"
echo "RESTORE CHECK PASSED"
