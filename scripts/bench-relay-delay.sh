#!/usr/bin/env bash
# How far behind its source a relay airs: `loa relay` beside `ffmpeg -re -i URL -f alsa` on the
# same live stream, at the same time, for a live HLS playlist (ffmpeg -re encoding in 2 s
# segments, as a province's encoder does) and an Icecast-like MP3 stream (a 4 s burst to a new
# listener, then real time), both served on 127.0.0.1.
#
#   scripts/bench-relay-delay.sh [SECONDS=60]
#
# The source's audio says its own second (a tone of 400 + 100 * (second % 20) Hz), each tool
# plays to ALSA's `file` PCM, and each capture's last 10 s, read back a 0.2 s window at a time,
# give the delay: when a window aired (the tool's end, less the frames after it) less when that
# second of the source was live. ffmpeg gets -re because the file PCM, unlike a card, does not
# pace it. Also printed: how many seconds of the source either aired twice.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
swift build -c release --product loa >/dev/null
loa=$(pwd)/.build/release/loa
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$work"' EXIT
now() { date +%s.%N; }
tone="aevalsrc=0.5*sin(2*PI*(400+100*mod(floor(t)\,20))*t):s=48000:d=$((seconds * 3 + 60))"
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The live HLS encoder, and when its second 0 began (its first 2 s segment's arrival, less 2 s).
mkdir -p "$work/hls"
ffmpeg -nostdin -hide_banner -loglevel error -re -f lavfi -i "$tone" -ac 2 -c:a aac -b:a 128k -f hls -hls_time 2 \
    -hls_list_size 6 -hls_segment_filename "$work/hls/seg%05d.ts" "$work/hls/live.m3u8" &
pids+=($!)
while [ ! -f "$work/hls/live.m3u8" ]; do sleep 0.01; done
hls_began=$(echo "$(now) - 2" | bc)
hls_port=$(port)
python3 -m http.server --bind 127.0.0.1 --directory "$work/hls" "$hls_port" >/dev/null 2>&1 &
pids+=($!)

# The Icecast-like server: a CBR MP3 of the same tone aired from its start, 4 s burst to a listener.
ffmpeg -nostdin -hide_banner -loglevel error -f lavfi -i "$tone" -ac 2 -c:a libmp3lame -b:a 128k -write_xing 0 -id3v2_version 0 "$work/live.mp3"
icy_port=$(port)
python3 - "$work/live.mp3" "$icy_port" "$work/icy.began" <<'PY' &
import socket, sys, threading, time
data = open(sys.argv[1], 'rb').read()
start = time.time()
open(sys.argv[3], 'w').write(repr(start))
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', int(sys.argv[2]))); s.listen(8)
def serve(c):
    c.recv(4096)
    c.sendall(b'HTTP/1.0 200 OK\r\nContent-Type: audio/mpeg\r\nicy-name: bench\r\n\r\n')
    at = max(0, int((time.time() - start - 4) * 16000))
    try:
        while at < len(data):
            upto = min(len(data), int((time.time() - start) * 16000))
            if upto > at: c.sendall(data[at:upto]); at = upto
            time.sleep(0.02)
    except OSError: pass
while True:
    c, _ = s.accept(); threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
pids+=($!)
sleep 8  # both sources have been live a while, as VOV has when a session relays it

# Reads a capture: the delay of each 0.2 s window of its last 10 s, and seconds aired twice.
analyse() { # name capture end-time source-began
    python3 - "$@" <<'PY'
import struct, sys, statistics
name, path, end, began = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
raw = open(path, 'rb').read()
left = struct.unpack('<%dh' % (len(raw) // 2), raw)[0::2]
rate, window = 48000, 9600
def heard(first):
    half = window // 2
    found = []
    for start in (first, first + half):
        part = left[start:start + half]
        if max(abs(v) for v in part) < 500: return None
        crossings = sum(1 for a, b in zip(part, part[1:]) if (a < 0) != (b < 0))
        step = (crossings / 2 / (half / rate) - 400) / 100
        if abs(step - round(step)) * 100 > 15 or not 0 <= round(step) < 20: return None
        found.append(round(step))
    return found[0] if found[0] == found[1] else None
frames = len(left)
delays, runs = [], []
for first in range(0, frames - window, window):
    k = heard(first)
    if k is None: continue
    aired = end - (frames - first - window / 2) / rate
    live = aired - began - 0.5
    second = k + 20 * int((live - k + 5) // 20)
    if not runs or runs[-1] != second: runs.append(second)
    if frames - first <= 10 * rate: delays.append(live - second)
twice = len(runs) - len(set(runs))
print(f"  {name:34} delay {statistics.mean(delays):5.2f} s (min {min(delays):5.2f}, max {max(delays):5.2f}) over the last 10 s; "
      f"seconds aired twice: {twice}")
PY
}

station() { # url
    mkdir -p "$work/station/audio"
    cat >"$work/station/station.yaml" <<YAML
station: {name: Đài thử, audio-library: audio}
channels: [{id: fm, kind: fm, name: FM, device: "null"}]
relay-sources: [{id: nguon, name: Nguồn, url: "$1"}]
sessions: [{id: sang, name: Sáng, start: "05:30", end: "06:00", channels: all, relay: {source: nguon}}]
YAML
}

run() { # label url source-began
    station "$2"
    echo "$1, $seconds s, $(nproc) cores:"
    "$loa" relay "$work/station" nguon --device "file:'$work/loa.raw',raw" --seconds "$seconds" >"$work/loa.out" 2>&1 &
    local l=$!
    ffmpeg -nostdin -hide_banner -loglevel error -re -i "$2" -t "$seconds" -ac 2 -ar 48000 -f alsa "file:'$work/ffmpeg.raw',raw" &
    local f=$!
    wait "$l"; local loa_end; loa_end=$(now)
    wait "$f"; local ffmpeg_end; ffmpeg_end=$(now)
    analyse "ffmpeg -re -i URL -f alsa" "$work/ffmpeg.raw" "$ffmpeg_end" "$3" | tee "$work/ffmpeg.delay"
    analyse "loa relay" "$work/loa.raw" "$loa_end" "$3" | tee "$work/loa.delay"
    python3 -c 'import sys, re
d = [float(re.search(r"delay\s+([-\d.]+)", open(p).read()).group(1)) for p in sys.argv[1:]]
print(f"  loa relay / ffmpeg: {d[0] / d[1]:.2f}x the delay")' "$work/loa.delay" "$work/ffmpeg.delay"
    rm -f "$work/loa.raw" "$work/ffmpeg.raw"
}

run "live HLS (AAC, 2 s segments)" "http://127.0.0.1:$hls_port/live.m3u8" "$hls_began"
run "Icecast-like MP3 (128 kbit/s, 4 s burst)" "http://127.0.0.1:$icy_port/vov" "$(cat "$work/icy.began")"
