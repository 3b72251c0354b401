#!/usr/bin/env bash
# Soak test (not in CI): the real daemon on a compressed schedule (MINUTES minutes of sessions
# of 1-1.5 s items on two channels), SIGKILLed at random and its config edited at random, then
# counted against the plan:
#   scripts/soak.sh [MINUTES=60] [EVENTS=400]
# Prints lost (planned entries with no settled row once the session is over), doubled (entries
# settled completed more than once), unsealed (rows left `playing` after a clean stop) and the
# chain's verdict; exits 1 when any is wrong.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-60}
events=${2:-400}
swift build -c release --product loa >/dev/null
loa=$(pwd)/.build/release/loa
work=$(mktemp -d /tmp/loa-soak.XXXXXX)
mkdir -p "$work/audio" "$work/campaigns"
sox -n -r 8000 -c 1 -b 16 "$work/audio/a.wav" synth 1.0 sine 440
sox -n -r 8000 -c 1 -b 16 "$work/audio/b.wav" synth 1.5 sine 660
today=$(TZ=Asia/Ho_Chi_Minh date +%F)
# Up to 24 back-to-back sessions fill MINUTES, each holding as many 1-1.5 s items as fit (at most 24).
sessions=$(( minutes < 24 ? minutes : 24 ))
length=$(( minutes * 60 / sessions ))
plays=$(( length / 3 < 24 ? length / 3 : 24 ))
{
    echo "station:"
    echo "  name: Đài chạy thử bền"
    echo "  audio-library: audio"
    echo "channels:"
    echo "  - {id: fm, kind: fm, name: FM, device: \"file:'| cat >> $work/fm.raw',raw\"}"
    echo "  - {id: loa-1, kind: loudspeaker, name: Loa 1, device: \"file:'| cat >> $work/loa-1.raw',raw\"}"
    echo "sessions:"
    for ((n = 0; n < sessions; n++)); do
        start=$(TZ=Asia/Ho_Chi_Minh date -d "+$((10 + n * length)) seconds" +%H:%M:%S)
        end=$(TZ=Asia/Ho_Chi_Minh date -d "+$((10 + (n + 1) * length - 2)) seconds" +%H:%M:%S)
        echo "  - {id: s$n, name: Buổi $n, start: \"$start\", end: \"$end\", channels: all}"
    done
} > "$work/station.yaml"
cat > "$work/campaigns/thu.yaml" <<YAML
id: thu
title: Chạy thử bền
window: {first: $today, last: $today}
plays-per-session: $plays
messages: [a.wav, b.wav]
YAML
log="$work/log.sqlite"
start_daemon() { "$loa" run "$work" --log "$log" --trust-clock >>"$work/daemon.txt" 2>&1 & daemon=$!; }
start_daemon
kills=0 edits=0
deadline=$(( $(date +%s) + minutes * 60 + 10 ))
for ((i = 0; i < events && $(date +%s) < deadline; i++)); do
    sleep "$(python3 -c 'import random; print(round(random.uniform(0.3, 8), 2))')"
    case $((RANDOM % 3)) in
        0) echo "# sửa lần $i" >> "$work/campaigns/thu.yaml"; kill -HUP "$daemon" 2>/dev/null || true; edits=$((edits + 1)) ;;
        *) kill -KILL "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; start_daemon; kills=$((kills + 1)) ;;
    esac
done
while (( $(date +%s) < deadline + 5 )); do sleep 5; done
kill -TERM "$daemon"; wait "$daemon" || true
"$loa" plan "$work" --from "$today" --to "$today" --format json > "$work/plan.json"
"$loa" log "$work" --log "$log" --format csv > "$work/log.csv"
verdict=$("$loa" log verify "$work" --log "$log" || true)
python3 - "$work" "$kills" "$edits" "$verdict" <<'PY'
import csv, json, sys
work, kills, edits, verdict = sys.argv[1:5]
planned = {e["id"] for e in json.load(open(f"{work}/plan.json"))["entries"]}
rows = list(csv.DictReader(open(f"{work}/log.csv", encoding="utf-8-sig")))
final = {}
for r in rows:
    if r["outcome"] in ("completed", "failed", "missed", "skipped"):
        final.setdefault(r["entry"], []).append(r["outcome"])
lost = sorted(planned - set(final))
doubled = sorted(e for e, o in final.items() if o.count("completed") > 1)
unsealed = [r["entry"] for r in rows if r["outcome"] == "playing"]
print(f"soak: {kills} kills, {edits} config edits, {len(planned)} planned, {len(rows)} rows")
print(f"lost {len(lost)}, doubled {len(doubled)}, unsealed {len(unsealed)}; {verdict.strip()}")
sys.exit(1 if lost or doubled or unsealed or "intact" not in verdict else 0)
PY
