#!/bin/sh
# Nightly backup (sigill-backup.service): BACKUP_ROOT/<UTC time>/, verified, older than KEEP_DAYS removed.
# Usage: sigill-backup.sh BACKUP_ROOT KEEP_DAYS. Run from the Sigill folder as the sigill user.
set -eu
root=$1
keep_days=$2
cd "$(dirname "$0")/../.."
destination="$root/$(date -u +%Y-%m-%dT%H%M%SZ)"
.venv/bin/python manage.py backup "$destination"
.venv/bin/python manage.py backup --verify "$destination"
# Only folders this script made (named by their time) are pruned, never anything else in $root.
find "$root" -mindepth 1 -maxdepth 1 -type d -name '20[0-9][0-9]-*Z' -mtime +"$keep_days" -exec rm -rf {} +
