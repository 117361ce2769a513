#!/usr/bin/env bash
# The emulator at scale (BENCHMARKS.md): serves the engine benchmark's fixture of RECORDS quotes, prints how long
# it took to load and the emulator's memory, times four COQL calls (first and last page of the selection, a
# back-link `in` query, an `id in` query), and with `client` runs zrules' mass path against it and prints the
# emulator's CPU seconds during the run.
#
#   Benchmarks/emulator_scale.sh .build/debug/engine-benchmark 100000
#   Benchmarks/emulator_scale.sh .build/debug/engine-benchmark 10000 client
#
# All traffic stays on 127.0.0.1; the OAuth client is the emulator's any-client default, no secret is involved.
set -euo pipefail
bin="$1"
records="$2"
client="${3:-}"
out="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$out"' EXIT
flags=(--records "$records" --path mass --latency 100ms --job-step 1s --edition enterprise)
"$bin" --serve "${flags[@]}" --serve-seconds 3600 >"$out/serve" 2>"$out/serve.err" &
server=$!
until grep -q listening "$out/serve" 2>/dev/null; do
    kill -0 "$server" 2>/dev/null || { cat "$out/serve.err"; exit 1; }
    sleep 0.5
done
url="$(sed -n 's/listening on //p' "$out/serve")"
cpu() { awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$server/stat"; }
memory() { grep VmHWM "/proc/$server/status" | tr -s ' \t' ' '; }
echo "$(cat "$out/serve.err"); emulator CPU $(cpu) s, $(memory)"
token="$(curl -s -X POST "$url/oauth/v2/token?grant_type=refresh_token&client_id=1000.SCALE&client_secret=scale&refresh_token=1000.scale.scale" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')"
curl -s -X POST "$url/__emulator/faults" -H 'Content-Type: application/json' -d '{"latency": "0ms"}' >/dev/null
coql() {
    local seconds
    seconds="$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -X POST "$url/crm/v8/coql" \
        -H "Authorization: Zoho-oauthtoken $token" -H 'Content-Type: application/json' \
        -d "{\"select_query\": \"$1\"}")"
    echo "  COQL $seconds s: $1"
}
last=$((records > 2000 ? records - 2000 : 0))
selection="select id, Subject from Quotes where Quote_Stage = 'Accepted' and Grand_Total > 0 order by id asc limit 2000"
coql "$selection"
coql "$selection offset $last"
coql "select id, Quote_Name from Sales_Orders where Quote_Name in ('4876876000010000000', '4876876000010000001') order by id asc"
coql "select id from Quotes where id in ('4876876000010000005', '4876876000010000007') order by id asc"
if [ "$client" = client ]; then
    before="$(cpu)"
    "$bin" --url "$url" "${flags[@]}"
    echo "emulator CPU during the run: $(echo "$(cpu) - $before" | bc) s, $(memory)"
fi
