#!/bin/sh
# Build and run every libFuzzer harness tests/fuzz/fuzz_*.c for SECONDS each.
#
#   tests/fuzz/run.sh SECONDS     (default 30)
#
# Each harness is built with clang -fsanitize=fuzzer,address,undefined
# against every ext/core/*.c, then run on a *copy* of its seed corpus
# tests/fuzz/corpus/<name>/ (the committed corpus never grows), with
# tests/fuzz/<name>.dict when present. Prints one TAP line per harness:
#   ok N - fuzz_<name>: <runs> runs, no crash
# and exits non-zero if any harness fails to build or finds a crash, leak
# or timeout; the reproducer and the log stay in tests/fuzz/build/.
# CC overrides the compiler (default: clang, else clang-14).
set -u

secs=${1:-30}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$here/build

if [ -z "${CC:-}" ]; then
    if command -v clang >/dev/null 2>&1; then CC=clang; else CC=clang-14; fi
fi
mkdir -p "$build"

n=0
fail=0
for src in "$here"/fuzz_*.c; do
    [ -e "$src" ] || continue
    name=$(basename "$src" .c)
    short=${name#fuzz_}
    n=$((n + 1))
    log=$build/$name.log

    # shellcheck disable=SC2046
    if ! $CC -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
            -fno-omit-frame-pointer -I"$top/ext/core" $(xml2-config --cflags) \
            -o "$build/$name" "$src" "$top"/ext/core/*.c \
            -lssl -lcrypto $(xml2-config --libs) -lhiredis >"$log" 2>&1; then
        echo "not ok $n - $name: build failed (see ${log#"$top"/})"
        fail=1
        continue
    fi

    work=$build/corpus-$short
    rm -rf "$work"
    mkdir -p "$work"
    if [ -d "$here/corpus/$short" ]; then
        cp -R "$here/corpus/$short/." "$work/"
    fi
    dict=
    if [ -f "$here/$short.dict" ]; then
        dict=-dict=$here/$short.dict
    fi

    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
        "$build/$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
            -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/$short-" \
            $dict "$work" >>"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    [ -n "$runs" ] || runs=$(sed -n 's/^#\([0-9]*\).*DONE.*/\1/p' "$log" | tail -n 1)
    [ -n "$runs" ] || runs=0

    if [ "$rc" -eq 0 ]; then
        echo "ok $n - $name: $runs runs, no crash"
    else
        artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
        echo "not ok $n - $name: crash after $runs runs (exit $rc; ${artifact:-no artifact}; log ${log#"$top"/})"
        fail=1
    fi
done
echo "1..$n"
exit $fail
