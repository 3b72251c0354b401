#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job on the bundled Kha Sơn example:
# validate the station, then print the timetable of the anti-fraud campaign's window.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product loa
loa=.build/release/loa
$loa check schedules/kha-son
$loa plan schedules/kha-son --from 2024-11-25 --to 2024-12-15
