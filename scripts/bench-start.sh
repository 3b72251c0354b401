#!/usr/bin/env bash
# Start accuracy and idle cost of `loa run`, beside Liquidsoap 2.1 and a sleep-then-aplay loop
# measured by ../shared/bench/peers.sh (part B) in the same run.
#
#   scripts/bench-start.sh [SESSIONS=24] [SPACING_SECONDS=4] [IDLE_SECONDS=120]
#
# PARTS="start idle peers" chooses parts; LOA=path measures another build of `loa` (an older
# one, for a before/after in the same run) instead of building this tree's release binary.
#
# 1. Writes a station with two channels (ALSA `file` PCMs) and SESSIONS one-item sessions
#    SPACING_SECONDS apart (24, the most a station may have), starts the release `loa run` on it, and polls both capture files every
#    0.25 ms: start error = first non-silent sample in the capture - the scheduled second.
# 2. Starts `loa run` on a station with nothing due and reads its CPU time, wake-ups (voluntary
#    context switches of all its threads), RSS and PSS (smaps_rollup: shared pages divided among
#    the processes that map them) from /proc over IDLE_SECONDS.
# 3. Runs peers.sh part B (Liquidsoap's "play at HH:MM:SS", default and 10 ms frames, and the
#    sleep-then-aplay baseline), when liquidsoap is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
sessions=${1:-24}
spacing=${2:-4}
idle=${3:-120}
parts=${PARTS:-start idle peers}
if [ -n "${LOA:-}" ]; then
    loa=$LOA
else
    swift build -c release --product loa >/dev/null
    swift build -c release --product loa-console >/dev/null
    loa=$(pwd)/.build/release/loa
fi
work=$(mktemp -d /tmp/loa-bench-start.XXXXXX)
trap 'pkill -f "run $work" 2>/dev/null || true' EXIT
mkdir -p "$work/timed/audio" "$work/timed/campaigns"
sox -n -r 48000 -c 2 -b 16 "$work/timed/audio/beep.wav" synth 0.5 sine 1000 vol 0.5

# ---- 1. start accuracy
if [[ $parts == *start* ]]; then
first=$(( $(date +%s) + 15 ))
python3 - "$work/timed" "$first" "$sessions" "$spacing" <<'PY'
import sys, datetime, zoneinfo
folder, first, n, spacing = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
zone = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
lines = ["station:", "  name: Đo độ chính xác", "  audio-library: audio", "channels:"]
for ch in ("a", "b"):
    lines.append(f"  - {{id: {ch}, kind: loudspeaker, name: {ch}, device: \"file:'{folder}/{ch}.raw',raw\"}}")
lines.append("sessions:")
starts = []
for i in range(n):
    t = datetime.datetime.fromtimestamp(first + i * spacing, zone)
    e = datetime.datetime.fromtimestamp(first + i * spacing + spacing - 1, zone)
    lines.append(f"  - {{id: s{i}, name: s{i}, start: \"{t:%H:%M:%S}\", end: \"{e:%H:%M:%S}\", channels: all}}")
    starts.append(first + i * spacing)
open(f"{folder}/station.yaml", "w").write("\n".join(lines) + "\n")
day = datetime.datetime.fromtimestamp(first, zone).date()
open(f"{folder}/campaigns/do.yaml", "w").write(
    f"id: do\ntitle: Đo\nwindow: {{first: {day}, last: {day}}}\nplays-per-session: 1\nmessages: [beep.wav]\n")
open(f"{folder}/starts.txt", "w").write("\n".join(map(str, starts)) + "\n")
PY
"$loa" run "$work/timed" --log "$work/timed.sqlite" >"$work/timed.out" 2>&1 &
python3 - "$work/timed" "$sessions" <<'PY'
import os, sys, time, statistics
folder, n = sys.argv[1], int(sys.argv[2])
starts = [int(x) for x in open(f"{folder}/starts.txt")]
errors = []
for ch in ("a", "b"):
    pass
deadline = starts[-1] + 5
seen = {"a": set(), "b": set()}
onsets = {"a": [], "b": []}
last_size = {"a": 0, "b": 0}
while time.time() < deadline:
    now = time.time()
    for ch in ("a", "b"):
        path = f"{folder}/{ch}.raw"
        try:
            size = os.stat(path).st_size
        except FileNotFoundError:
            continue
        if size < last_size[ch]:
            last_size[ch] = 0          # reopened (truncated) for the next item
        if last_size[ch] == 0 and size > 0:
            # first bytes of an item: the scheduled start nearest below is its second
            target = max((s for s in starts if s <= now + 0.5), default=None)
            if target is not None and target not in seen[ch]:
                seen[ch].add(target)
                onsets[ch].append(now - target)
        last_size[ch] = size
    time.sleep(0.00025)
all_errors = sorted(e * 1000 for ch in onsets for e in onsets[ch])
if not all_errors:
    print("no onsets seen"); sys.exit(1)
def pct(p): return all_errors[min(len(all_errors) - 1, int(round(p / 100 * (len(all_errors) - 1))))]
print(f"loa run: {len(all_errors)} starts on 2 channels ({n} sessions): start error p50 {pct(50):.2f} ms, "
      f"p99 {pct(99):.2f} ms, max {max(all_errors):.2f} ms, min {min(all_errors):.2f} ms (poll 0.25 ms)")
open(f"{folder}/p99.txt", "w").write(f"{pct(99):.2f}\n")
PY
pkill -TERM -f "run $work/timed" || true
fi

# ---- 2. idle cost
if [[ $parts == *idle* ]]; then
mkdir -p "$work/idle/audio"
cp "$work/timed/audio/beep.wav" "$work/idle/audio/"
printf 'station:\n  name: Rảnh\n  audio-library: audio\nchannels:\n  - {id: a, kind: fm, name: a, device: "null"}\nsessions:\n  - {id: dem, name: đêm, start: "00:00", end: "00:01", channels: all}\n' > "$work/idle/station.yaml"
"$loa" run "$work/idle" --log "$work/idle.sqlite" >/dev/null 2>&1 &
pid=$!
sleep 3
switches() { # "tid voluntary-switches" for each live thread
    for t in /proc/$pid/task/*; do echo "${t##*/} $(awk '/^voluntary_ctxt_switches/ {print $2}' "$t/status")"; done
}
t0=$(awk '{print $14 + $15}' /proc/$pid/stat)
switches > "$work/switches.0"
sleep "$idle"
t1=$(awk '{print $14 + $15}' /proc/$pid/stat)
switches > "$work/switches.1"
# Thread by thread, so that a thread which ended does not take its count out of the sum.
w0=0
w1=$(awk 'NR == FNR { before[$1] = $2; next } { sum += $2 - ($1 in before ? before[$1] : 0) } END { print sum + 0 }' \
    "$work/switches.0" "$work/switches.1")
rss=$(awk '/^VmRSS/ {print $2}' /proc/$pid/status)
pss=$(awk '/^Pss:/ {print $2}' /proc/$pid/smaps_rollup)
private=$(awk '/^Private_(Clean|Dirty):/ {sum += $2} END {print sum}' /proc/$pid/smaps_rollup)
anonymous=$(awk '/^Anonymous:/ {print $2}' /proc/$pid/smaps_rollup)
# On a station the console runs beside the daemon: the libraries' pages are then shared, and
# PSS divides them between the two.
shared_pss=$pss
if [ -x "$(dirname "$loa")/loa-console" ]; then
    "$(dirname "$loa")/loa-console" serve "$work/idle" --log "$work/idle.sqlite" --listen 127.0.0.1:18089 >/dev/null 2>&1 &
    console=$!
    sleep 3
    shared_pss=$(awk '/^Pss:/ {print $2}' /proc/$pid/smaps_rollup)
    kill -TERM $console; wait $console || true
fi
kill -TERM $pid; wait $pid || true
hz=$(getconf CLK_TCK)
python3 -c "
t=($t1-$t0)/$hz; m=$idle/60
print(f'loa run idle ({$idle} s, nothing due): {t/$idle*3600:.3f} CPU s per hour ({t/$idle*100:.4f} % of a core), '
      f'{($w1-$w0)/m:.2f} wake-ups per minute; RSS {$rss/1024:.1f} MB, PSS {$pss/1024:.1f} MB '
      f'({$shared_pss/1024:.1f} MB with the console running beside it), anonymous {$anonymous/1024:.1f} MB')"
fi

# ---- 3. peers, same run
if [[ $parts != *peers* ]]; then
    :
elif command -v liquidsoap >/dev/null; then
    echo "peers (../shared/bench/peers.sh part B, same machine, same run):"
    SKIP_A=1 SKIP_C=1 bash ../shared/bench/peers.sh 2>/dev/null | sed -n '/B. start error/,/^-- C/p' | grep -v '^-- C' \
        | tee "$work/peers.txt"
    loa_p99=$(cat "$work/timed/p99.txt")
    for peer in "liquidsoap 2.1.3 (40 ms frames)" "liquidsoap tuned (10 ms frames)" "python sleep-to-second + aplay"; do
        p99=$(grep -F "$peer" "$work/peers.txt" | sed -n 's/.*p99= *\([0-9.]*\).*/\1/p' | head -1)
        [ -n "$p99" ] && python3 -c "print(f'p99 start error: {\"$peer\"} {$p99} ms / loa {$loa_p99} ms = {$p99/$loa_p99:.1f}x')"
    done
else
    echo "liquidsoap not installed: apt-get install liquidsoap to add the peers' rows"
fi
