#!/usr/bin/env bash
# Writes a copy of the Kha Sơn station into DIR whose campaign runs today and whose first session
# starts a little after now, with every channel playing into an ALSA `file` PCM in DIR (no sound
# card needed): something to watch `loa run` do at once.
#   scripts/demo-station.sh DIR [SECONDS_UNTIL_START]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:?usage: demo-station.sh DIR [SECONDS_UNTIL_START]}
lead=${2:-20}
mkdir -p "$dir/campaigns"
today=$(TZ=Asia/Ho_Chi_Minh date +%F)
start=$(TZ=Asia/Ho_Chi_Minh date -d "+${lead} seconds" +%H:%M:%S)
end=$(TZ=Asia/Ho_Chi_Minh date -d "+$((lead + 90)) seconds" +%H:%M:%S)
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
sed -e "s/first: 2024-11-25/first: $today/" -e "s/last: 2024-12-15/last: $today/" \
    schedules/kha-son/campaigns/lua-dao-truc-tuyen-2024.yaml > "$dir/campaigns/lua-dao-truc-tuyen-2024.yaml"
echo "$dir: session 'thu' today $today from $start to $end (Asia/Ho_Chi_Minh)"
