#!/usr/bin/env bash
# Fuzzes every parser that takes bytes from outside (the station loader, the spool request
# decoder, the console's form and multipart parsing, the audio probe, the FFmpeg import, the HLS
# playlist a relay reads) with libFuzzer, for
# SECONDS each (default 12: about a minute in all, as CI runs it; run longer by hand:
#   scripts/fuzz.sh 600
# with another libFuzzer seed for new ground: LOA_FUZZ_SEED=7 scripts/fuzz.sh 600). The seed is
# fixed (1) by default, so a finding in CI is found again by the same command here.
# Each target starts from its seed corpus and the regression inputs in Tests/Fuzz. A crash, a
# hang (over 10 s on one input) or an unlocated diagnostic fails the run and leaves the input in
# .build-fuzz/findings/TARGET/: keep it under Tests/Fuzz/regressions/TARGET/ once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-12}
seed=${LOA_FUZZ_SEED:-1}
scratch=.build-fuzz
mkdir -p "$scratch"
swift build -c debug --scratch-path "$scratch" --product loa-fuzz \
    -Xswiftc -sanitize=fuzzer -Xswiftc -DLOA_FUZZ -Xswiftc -use-ld=lld >"$scratch/build.log" 2>&1 || { tail -50 "$scratch/build.log"; exit 1; }
binary=$(swift build -c debug --scratch-path "$scratch" --show-bin-path)/loa-fuzz
status=0
for target in loader spool form multipart probe import playlist live; do
    work="$scratch/corpus/$target"
    findings="$scratch/findings/$target"
    mkdir -p "$work" "$findings"
    # The committed seeds stay as they are; what the fuzzer learns goes to the scratch corpus.
    # Swift's own crash backtracer would take the trap before libFuzzer could keep the input.
    if SWIFT_BACKTRACE=enable=no LOA_FUZZ_TARGET=$target "$binary" -seed="$seed" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$findings/" -print_final_stats=1 "$work" "Tests/Fuzz/corpus/$target" \
        "Tests/Fuzz/regressions/$target" >"$scratch/$target.log" 2>&1; then
        echo "fuzz $target: $(grep -E '^stat::number_of_executed_units' "$scratch/$target.log" | awk '{print $2}') runs in ${seconds}s, no finding"
    else
        echo "fuzz $target: FINDING (input in $findings/):"
        grep -E "ERROR|Fatal error|SUMMARY|panic|crash-|timeout-|oom-" "$scratch/$target.log" | head -20
        status=1
    fi
done
exit $status
