# Runs ON the database server (scripts/backup sends it over SSH): dump the master database and every
# studio database it lists (organizations.database_name) with pg_dump -Fc into BACKUP_ROOT/STAMP/,
# root-only. The dump is written to STAMP.partial and renamed only when every database succeeded,
# so a backup directory is never half.
#   bash -s MASTER_DATABASE [BACKUP_ROOT] < backup.sh      (BACKUP_ROOT: /var/backups/rsm)
set -euo pipefail
master=${1:?usage: backup.sh MASTER_DATABASE [BACKUP_ROOT]}
root=${2:-/var/backups/rsm}
umask 077
as_postgres() { runuser -u postgres -- "$@"; }
# The studios' databases are whatever the app named them (TENANT_DATABASE_PREFIX + id): ask the
# master database, never guess from a name pattern. pg_database is shared, so one query says
# which of them exist.
rows=$(as_postgres psql -AtX -v ON_ERROR_STOP=1 -d "$master" -c "SELECT o.database_name,
    EXISTS (SELECT 1 FROM pg_database d WHERE d.datname = o.database_name)
    FROM organizations o ORDER BY o.database_name")
databases=("$master")
while IFS='|' read -r name exists; do
    [ -n "$name" ] || continue
    if [ "$exists" = t ]; then
        databases+=("$name")
    else
        echo "warning: organizations names database $name, which does not exist; skipped" >&2
    fi
done <<< "$rows"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
work="$root/$stamp.partial"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
number=0
for database in "${databases[@]}"; do
    number=$((number + 1))
    started=$SECONDS
    as_postgres pg_dump -Fc -d "$database" > "$work/$database.dump"
    printf '[%d/%d] %s: %s in %ss\n' "$number" "${#databases[@]}" "$database" \
        "$(du -h "$work/$database.dump" | cut -f1)" "$((SECONDS - started))"
done
(cd "$work" && sha256sum ./*.dump > SHA256SUMS)
mv "$work" "$root/$stamp"
trap - EXIT
echo "$root/$stamp"
