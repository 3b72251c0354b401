#!/usr/bin/env bash
# The whole test suite (XCTest and Swift Testing), against the real libsndfile, ALSA, SQLite,
# FFmpeg, PostgreSQL, LibreOffice and Chromium: installs whichever of them is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
swift test
