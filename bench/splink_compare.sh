#!/usr/bin/env bash
# Hospes's matching beside Splink's on identical inputs: FEBRL3 (dedupe), FEBRL4 (link) and a
# person-schema CSV exported from the synthetic population (mixed scripts). Prints F1, seconds, CPU
# seconds and peak memory of both, side by side, and keeps each run's JSON under the work folder.
#
#   bench/splink_compare.sh [SYNTH_RECORDS]      (default 100000)
#
# Splink 5 and DuckDB come from PyPI into a virtual environment under target/splink-venv (git
# ignores target/); a failed installation is reported as such, with pip's own message.
set -euo pipefail

cd "$(dirname "$0")/.."
records="${1:-100000}"
data="${HOSPES_SHARED_DATA:-../shared/data}"
venv="target/splink-venv"
work="target/splink-compare"
mkdir -p "$work"

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import splink, duckdb" 2>/dev/null; then
    echo "installing splink==5.* and duckdb from PyPI into $venv …" >&2
    python3 -m venv "$venv"
    if ! "$venv/bin/pip" install --quiet "splink==5.*" duckdb >"$work/pip.log" 2>&1; then
        echo "error: pip could not install splink==5.* and duckdb; its output follows:" >&2
        cat "$work/pip.log" >&2
        exit 1
    fi
fi
echo "splink $("$venv/bin/python" -c 'import splink; print(splink.__version__)'), duckdb $("$venv/bin/python" -c 'import duckdb; print(duckdb.__version__)')" >&2

cargo build --release -p hospes >&2
hospes="${CARGO_TARGET_DIR:-target}/release/hospes"

# The synthetic population in the person schema, written by Hospes (the first spelling of each
# record and its first document number as the national id), read by both tools.
"$hospes" bench resolve --synth "$records" --export-person-csv "$work/synth.csv" >"$work/hospes-synth-native.txt"

run_both() {
    local label="$1" schema="$2"
    shift 2
    local csv_args=() splink_args=()
    local truth=""
    while [ $# -gt 0 ]; do
        case "$1" in
            --csv) csv_args+=(--csv "$2"); splink_args+=(--csv "$2"); shift 2 ;;
            --truth) truth="$2"; shift 2 ;;
        esac
    done
    "$hospes" bench resolve "${csv_args[@]}" --truth "$truth" --schema "$schema" >"$work/hospes-$label.txt" 2>&1
    tail -n 1 "$work/hospes-$label.txt" >"$work/hospes-$label.json"
    "$venv/bin/python" bench/splink_run.py "${splink_args[@]}" --truth "$truth" --schema "$schema" \
        >"$work/splink-$label.txt" 2>"$work/splink-$label.log"
    tail -n 1 "$work/splink-$label.txt" >"$work/splink-$label.json"
}

run_both febrl3 febrl --csv "$data/febrl/febrl3.csv" --truth "$data/febrl/febrl3_truth.csv"
run_both febrl4 febrl --csv "$data/febrl/febrl4a.csv" --csv "$data/febrl/febrl4b.csv" --truth "$data/febrl/febrl4_truth.csv"
run_both synth person --csv "$work/synth.csv" --truth "$work/synth_truth.csv"

python3 - "$work" <<'EOF'
import json, sys
work = sys.argv[1]
print(f"{'input':<10} {'tool':<7} {'precision':>9} {'recall':>9} {'F1':>9} {'seconds':>8} {'CPU-s':>8} {'peak MiB':>9}")
for label in ("febrl3", "febrl4", "synth"):
    for tool in ("hospes", "splink"):
        with open(f"{work}/{tool}-{label}.json") as file:
            figures = json.load(file)
        print(f"{label:<10} {tool:<7} {figures['precision']:>9.5f} {figures['recall']:>9.5f} {figures['f1']:>9.5f} "
              f"{figures['seconds']:>8.2f} {figures['cpu_seconds']:>8.2f} {figures['peak_rss_mb']:>9.0f}")
EOF
