#!/usr/bin/env bash
# The whole test suite (XCTest and Swift Testing), against the real libsndfile, ALSA and SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
swift test
