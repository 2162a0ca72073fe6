# Runs ON the database server (scripts/backup sends it over SSH): dump the master database and every
# studio database with pg_dump -Fc into /var/backups/rsm/STAMP/, root-only. The dump is written to
# STAMP.partial and renamed only when every database succeeded, so a backup directory is never half.
set -euo pipefail
umask 077
stamp=$(date -u +%Y%m%dT%H%M%SZ)
root=/var/backups/rsm
work="$root/$stamp.partial"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
mapfile -t databases < <(runuser -u postgres -- psql -AtXc \
    "SELECT datname FROM pg_database WHERE datname = 'rsm' OR datname LIKE 'studio\_%' ORDER BY datname <> 'rsm', datname")
[ ${#databases[@]} -gt 0 ] || { echo "no rsm databases found" >&2; exit 1; }
number=0
for database in "${databases[@]}"; do
    number=$((number + 1))
    started=$SECONDS
    runuser -u postgres -- pg_dump -Fc -d "$database" > "$work/$database.dump"
    printf '[%d/%d] %s: %s in %ss\n' "$number" "${#databases[@]}" "$database" \
        "$(du -h "$work/$database.dump" | cut -f1)" "$((SECONDS - started))"
done
(cd "$work" && sha256sum ./*.dump > SHA256SUMS)
mv "$work" "$root/$stamp"
trap - EXIT
echo "$root/$stamp"
