#!/usr/bin/env bash
# Start and memory of the app against the floor, measured in the same run:
#  (a) the release app on a 100 000-complaint data dir, from launch to its first screen drawn
#      (the dashboard: the UI's `first_screen_shown`, printed with RECLAMATIONS_STARTUP_PROBE=1);
#  (b) a bare WebKitGTK 4.1 window (scripts/bare-webkit.py, python3-gi) showing a trivial page,
#      timed to the same signal (two animation frames after the page drew).
# Both draw the same way: without GPU compositing, which the app switches off for itself
# (desktop::draw_without_compositing) unless WEBKIT_DISABLE_COMPOSITING_MODE is set, so the bare
# window gets the same switch here; set WEBKIT_DISABLE_COMPOSITING_MODE=0 to measure both with it.
# Rounds alternate a and b; medians are printed, with their ratio. Memory: PSS (kB, from
# /proc/PID/smaps_rollup) summed over the process and its children (the WebKit network and web
# processes), SETTLE seconds (default 5) after the first screen — for the app, after its daily
# backup, which starts once the first screen is drawn.
# The data dir is made once (fixture generator, RECLAMATIONS_TODAY=2026-11-28) and kept in
# target/measure-start/; each round runs on a copy of it, so every app round is the day's first
# start (its daily backup and digest included, after the first screen).
# Usage: scripts/measure-start.sh [ROUNDS] (default 5). Needs a release build (cargo build
# --release -p reclamations, or scripts/bundle.sh) and, without DISPLAY, xvfb-run.
set -euo pipefail
cd "$(dirname "$0")/.."
export WEBKIT_DISABLE_COMPOSITING_MODE="${WEBKIT_DISABLE_COMPOSITING_MODE:-1}"
rounds="${1:-5}"
settle="${SETTLE:-5}"
today=2026-11-28
work="target/measure-start"
app="target/release/reclamations"
python=/usr/bin/python3

if [ -z "${DISPLAY:-}" ] && [ -z "${MEASURE_START_IN_XVFB:-}" ]; then
  export MEASURE_START_IN_XVFB=1
  exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$@"
fi
[ -x "$app" ] || { echo "Pas de build release : lancez « cargo build --release -p reclamations »." >&2; exit 1; }
"$python" -c 'import gi; gi.require_version("WebKit2", "4.1")' 2>/dev/null \
  || { echo "python3-gi et gir1.2-webkit2-4.1 manquent (apt-get install python3-gi gir1.2-webkit2-4.1)." >&2; exit 1; }

mkdir -p "$work"
if [ ! -f "$work/fixture-100k/.done" ]; then
  echo "Données de 100 000 réclamations (une fois)…" >&2
  rm -rf "$work/fixture-100k"
  RECLAMATIONS_TODAY=$today cargo run -q -p reclamations-core --release --bin reclamations-fixture -- "$work/fixture-100k" >&2
  touch "$work/fixture-100k/.done"
fi

# A process's descendants, and the PSS in kB of a process and its descendants.
descendants() {
  local p
  for p in $(pgrep -P "$1" || true); do
    echo "$p"
    descendants "$p"
  done
}
pss_tree() {
  local total=0 pid kb
  for pid in "$1" $(descendants "$1"); do
    kb=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || true)
    total=$((total + ${kb:-0}))
  done
  echo "$total"
}

# One round: $1 = app|bare. Prints « MS PSS_KB ».
round() {
  local kind=$1 log="$work/$1.log" marker start pid ms shown deadline
  local home="$work/home-$kind"
  mkdir -p "$home"
  : >"$log"
  start=$(date +%s%3N)
  if [ "$kind" = app ]; then
    rm -rf "$work/data"
    cp -a "$work/fixture-100k" "$work/data"
    start=$(date +%s%3N)
    XDG_CONFIG_HOME="$home/config" XDG_CACHE_HOME="$home/cache" XDG_DATA_HOME="$home/data" \
      RECLAMATIONS_STARTUP_PROBE=1 RECLAMATIONS_TODAY=$today RECLAMATIONS_DATA_DIR="$work/data" \
      "$app" 2>"$log" &
    marker=reclamations-startup-probe
  else
    XDG_CONFIG_HOME="$home/config" XDG_CACHE_HOME="$home/cache" XDG_DATA_HOME="$home/data" \
      "$python" scripts/bare-webkit.py 2>"$log" &
    marker=bare-webkit-probe
  fi
  pid=$!
  deadline=$((start + 60000))
  until shown=$(grep -o "$marker first-screen epoch_ms=[0-9]*" "$log" | head -1 | sed 's/.*=//') && [ -n "$shown" ]; do
    if [ "$(date +%s%3N)" -gt "$deadline" ] || ! kill -0 "$pid" 2>/dev/null; then
      echo "$kind : pas de premier écran (voir $log)" >&2
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      return 1
    fi
    sleep 0.02
  done
  ms=$((shown - start))
  if [ "$kind" = app ]; then
    # Where the app's start went: launch to the page's start (process, window, web engine),
    # then the page's own marks (modules evaluated, context read, first view rendered, shown).
    local line page
    line=$(grep -o "reclamations-startup-probe first-screen .*" "$log" | head -1)
    page=$(sed -n 's/.*page_start_epoch_ms=\([0-9]*\).*/\1/p' <<<"$line")
    [ -n "$page" ] && [ "$page" -gt 0 ] && echo "$((page - start)) $(sed -E 's/.* modules_ms=([0-9]+) context_ms=([0-9]+) rendered_ms=([0-9]+) shown_ms=([0-9]+).*/\1 \2 \3 \4/' <<<"$line")" >>"$work/app-detail.txt"
    # Idle means after the day's backup, which starts once the first screen is drawn.
    deadline=$(($(date +%s%3N) + 120000))
    until grep -q "Sauvegarde quotidienne" "$log" || [ "$(date +%s%3N)" -gt "$deadline" ]; do sleep 0.2; done
  fi
  sleep "$settle"
  pss=$(pss_tree "$pid")
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  sleep 1
  echo "$ms $pss"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

echo "Tour d'échauffement (non compté)…" >&2
round app >/dev/null
round bare >/dev/null
: >"$work/app.txt"
: >"$work/bare.txt"
: >"$work/app-detail.txt"
for i in $(seq 1 "$rounds"); do
  a=$(round app)
  b=$(round bare)
  echo "tour $i : application ${a% *} ms, PSS ${a#* } kB ; fenêtre nue ${b% *} ms, PSS ${b#* } kB" >&2
  echo "$a" >>"$work/app.txt"
  echo "$b" >>"$work/bare.txt"
done
app_ms=$(cut -d' ' -f1 "$work/app.txt" | median)
bare_ms=$(cut -d' ' -f1 "$work/bare.txt" | median)
app_pss=$(cut -d' ' -f2 "$work/app.txt" | median)
bare_pss=$(cut -d' ' -f2 "$work/bare.txt" | median)
echo "Démarrage jusqu'au premier écran (médiane de $rounds tours) : application $app_ms ms, fenêtre WebKitGTK nue $bare_ms ms, rapport $(awk -v a="$app_ms" -v b="$bare_ms" 'BEGIN {printf "%.2f", a / b}')"
echo "PSS après ${settle} s (médiane) : application $((app_pss / 1024)) Mo, fenêtre nue $((bare_pss / 1024)) Mo (les deux avec WEBKIT_DISABLE_COMPOSITING_MODE=$WEBKIT_DISABLE_COMPOSITING_MODE)"
if [ -s "$work/app-detail.txt" ]; then
  col() { cut -d' ' -f"$1" "$work/app-detail.txt" | median; }
  echo "Où va le démarrage de l'application (médianes, ms) : lancement → début de la page $(col 1) ; modules évalués +$(col 2) ; contexte lu $(col 3) ; premier écran rendu $(col 4) ; affiché $(col 5) (depuis le début de la page)"
fi
