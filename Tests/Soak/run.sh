#!/usr/bin/env bash
# The long crash harness and fault soak of issue 12 (BENCHMARKS.md, "Faults and kills"):
# 600 quotes → invoices, 1,000 quotes → sales orders, 400 sales orders → invoices, 600 leads, 30 kills.
# The short version of the same tests runs in CI (.ci/run, after `swift test`, on its build):
#   ZRULES_SOAK=short swift test --skip-build --filter SoakTests   (ZRULES_SOAK=crash: the crash harness alone)
# Usage: Tests/Soak/run.sh [LOGFILE]   (default soak-long.log); exit code is swift test's.
set -euo pipefail
cd "$(dirname "$0")/../.."
log="${1:-soak-long.log}"
swift build --build-tests
set +e
ZRULES_SOAK=long swift test --skip-build --filter SoakTests 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
echo "== figures"
grep -E "^soak (figures|runs|kill)|^  run [0-9]+:" "$log" || true
exit "$status"
