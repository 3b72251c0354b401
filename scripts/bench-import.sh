#!/usr/bin/env bash
# Import speed of `loa import` beside `ffmpeg -i x.m4a x.flac` (the same decode and FLAC encode,
# without Loa's silence pass, probe and loudness), on the same file in the same run.
#
#   scripts/bench-import.sh [MINUTES=60]
#
# Makes MINUTES of speech-band tone and noise as 96 kbit/s AAC in M4A with the ffmpeg CLI (as a
# phone or Zalo records it), then times each tool three times and prints the best wall time,
# CPU time, peak RSS, times real time, and Loa's ratio to ffmpeg.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-60}
swift build -c release --product loa >/dev/null
loa=$(pwd)/.build/release/loa
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/station/audio" "$work/station/campaigns"
cat >"$work/station/station.yaml" <<'YAML'
station: {name: Đài thử, audio-library: audio}
channels: [{id: fm, kind: fm, name: FM, device: "null"}]
sessions: [{id: sang, name: Sáng, start: "05:30", end: "06:00", channels: all}]
YAML
seconds=$((minutes * 60))
ffmpeg -hide_banner -loglevel error -f lavfi -i "sine=frequency=440:sample_rate=44100:duration=$seconds" \
    -f lavfi -i "anoisesrc=color=pink:amplitude=0.05:sample_rate=44100:duration=$seconds" \
    -filter_complex "[0][1]amix=inputs=2" -ac 1 -c:a aac -b:a 96k "$work/in.m4a" 2>/dev/null
measure() { # name, command...
    local name=$1 best="" line
    shift
    for _ in 1 2 3; do
        rm -f "$work"/station/audio/* "$work/out.flac"
        /usr/bin/time -o "$work/time" -f "%e %U %S %M" "$@" >/dev/null 2>&1
        line=$(tail -1 "$work/time")
        if [ -z "$best" ] || awk -v a="${line%% *}" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then best=$line; fi
    done
    read -r wall user sys rss <<<"$best"
    awk -v n="$name" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v len="$seconds" \
        'BEGIN { printf "%-28s wall %6.2f s  cpu %6.2f s  peak RSS %6.1f MB  %6.0fx real time\n", n, w, u + s, r / 1024, len / w }'
    echo "$wall" >"$work/$name.wall"
}
echo "import of $minutes min of 96 kbit/s AAC (M4A), $(nproc) cores, best of 3:"
measure "ffmpeg -i x.m4a x.flac" ffmpeg -hide_banner -loglevel error -y -i "$work/in.m4a" "$work/out.flac"
measure "loa import" "$loa" import "$work/station" "$work/in.m4a" --title bench
awk -v a="$(cat "$work/loa import.wall")" -v b="$(cat "$work/ffmpeg -i x.m4a x.flac.wall")" 'BEGIN { printf "loa import / ffmpeg: %.2fx the wall time\n", a / b }'
