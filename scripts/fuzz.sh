#!/usr/bin/env bash
# Fuzz smoke runs: each libFuzzer target (clang, AddressSanitizer, UBSan) runs for
# FUZZ_SECONDS (default 30) from its seed corpus; any crash or sanitizer report fails.
# Built in build-fuzz/, apart from the main build (g++ has no libFuzzer).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-30}"
out=build-fuzz
mkdir -p "$out"
flags=(-std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I.)

clang++ "${flags[@]}" fuzz/reply_fuzz.cpp dialogs/understand.cpp dialogs/keywords.cpp \
  bot/core/text.cpp -lutf8proc -o "$out/reply_fuzz"
clang++ "${flags[@]}" fuzz/script_fuzz.cpp dialogs/script_loader.cpp -o "$out/script_fuzz"

for target in reply script; do
  work="$out/corpus-$target"
  mkdir -p "$work"
  echo "fuzz: $target for ${seconds}s"
  # A copy of the seeds, so the run's discoveries stay out of the repository.
  "$out/${target}_fuzz" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -artifact_prefix="$out/$target-" "$work" "fuzz/corpus/$target" 2>"$out/$target.log" || {
    tail -40 "$out/$target.log"
    echo "fuzz: $target FAILED (artifact in $out/)"
    exit 1
  }
  grep -E "^(#[0-9]+|Done)" "$out/$target.log" | tail -1
done
echo "fuzz: 2 passed, 0 failed"
