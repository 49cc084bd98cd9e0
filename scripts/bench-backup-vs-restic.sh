#!/usr/bin/env bash
# Backups, ours against restic, on the same data and the same machine, rounds alternated:
# in each round, a first snapshot (empty destination), the next day (20 complaints, 20 journal
# entries, 5 NEW scans of 300 kB), then a snapshot with nothing changed; ours then restic, or
# restic then ours (the order alternates between rounds). Prints each measure and the medians.
#
# Usage: scripts/bench-backup-vs-restic.sh
# Environment: ROUNDS (3); BACKUP_BENCH_COMPLAINTS (100000) and BACKUP_BENCH_DOCS_MB (1000): the
# data dir, generated once into target/bench-backup/vs-restic-<complaints>-<mb>; WORK (the
# destinations; target/bench-backup/vs-restic-dest).
# Ours: the release bench binary (benches/backup.rs, BACKUP_BENCH_STEP=snapshot). Restic: the
# `restic` on the PATH (0.14 from Debian 12's apt: zstd « auto » compression, format 2); the
# script says so and stops when there is none. Times are wall clock of the whole command,
# bytes the growth of the destination folder (du -sb).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v restic >/dev/null 2>&1; then
  echo "restic absent : comparaison ignorée (apt-get install restic, ou https://restic.net)."
  exit 0
fi
ROUNDS="${ROUNDS:-3}"
export BACKUP_BENCH_COMPLAINTS="${BACKUP_BENCH_COMPLAINTS:-100000}"
export BACKUP_BENCH_DOCS_MB="${BACKUP_BENCH_DOCS_MB:-1000}"
root="$PWD/target/bench-backup"
export BACKUP_BENCH_DATA="$root/vs-restic-$BACKUP_BENCH_COMPLAINTS-$BACKUP_BENCH_DOCS_MB"
WORK="${WORK:-$root/vs-restic-dest}"
mkdir -p "$root" "$WORK"

bin=$(cargo bench -p reclamations-core --bench backup --no-run 2>&1 | grep -o 'target/release/deps/backup-[0-9a-f]*' | tail -1)
[ -x "$bin" ] || { echo "bench binary not found" >&2; exit 1; }
BACKUP_BENCH_STEP=generate "$bin"
echo "restic: $(restic version)"
echo "data: $BACKUP_BENCH_DATA ($(du -sb "$BACKUP_BENCH_DATA/reclamations.sqlite3" 2>/dev/null | cut -f1 || echo ?) bytes database, $(du -sb "$BACKUP_BENCH_DATA/documents" | cut -f1) bytes documents)"

export RESTIC_PASSWORD=bench RESTIC_REPOSITORY="$WORK/restic"
ours_dest="$WORK/ours"
results="$WORK/results.tsv"
: > "$results"

# measure <tool> <step>: runs one snapshot, appends "tool step seconds bytes" to results.
measure() {
  local tool=$1 step=$2 dest before after t0 t1
  if [ "$tool" = ours ]; then dest=$ours_dest; else dest=$RESTIC_REPOSITORY; fi
  before=$(du -sb "$dest" 2>/dev/null | cut -f1 || echo 0)
  t0=$(date +%s.%N)
  if [ "$tool" = ours ]; then
    BACKUP_BENCH_STEP=snapshot BACKUP_BENCH_DEST="$ours_dest" "$bin" >/dev/null
  else
    restic backup --quiet --host bench "$BACKUP_BENCH_DATA/reclamations.sqlite3" "$BACKUP_BENCH_DATA/documents" >/dev/null
  fi
  t1=$(date +%s.%N)
  after=$(du -sb "$dest" | cut -f1)
  printf '%s\t%s\t%.3f\t%d\n' "$tool" "$step" "$(echo "$t1 - $t0" | bc)" "$((after - before))" | tee -a "$results"
}

fresh() {
  rm -rf "$ours_dest" "$RESTIC_REPOSITORY"
  mkdir -p "$ours_dest"
  restic init --quiet >/dev/null
}

for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then order="ours restic"; else order="restic ours"; fi
  echo "round $r ($order)"
  fresh
  for tool in $order; do measure "$tool" first; done
  BACKUP_BENCH_STEP=day "$bin"
  for tool in $order; do measure "$tool" day; done
  for tool in $order; do measure "$tool" same; done
done

echo
echo "| step | ours (median) | restic $(restic version | cut -d' ' -f2) (median) |"
echo "|---|---|---|"
for step in first day same; do
  line="| $step |"
  for tool in ours restic; do
    t=$(awk -v t="$tool" -v s="$step" '$1==t && $2==s {print $3}' "$results" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    b=$(awk -v t="$tool" -v s="$step" '$1==t && $2==s {print $4}' "$results" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    line="$line $t s, $(echo "scale=1; $b / 1000000" | bc) MB |"
  done
  echo "$line"
done
