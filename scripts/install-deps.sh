#!/usr/bin/env bash
# Installs the Debian packages Loa builds and tests with, skipping the ones already there.
set -euo pipefail
packages=(
    pkg-config
    libasound2-dev      # ALSA PCM API (playout)
    libsndfile1-dev     # decoding WAV, FLAC, OGG/Vorbis, MP3
    libsqlite3-dev      # the broadcast log (GRDB)
    libebur128-dev      # EBU R128 loudness
    libavformat-dev libavcodec-dev libswresample-dev libavutil-dev  # FFmpeg: loa import (AAC, AMR, WMA, video), relay streams
    ffmpeg              # the import and relay tests make M4A, WMA, MP4, WebM files and HLS, MP3 streams with it
    python3             # the relay tests serve their streams on 127.0.0.1 with its http.server
    openssl             # the central store's TLS test makes the server's certificate with it
    sqlite3             # scripts/bench-central.sh reads the log's rows for its COPY baseline
    alsa-utils          # aplay: benchmark baseline
    time                # GNU time: CPU and peak memory of benchmarked commands
    bc                  # scripts/bench-relay-delay.sh: when a live source's second 0 began
    curl                # scripts/bench-live-delay.sh logs in to the console as a phone does
    mpg123              # benchmark baseline for MP3
    sox lame espeak-ng  # audio/make-samples.sh and test audio
    libreoffice-writer-nogui poppler-utils  # the report test opens the DOCX and reads its PDF
    libreoffice-calc-nogui python3-openpyxl  # the spreadsheet test opens the XLSX in Calc and openpyxl
    fonts-liberation2   # Liberation Serif: LibreOffice's metric twin of Times New Roman, for the báo cáo
    chromium            # the console test loads every page in a real browser
    postgresql          # the central store's tests start a throwaway cluster of their own
)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "installing: ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
