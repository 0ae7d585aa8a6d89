#!/usr/bin/env bash
# Usage: bench/build-vs-hugo.sh VPCLAB_CONTENT_LABS HUGO_SITE [RUNS=5]
#
# Times `vpclab build` of a content folder against `hugo` building the same
# Markdown as a Hugo site, in turn (vpclab, Hugo, vpclab, …) after one
# warm-up each, with GNU time: wall seconds, CPU seconds and peak memory
# (maximum resident set) of every run, then the medians. Pages per second
# are the HTML pages each wrote divided by the median wall time.
#
# Each run builds into a folder of its own, as docs CI does on a fresh
# clone. REBUILD=1 builds over the previous run's output instead, as a
# writer does between edits: Hugo overwrites its files in place, vpclab
# writes a new folder and swaps it in (a failed build leaves the old
# site), so it creates and deletes every file each time; on a filesystem
# slow to reuse just-deleted inodes (ext4 without a journal, as on the
# project's machine) that costs it up to a second of system time.
set -euo pipefail
LABS=$1 HUGO=$2 RUNS=${3:-5}
command -v hugo >/dev/null || { echo "hugo is not installed (apt-get install hugo)" >&2; exit 2; }
VPCLAB=${VPCLAB:-bin/vpclab}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
run() { # name, command...
  local name=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$OUT/t" "$@" >/dev/null 2>&1
  read -r wall u s kb < "$OUT/t"
  echo "$wall $(echo "$u + $s" | bc) $((kb / 1024))" >> "$OUT/$name.times"
}
for r in $(seq 0 "$RUNS"); do
  suffix=-$r
  [ "${REBUILD:-}" = 1 ] && suffix=
  [ "$r" -eq 0 ] && { run warm "$VPCLAB" build --content "$LABS" -o "$OUT/out-site$suffix"; run warm hugo --minify=false -s "$HUGO" -d "$OUT/out-hugo$suffix" --quiet; continue; }
  run vpclab "$VPCLAB" build --content "$LABS" -o "$OUT/out-site$suffix"
  run hugo hugo --minify=false -s "$HUGO" -d "$OUT/out-hugo$suffix" --quiet
done
last=-$RUNS
[ "${REBUILD:-}" = 1 ] && last=
pages_v=$(find "$OUT/out-site$last" -name '*.html' | wc -l)
pages_h=$(find "$OUT/out-hugo$last" -name '*.html' | wc -l)
printf "%-7s %6s %9s %7s %9s %8s\n" tool pages wall_s cpu_s peak_MiB pages/s
for t in vpclab hugo; do
  p=$([ "$t" = vpclab ] && echo "$pages_v" || echo "$pages_h")
  w=$(awk '{print $1}' "$OUT/$t.times" | median); c=$(awk '{print $2}' "$OUT/$t.times" | median); m=$(awk '{print $3}' "$OUT/$t.times" | median)
  printf "%-7s %6d %9.2f %7.2f %9d %8.0f\n" "$t" "$p" "$w" "$c" "$m" "$(echo "$p / $w" | bc -l)"
done
