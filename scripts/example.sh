#!/usr/bin/env bash
# The main job on the bundled example, from a fresh machine: install what is missing, build, then
#  1. check the Kha Sơn station and print the anti-fraud campaign's timetable (plan);
#  2. air the whole 25/11-15/12/2024 window on a virtual clock into a log, verify it, and make
#     the anti-fraud campaign's báo cáo (text here; DOCX and XLSX as files) and the programme log
#     of its first week (prove);
#  3. start the real daemon on a demo copy whose session starts 20 s from now and ends with a
#     relay of an HLS stream served on 127.0.0.1, playing every channel into ALSA file PCMs, let
#     it air the session, stop it, and show its log (play).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product loa
loa=$(pwd)/.build/release/loa
work=$(mktemp -d /tmp/loa-example.XXXXXX)

$loa check schedules/kha-son
$loa plan schedules/kha-son --from 2024-11-25 --to 2024-12-15

$loa run schedules/kha-son --simulate --from 2024-11-25 --to 2024-12-15 --log "$work/kha-son-2024.sqlite"
$loa log verify schedules/kha-son --log "$work/kha-son-2024.sqlite"
report=(schedules/kha-son --campaign lua-dao-truc-tuyen-2024 --on 2024-12-16 --log "$work/kha-son-2024.sqlite")
$loa report "${report[@]}"
$loa report "${report[@]}" --format docx --output "$work/bao-cao-lua-dao-truc-tuyen-2024.docx"
$loa report "${report[@]}" --format xlsx --output "$work/bao-cao-lua-dao-truc-tuyen-2024.xlsx"
$loa report schedules/kha-son --period week --at 2024-11-25 --on 2024-12-16 --log "$work/kha-son-2024.sqlite" \
    --format docx --output "$work/so-nhat-ky-tuan-2024-11-25.docx"
echo "documents: $(ls -1 "$work"/*.docx "$work"/*.xlsx | tr '\n' ' ')"

# The province's stream, as the relay would take it: AAC in HLS, served on loopback.
mkdir -p "$work/hls"
ffmpeg -nostdin -hide_banner -loglevel error -f lavfi -i "sine=frequency=330:sample_rate=48000:duration=120" -ac 2 -c:a aac -b:a 128k \
    -f hls -hls_time 2 -hls_list_size 0 -hls_segment_filename "$work/hls/seg%03d.ts" "$work/hls/live.m3u8"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$work/hls" "$port" >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
scripts/demo-station.sh "$work/demo" 20 "http://127.0.0.1:$port/live.m3u8"
$loa run "$work/demo" --log "$work/demo.sqlite" &
daemon=$!
sleep 115
$loa status "$work/demo" --log "$work/demo.sqlite"
kill -TERM "$daemon"
wait "$daemon"
$loa log "$work/demo" --log "$work/demo.sqlite"
$loa log verify "$work/demo" --log "$work/demo.sqlite"
echo "captured audio: $(ls -1 "$work/demo"/*.raw | tr '\n' ' ')"
