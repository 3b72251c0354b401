#!/usr/bin/env bash
# Writes a copy of the Kha Sơn station into DIR whose campaign runs today and whose first session
# starts a little after now, with every channel playing into an ALSA `file` PCM in DIR (no sound
# card needed): something to watch `loa run` do at once. With RELAY_URL, the session ends with a
# 30 s relay (tiếp sóng) of that stream.
#   scripts/demo-station.sh DIR [SECONDS_UNTIL_START] [RELAY_URL]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:?usage: demo-station.sh DIR [SECONDS_UNTIL_START]}
lead=${2:-20}
relay=${3:-}
mkdir -p "$dir/campaigns"
# A session cannot run over midnight: that close to it, wait for the new day.
midnight=$(TZ=Asia/Ho_Chi_Minh date -d "$(TZ=Asia/Ho_Chi_Minh date -d tomorrow +%F) 00:00" +%s)
left=$((midnight - $(date +%s)))
if [ "$left" -lt $((lead + 100)) ]; then
    echo "waiting ${left} s for midnight (Asia/Ho_Chi_Minh)"
    sleep $((left + 2))
fi
today=$(TZ=Asia/Ho_Chi_Minh date +%F)
start=$(TZ=Asia/Ho_Chi_Minh date -d "+${lead} seconds" +%H:%M:%S)
end=$(TZ=Asia/Ho_Chi_Minh date -d "+$((lead + 90)) seconds" +%H:%M:%S)
relay_from=$(TZ=Asia/Ho_Chi_Minh date -d "+$((lead + 60)) seconds" +%H:%M:%S)
audio=$(pwd)/audio
cat > "$dir/station.yaml" <<YAML
station:
  name: Đài truyền thanh xã Kha Sơn (chạy thử)
  audio-library: $audio
  gap: 1
channels:
  - {id: fm, kind: fm, name: Hệ thống FM xã, device: "file:'$dir/fm.raw',raw"}
  - {id: loa-cum-1, kind: loudspeaker, name: Cụm loa 1, area: "Xóm Chợ, xóm Trại", device: "file:'$dir/loa-cum-1.raw',raw"}
sessions:
  - id: thu
    name: Buổi phát thử
    start: "$start"
    end: "$end"
    channels: all
    opening: nhac-hieu-mo-dau.wav
    closing: nhac-hieu-ket-thuc.wav
YAML
if [ -n "$relay" ]; then
    cat >> "$dir/station.yaml" <<YAML
    relay: {source: tinh, from: "$relay_from"}
relay-sources:
  - {id: tinh, name: Đài tỉnh (chạy thử), url: "$relay", fallback: nhac-hieu-mo-dau.wav}
YAML
fi
sed -e "s/first: 2024-11-25/first: $today/" -e "s/last: 2024-12-15/last: $today/" \
    schedules/kha-son/campaigns/lua-dao-truc-tuyen-2024.yaml > "$dir/campaigns/lua-dao-truc-tuyen-2024.yaml"
echo "$dir: session 'thu' today $today from $start to $end (Asia/Ho_Chi_Minh)"
