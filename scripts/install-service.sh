#!/usr/bin/env bash
# Installs Loa on the loudspeaker PC as a systemd service for one station:
#   sudo scripts/install-service.sh schedules/kha-son
# Builds the release binaries (`loa`, and `loa-console`, which `loa console` runs), copies them
# to /usr/local/bin, the station to /etc/loa/<name> and its
# audio to /etc/loa/audio, creates the unprivileged user `loa` in group `audio`, and enables
# loa@<name>. Run `loa check /etc/loa/<name>` after editing the config there, then
# `systemctl reload loa@<name>`.
set -euo pipefail
cd "$(dirname "$0")/.."
station=${1:?usage: install-service.sh STATION_FOLDER}
name=$(basename "$station")
scripts/install-deps.sh
swift build -c release --product loa
swift build -c release --product loa-console
install -m 0755 .build/release/loa .build/release/loa-console /usr/local/bin/
install -d -m 0755 /usr/local/share/doc/loa /etc/loa/audio
install -m 0644 README.md /usr/local/share/doc/loa/README.md
cp -r "$station" "/etc/loa/$name"
cp -r audio/. /etc/loa/audio/
# The bundled examples point at the repository's audio/; installed, the library is /etc/loa/audio.
sed -i 's|^\(\s*audio-library:\).*|\1 ../audio|' "/etc/loa/$name/station.yaml"
id loa >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin --groups audio loa
install -m 0644 scripts/systemd/loa@.service /etc/systemd/system/loa@.service
install -m 0644 scripts/systemd/loa-console@.service /etc/systemd/system/loa-console@.service
chown -R loa:audio "/etc/loa/$name" /etc/loa/audio
/usr/local/bin/loa check "/etc/loa/$name"
systemctl daemon-reload
systemctl enable --now "loa@$name" "loa-console@$name"
echo "installed: systemctl status loa@$name loa-console@$name; journalctl -u loa@$name; loa status /etc/loa/$name --state-dir /var/lib/loa"
