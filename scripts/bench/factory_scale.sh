#!/usr/bin/env bash
# Scale benchmark of `alphafactory run`: wall time and peak RSS (GNU time -v) for a GARCH factory
# of 1,000 / 10,000 / 50,000 / 100,000 models (PRODUCT: the documents' daily job table).
#
# A "model" is one task = asset × spec × walk-forward window: a full MLE fit on 500 days plus
# out-of-sample forecasts (horizons 1 and 5) and 1/5/10% VaR for the 2 test days of its window.
# Layout: 100 synthetic assets × 2 specs (GARCH(1,1) and GJR(1,1,1), normal) × N/200 windows.
#
# Usage: scripts/bench/factory_scale.sh [N ...]        (default: 1000 10000 50000 100000)
#   AF_BIN=path/to/alphafactory (default: $CARGO_TARGET_DIR or target, release build)
#   THREADS=k (default: all cores)   OUT=dir (default: a temp dir, kept)
# Prints one markdown row per N: models, threads, wall s, models/s, peak RSS MiB, ok, failed.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${AF_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/alphafactory}"
threads="${THREADS:-$(nproc)}"
out="${OUT:-$(mktemp -d /tmp/af-factory-scale.XXXXXX)}"
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000 50000 100000)
[ -x "$bin" ] || { echo "no binary at $bin: cargo build --release -p alphafactory, or set AF_BIN" >&2; exit 1; }
mkdir -p "$out"

echo "| models | threads | wall s | models/s | peak RSS MiB | ok | failed |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  windows=$(( (n + 199) / 200 ))
  test_days=$(( 2 * windows ))
  days=$(( 500 + test_days + 10 ))
  exp="$out/scale_$n.yaml"
  db="$out/scale_$n.db"
  rm -f "$db" "$db-wal" "$db-shm"
  cat > "$exp" <<YAML
name: scale-$n
seed: 1
universe: { synthetic: { assets: 100, days: $days, seed: 11 } }
targets: { realized_variance: { horizons: [1, 5] } }
models:
  - garch: { vol: [garch, gjr], dist: [normal] }
walk_forward: { train: 500, refit_every: 2, test: $test_days }
outputs: { registry: scale_$n.db }
YAML
  log="$out/scale_$n.time"
  /usr/bin/time -v "$bin" run "$exp" --threads "$threads" --json >"$out/scale_$n.json" 2>"$log" || {
    echo "run of $n models failed; see $log" >&2; exit 1; }
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  ok=$(python3 -c "import json;print(json.load(open('$out/scale_$n.json'))['ok'])")
  failed=$(python3 -c "import json;print(json.load(open('$out/scale_$n.json'))['failed'])")
  total=$(( 200 * windows ))
  rate=$(python3 -c "print(f'{$total/$wall:.0f}')")
  printf '| %s | %s | %.1f | %s | %.0f | %s | %s |\n' "$total" "$threads" "$wall" "$rate" "$(echo "$rss_kb/1024" | bc -l)" "$ok" "$failed"
done
echo "(files in $out)" >&2
