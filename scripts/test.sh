#!/usr/bin/env bash
# The whole test suite (XCTest and Swift Testing), against the real libsndfile, ALSA, SQLite,
# FFmpeg, PostgreSQL, LibreOffice and Chromium: installs whichever of them is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
# The live broadcasts' tests (a daemon, a console and Chromium each, speaking in real time) run
# on their own after the rest: beside them on two cores, the other real-time tests would be
# measuring the machine's load.
live="LiveBrowserTests|LiveDaemonTests"
swift test --skip "$live"
swift test --filter "$live"
