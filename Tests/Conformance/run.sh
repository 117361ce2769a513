#!/usr/bin/env bash
# Conformance suite: Zoho's official Python SDKs (zohocrmsdk8-0 7.0.0 and zohocrmsdk7-0 6.0.0, unmodified, from
# PyPI) drive `zrules emulator serve` over real HTTP; every expectation is checked against the emulator's state.
# Usage: Tests/Conformance/run.sh [path-to-zrules-binary]   (default .build/debug/zrules)
# Prints one line per failed expectation, then `N passed, N failed` as its last line; exit 0 only when 0 failed.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
binary="${1:-$root/.build/debug/zrules}"
venvs="$root/.build-conformance"
if [[ ! -x "$binary" ]]; then
  echo "no zrules binary at $binary"
  echo "0 passed, 1 failed"
  exit 1
fi
binary="$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")"

# One venv per SDK: both install the package `zohocrmsdk`, so they cannot share one.
setup() {
  local name="$1" requirement="$2" venv="$venvs/$1"
  if [[ ! -f "$venv/.installed-$requirement" ]]; then
    rm -rf "$venv"
    python3 -m venv "$venv" &&
      "$venv/bin/pip" install --quiet --disable-pip-version-check "$requirement" &&
      touch "$venv/.installed-$requirement"
  fi
}

mkdir -p "$venvs"
# No __pycache__ beside the sources (the worktree must stay clean).
export PYTHONDONTWRITEBYTECODE=1
passed=0
failed=0
for pair in "v8 zohocrmsdk8-0==7.0.0" "v7 zohocrmsdk7-0==6.0.0"; do
  read -r name requirement <<<"$pair"
  if ! setup "$name" "$requirement" >"$venvs/$name.setup.log" 2>&1; then
    echo "FAIL [$name] could not install $requirement into a venv (see $venvs/$name.setup.log)"
    failed=$((failed + 1))
    continue
  fi
  counts="$(mktemp)"
  (cd "$here" && "$venvs/$name/bin/python" conformance.py "$binary" "$here/fixture.yaml" "$name" "$counts" \
    2>"$venvs/$name.stderr.log")
  read -r p f <"$counts" || { p=0; f=1; echo "FAIL [$name] the suite did not finish (see $venvs/$name.stderr.log)"; }
  rm -f "$counts"
  passed=$((passed + p))
  failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
