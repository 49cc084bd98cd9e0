#!/usr/bin/env bash
# The project against its peers, in one run on one machine (the figures of docs/PERFORMANCE.md,
# « Against the peers »): backups against restic, letters against LibreOffice, « Vérifier le
# registre » and the day's digest at 100 000 complaints, start and memory against a bare
# WebKitGTK window, and the .deb's size. Each part is its own script, run here one after the
# other so that nothing else competes for the two cores; each prints its own table. The whole
# output is kept in target/bench-peers/RUN-<date>.txt.
#
# Usage: scripts/bench-peers.sh          (release builds are made by the parts that need them)
# Environment: ROUNDS (3) for the backup and letter comparisons, START_ROUNDS (5); SKIP_BUNDLE=1
# leaves out the .deb (its build with the Tauri CLI rebuilds the app).
# Peers absent (restic, soffice, python3-gi) make their part say so and go on.
set -uo pipefail
cd "$(dirname "$0")/.."
export ROUNDS="${ROUNDS:-3}"
out="target/bench-peers"
mkdir -p "$out"
log="$out/RUN-$(date -u +%Y%m%dT%H%M%SZ).txt"
exec > >(tee "$log") 2>&1
echo "# bench-peers, $(date -u '+%F %T') UTC, commit $(git rev-parse --short HEAD 2>/dev/null || echo ?)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
part() {
  echo
  echo "## $1 (load before: $(cut -d' ' -f1-3 /proc/loadavg))"
  shift
  local t0=$SECONDS
  "$@" || { echo "ÉCHEC : $*"; status=1; }
  echo "($((SECONDS - t0)) s)"
}

part "Backups against restic" scripts/bench-backup-vs-restic.sh
part "Letters against LibreOffice" scripts/bench-letters-vs-libreoffice.sh

# The scale bench on a copy of the backup comparison's 100 000-complaint database, on tmpfs
# when there is room (the disk's other users stay out of the read times).
scale_dir=/dev/shm/bench-peers-scale
db="target/bench-backup/vs-restic-${BACKUP_BENCH_COMPLAINTS:-100000}-${BACKUP_BENCH_DOCS_MB:-1000}/reclamations.sqlite3"
if [ -f "$db" ] && [ "$(df --output=avail -B1 /dev/shm | tail -1)" -gt "$((2 * $(stat -c %s "$db")))" ]; then
  rm -rf "$scale_dir" && mkdir -p "$scale_dir" && cp "$db" "$scale_dir/"
else
  scale_dir="target/bench-fixture"
fi
part "Register digest and « Vérifier le registre » (scale bench)" \
  bash -c "cargo bench -q -p reclamations-core --bench scale -- '$scale_dir' 2>&1 | grep -E '^\\| (operation|---|register|« Vérifier)|^Data:'"
rm -rf /dev/shm/bench-peers-scale

part "Start and memory against a bare WebKitGTK window" scripts/measure-start.sh "${START_ROUNDS:-5}"

if [ -z "${SKIP_BUNDLE:-}" ]; then
  part "Installer" scripts/bundle.sh deb
fi
echo
echo "Kept in $log"
exit "$status"
