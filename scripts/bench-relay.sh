#!/usr/bin/env bash
# CPU and memory of a relay (tiếp sóng): `loa relay` of a 128 kbit/s AAC HLS stream served on
# 127.0.0.1 to ALSA's `null` device, beside `ffmpeg -re -i URL -f alsa null` (the same decode,
# paced to real time, without Loa's resampling to 48 kHz stereo, buffering, level watch and
# fallback) on the same stream, side by side in the same run.
#
#   scripts/bench-relay.sh [SECONDS=3600]
#
# A relay is real-time work: both tools run at once for SECONDS of wall time (each takes about
# 1 % of a core, so neither waits for the other), and the figures are CPU time, CPU per hour of
# relay, and peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-3600}
swift build -c release --product loa >/dev/null
loa=$(pwd)/.build/release/loa
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$work/hls" "$work/station/audio"
# Speech-band tone and noise, a little longer than the runs, as VOV publishes it: AAC in HLS.
ffmpeg -nostdin -hide_banner -loglevel error -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=$((seconds + 30))" \
    -f lavfi -i "anoisesrc=color=pink:amplitude=0.05:sample_rate=48000:duration=$((seconds + 30))" \
    -filter_complex "[0][1]amix=inputs=2,volume=6" -ac 2 -c:a aac -b:a 128k -f hls -hls_time 6 -hls_list_size 0 \
    -hls_segment_filename "$work/hls/seg%05d.ts" "$work/hls/live.m3u8"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$work/hls" "$port" >/dev/null 2>&1 &
server=$!
sleep 1
url="http://127.0.0.1:$port/live.m3u8"
cat >"$work/station/station.yaml" <<YAML
station: {name: Đài thử, audio-library: audio}
channels: [{id: fm, kind: fm, name: FM, device: "null"}]
relay-sources: [{id: vov1, name: VOV1, url: "$url"}]
sessions: [{id: sang, name: Sáng, start: "05:30", end: "06:00", channels: all, relay: {source: vov1}}]
YAML
measure() { # name, command...
    local name=$1
    shift
    /usr/bin/time -o "$work/$name.time" -f "%e %U %S %M" "$@" >"$work/$name.out" 2>&1
    read -r wall user sys rss <<<"$(tail -1 "$work/$name.time")"
    awk -v n="$name" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" \
        'BEGIN { printf "%-34s wall %6.1f s  cpu %6.2f s  cpu per hour %6.1f s (%.2f%% of a core)  peak RSS %6.1f MB\n", n, w, u + s, (u + s) / w * 3600, (u + s) / w * 100, r / 1024 }'
    awk -v u="$user" -v s="$sys" -v w="$wall" 'BEGIN { print (u + s) / w }' >"$work/$name.cpu"
}
echo "relay of $seconds s of 128 kbit/s AAC HLS from 127.0.0.1 to ALSA null, $(nproc) cores:"
measure "ffmpeg -re -i URL -f alsa null" ffmpeg -nostdin -hide_banner -loglevel error -re -t "$seconds" -i "$url" -f alsa null \
    >"$work/ffmpeg.line" &
baseline=$!
measure "loa relay" "$loa" relay "$work/station" vov1 --device null --seconds "$seconds" >"$work/loa.line" &
wait "$baseline" $!
cat "$work/ffmpeg.line" "$work/loa.line"
grep -h -A3 "relayed" "$work/loa relay.out" || true
awk -v a="$(cat "$work/loa relay.cpu")" -v b="$(cat "$work/ffmpeg -re -i URL -f alsa null.cpu")" \
    'BEGIN { printf "loa relay / ffmpeg: %.2fx the CPU per second relayed\n", a / b }'
