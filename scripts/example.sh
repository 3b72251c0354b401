#!/usr/bin/env bash
# The main job on the bundled example, from a fresh machine: install what is missing, build, then
#  1. check the Kha Sơn station and print the anti-fraud campaign's timetable (plan);
#  2. air the whole 25/11-15/12/2024 window on a virtual clock into a log and verify it (prove);
#  3. start the real daemon on a demo copy whose session starts 20 s from now, playing every
#     channel into ALSA file PCMs, let it air the session, stop it, and show its log (play).
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

scripts/demo-station.sh "$work/demo" 20
$loa run "$work/demo" --log "$work/demo.sqlite" &
daemon=$!
sleep 75
$loa status "$work/demo" --log "$work/demo.sqlite"
kill -TERM "$daemon"
wait "$daemon"
$loa log "$work/demo" --log "$work/demo.sqlite"
$loa log verify "$work/demo" --log "$work/demo.sqlite"
echo "captured audio: $(ls -1 "$work/demo"/*.raw | tr '\n' ' ')"
