#!/usr/bin/env bash
# How far behind the speaker the loudspeakers are in a live broadcast (nói trực tiếp): frames sent
# to the console over HTTPS and its WebSocket as the live page sends them (20 ms of 16-bit PCM
# each, stamped with its capture time, in real time), to a running daemon playing to ALSA's
# `file` PCM. The daemon reads each aired frame's delay (its capture stamp to its second on the
# device's clock) and the bench prints p50 and p95. Beside it, in the same run, the same tone
# through the relay path: scripts/bench-relay-delay.sh (an HTTP stream relayed by `loa relay`).
#
#   scripts/bench-live-delay.sh [SECONDS=30]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
for product in loa loa-console loa-bench; do swift build -c release --product "$product" >/dev/null; done
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$work"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

mkdir -p "$work/station/audio"
cat >"$work/station/station.yaml" <<YAML
station: {name: Đài thử, audio-library: audio}
channels: [{id: fm, kind: fm, name: FM, device: "file:'$work/fm.raw',raw"}]
sessions: [{id: dem, name: Đêm, start: "00:00", end: "00:01", channels: all}]
YAML
log="$work/log.sqlite"
echo "mat-khau-an" | "$bin/loa" console add-account "$work/station" an --display-name "Nguyễn Văn An" --log "$log" >/dev/null
"$bin/loa" run "$work/station" --log "$log" >"$work/daemon.out" 2>&1 &
pids+=($!)
http=$(port) https=$(port)
"$bin/loa" console "$work/station" --log "$log" --listen "127.0.0.1:$http" --https "127.0.0.1:$https" >"$work/console.out" 2>&1 &
pids+=($!)
until grep -q "listening on 127.0.0.1:$https" "$work/console.out" 2>/dev/null && [ -S "$work/log.live" ]; do sleep 0.1; done

# A session as the operator's phone has one: a login link, then the live page's token.
link=$("$bin/loa" console login-link "$work/station" an --url "https://127.0.0.1:$https" --next /truc-tiep --log "$log")
page=$(curl -sk -c "$work/cookies" -b "$work/cookies" -L "$link")
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' <<<"$page" | head -1 | sed 's/.*value="\(.*\)"/\1/')
cookie=$(awk '$6 == "loa_phien" { print "loa_phien=" $7 }' "$work/cookies")
echo "live and relay delay, $seconds s each, $(nproc) cores:"
live=$("$bin/loa-bench" live "wss://127.0.0.1:$https/truc-tiep/ws?csrf=$csrf" "$cookie" "$seconds")
echo "  $live"
relay=$(scripts/bench-relay-delay.sh "$seconds" | grep -A2 "Icecast-like" | grep "loa relay " | head -1)
echo "  relay (HTTP stream, Icecast-like MP3):$relay"
python3 - "$live" "$relay" <<'PY'
import re, sys
p95 = float(re.search(r"p95 ([\d.]+) ms", sys.argv[1]).group(1)) / 1000
relay = float(re.search(r"delay\s+([-\d.]+)", sys.argv[2]).group(1))
print(f"  live p95 / relay delay: {p95:.3f} s / {relay:.2f} s = {p95 / relay:.2f}x")
PY
