#!/usr/bin/env bash
# The province's central store (PostgreSQL, started here in a throwaway cluster as the tests do):
#  1. `loa sync` of one commune's log of ROWS rows (default 1,000,000): rows per second, bytes of
#     JSON sent, beside a plain `COPY` of the same rows' content into a table (no checks) in the
#     same run;
#  2. the province report over 100 communes x 3 months (rows made in SQL, 120 lượt per commune
#     per day: 4 channels x 30 items, 1,080,000 rows): `loa central report` beside a plain
#     `SELECT count(*) GROUP BY commune, channel_kind, date` over the same rows.
#
#   scripts/bench-central.sh [ROWS]     (as root, with Debian's postgresql installed)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
swift build -c release --product loa >/dev/null
swift build -c release --product loa-bench >/dev/null
loa=$(pwd)/.build/release/loa
bench=$(pwd)/.build/release/loa-bench
bin=/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -n | tail -1)/bin
work=$(mktemp -d /tmp/loa-bench-central.XXXXXX)
chmod 755 "$work"
port=$((30000 + RANDOM % 5000))
mkdir "$work/pg"
chown postgres "$work/pg"
trap 'runuser -u postgres -- "$bin/pg_ctl" -D "$work/pg/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
echo "admin-$RANDOM-$RANDOM" >"$work/admin.pass"
chmod 600 "$work/admin.pass"
cp "$work/admin.pass" "$work/initdb.pass"
chown postgres "$work/initdb.pass"
runuser -u postgres -- "$bin/initdb" -D "$work/pg/data" -U loa_admin --pwfile="$work/initdb.pass" --auth-local=trust \
    --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w -o "-k $work/pg -p $port -c listen_addresses=127.0.0.1" start >/dev/null
admin="postgres://loa_admin@127.0.0.1:$port/postgres"
psql() { PGPASSWORD=$(cat "$work/admin.pass") command psql -h 127.0.0.1 -p "$port" -U loa_admin -d postgres -qAt "$@"; }
$loa central init "$admin" --password-file "$work/admin.pass" >/dev/null
echo "commune-password-1" >"$work/commune.pass"
chmod 600 "$work/commune.pass"
$loa central add-commune "$admin" --password-file "$work/admin.pass" --code 04567 --name "Xã Kha Sơn" --role kha_son \
    <"$work/commune.pass" >/dev/null

echo "generating a sealed log of $rows rows..."
$bench log "$rows" "$work/log.sqlite"
timed() { # command... ; prints "wall cpu rss" of the command
    /usr/bin/time -o "$work/time" -f "%e %U %S %M" "$@" >"$work/out" 2>&1
    read -r wall user sys rss <<<"$(tail -1 "$work/time")"
    echo "$wall $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }') $rss"
}
read -r wall cpu rss <<<"$(timed "$loa" sync schedules/kha-son --to "postgres://kha_son@127.0.0.1:$port/postgres" \
    --password-file "$work/commune.pass" --log "$work/log.sqlite")"
grep -h "synced" "$work/out"
bytes=$(grep -o '([0-9]* bytes of JSON)' "$work/out" | tr -dc 0-9)
# The baseline: the same rows' columns as CSV, COPYed into an unchecked, unindexed table.
sqlite3 -csv "$work/log.sqlite" "SELECT * FROM broadcast ORDER BY sealSequence" >"$work/rows.csv"
psql -c "CREATE TABLE copy_raw (id bigint, entry text, date text, station text, channel text, kind text, session text, campaign text, message text, role text, audio text, sha text, scheduled text, started text, ended text, zone text, played numeric, outcome text, reason_code text, reason text, device text, seq bigint, previous text, hash text)" >/dev/null
start=$(date +%s.%N)
psql -c "\\copy copy_raw FROM '$work/rows.csv' WITH (FORMAT csv)" >/dev/null
copy=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
awk -v r="$rows" -v w="$wall" -v c="$cpu" -v m="$rss" -v b="$bytes" -v k="$copy" 'BEGIN {
    printf "loa sync of %d rows: %.1f s wall, %.0f rows/s, %.1f MB of JSON sent (%.0f bytes a row), loa cpu %.1f s, peak RSS %.1f MB\n", r, w, r / w, b / 1e6, b / r, c, m / 1024
    printf "baseline: psql \\\\copy of the same rows as CSV into an unchecked table: %.1f s, %.0f rows/s; loa sync is %.2fx its time\n", k, r / k, w / k }'

echo "making 100 communes x 90 days x 120 lượt in SQL..."
psql >/dev/null <<'SQL'
INSERT INTO loa.commune (code, name, role_name) SELECT 'B' || n, 'Xã ' || n, 'bench_' || n FROM generate_series(1, 100) n;
CREATE TABLE IF NOT EXISTS loa.broadcast_2025_01 PARTITION OF loa.broadcast FOR VALUES FROM ('2025-01-01') TO ('2025-02-01');
CREATE TABLE IF NOT EXISTS loa.broadcast_2025_02 PARTITION OF loa.broadcast FOR VALUES FROM ('2025-02-01') TO ('2025-03-01');
CREATE TABLE IF NOT EXISTS loa.broadcast_2025_03 PARTITION OF loa.broadcast FOR VALUES FROM ('2025-03-01') TO ('2025-04-01');
INSERT INTO loa.broadcast
SELECT 'B' || c, d * 120 + i, d * 120 + i, 'bench', '2025-01-01'::date + d, 'Đài', 'ch' || (i % 4),
    CASE WHEN i % 4 = 0 THEN 'fm' ELSE 'loudspeaker' END, 'sang', 'tinh-2025', 'tin', 'message', 'tin.wav', NULL,
    '', '', '', 'Asia/Ho_Chi_Minh', 30, CASE WHEN i % 20 = 0 THEN 'missed' ELSE 'completed' END, NULL, NULL, 'null', '', repeat('0', 64)
FROM generate_series(1, 100) c, generate_series(0, 89) d, generate_series(0, 119) i;
INSERT INTO loa.planned SELECT 'B' || c, 'tinh-2025', '2025-01-01'::date + d, k, CASE WHEN k = 'fm' THEN 30 ELSE 90 END
FROM generate_series(1, 100) c, generate_series(0, 89) d, unnest(ARRAY['fm', 'loudspeaker']) k;
ANALYZE loa.broadcast;
SQL
read -r wall cpu rss <<<"$(timed "$loa" central report "$admin" --password-file "$work/admin.pass" --campaign tinh-2025 --from 2025-01-01 --to 2025-03-31)"
tail -1 "$work/out"
start=$(date +%s.%N)
psql -c "SELECT commune, channel_kind, date, count(*) FROM loa.broadcast WHERE campaign = 'tinh-2025' AND date BETWEEN '2025-01-01' AND '2025-03-31' GROUP BY 1, 2, 3" >/dev/null
plain=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
awk -v w="$wall" -v p="$plain" -v m="$rss" 'BEGIN {
    printf "province report, 100 communes x 3 months (1,080,000 rows): loa central report %.2f s (peak RSS %.1f MB); plain SELECT count(*) GROUP BY %.2f s; %.2fx\n", w, m / 1024, p, w / p }'
