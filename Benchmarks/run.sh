#!/usr/bin/env bash
# The speed comparison of BENCHMARKS.md from one command, on a fresh clone:
#
#   Benchmarks/run.sh [RECORDS] [PATHS]        e.g. Benchmarks/run.sh 1000 mass,single
#
# Builds engine-benchmark and lint-benchmark (release, scratch folder .build-bench/swift), makes a Python venv in
# .build-bench/venv with requests and yamllint, prints the machine load and the commit, the lint throughput beside
# yamllint on the same 1,000 files, then one table: zrules, the sequential script, the thread-pool script, the
# lower bound and the ratios. LATENCY (100ms), JOB_STEP (1s), EDITION (enterprise) and SEQUENTIAL_MAX (2000:
# above it the sequential script is skipped) can be set in the environment. All traffic stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
records="${1:-1000}"
paths="${2:-mass,single}"
latency="${LATENCY:-100ms}"
job_step="${JOB_STEP:-1s}"
edition="${EDITION:-enterprise}"
venv=.build-bench/venv
mkdir -p .build-bench

if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
if ! "$venv/bin/python" -c 'import requests, yamllint' 2>/dev/null; then
    "$venv/bin/pip" install --quiet requests yamllint
fi

export ZRULES_ONLY=engine,rulekit
swift build -c release --scratch-path .build-bench/swift
bin="$(swift build -c release --scratch-path .build-bench/swift --show-bin-path)"

echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown); $(uptime)"
echo "$(nproc 2>/dev/null || echo '?') cores; $(swift --version 2>&1 | head -1)"
echo
PATH="$PWD/$venv/bin:$PATH" "$bin/lint-benchmark" 1000
echo
"$venv/bin/python" Benchmarks/scripts/compare.py --bench "$bin/engine-benchmark" --records "$records" \
    --paths "$paths" --latency "$latency" --job-step "$job_step" --edition "$edition" \
    --sequential-max "${SEQUENTIAL_MAX:-2000}" --results ".build-bench/results-$records.json"
echo "uptime after: $(uptime)"
