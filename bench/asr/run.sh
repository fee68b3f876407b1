#!/usr/bin/env bash
# bench/asr: our binding against whisper-cli (same audio, model, threads, decoding, in one run), pool
# throughput and end-of-speech latency. Prints lines to copy into docs/PERFORMANCE.md.
#   bench/asr/run.sh [MODEL] [THREADS]     default: the whisper.cpp base test model, 2 threads
# The test model has no trained weights: compute is that of base, the text is meaningless.
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/setup.d/30-whisper.sh
shared="${TELEPHONY_SHARED:-../shared}"
model="${1:-$shared/models/test/for-tests-ggml-base.bin}"
threads="${2:-2}"
vad="$shared/models/ggml-silero-v6.2.0.bin"
cli=.cache/whisper.cpp-1.9.1/bin/whisper-cli
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# A 10 s utterance: two hotline sentences from espeak-ng, 16 kHz PCM16, trimmed/padded to 10.0 s.
espeak-ng -v cmn-latn-pinyin -w "$work/a.wav" "nin2 hao3, wo3 yao4 tou2 su4 wo3 jia1 lou2 xia4 de5 can1 guan3, ye4 li3 tai4 chao3 le5, yi3 jing1 hao3 ji3 ge4 xing1 qi1 le5."
espeak-ng -v cmn-latn-pinyin -w "$work/b.wav" "qing3 ni3 men5 jin3 kuai4 pai4 ren2 lai2 guan3 yi1 xia4, xie4 xie4."
sox "$work/a.wav" "$work/b.wav" -r 16000 -c 1 -b 16 -e signed-integer "$work/u.wav" gain -n -3 pad 0 10 trim 0 10 2>/dev/null

dotnet build bench/asr -c Release -nologo -v:q >/dev/null
bench="dotnet bench/asr/bin/Release/net10.0/AsrBench.dll"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); model $model; threads $threads; audio 10.0 s"

# whisper-cli and the binding alternate, three runs each; both load the model and run one whisper_full.
cli_ms=(); our_ms=()
for run in 1 2 3; do
  t0=$(date +%s%N)
  "$cli" -m "$model" -f "$work/u.wav" -l zh -t "$threads" -bs 1 -bo 1 -nf -nt -sns -np >/dev/null 2>&1
  cli_ms+=($(( ($(date +%s%N) - t0) / 1000000 )))
  t0=$(date +%s%N)
  $bench "$model" "$vad" "$work/u.wav" "$threads" single >"$work/single.txt"
  our_ms+=($(( ($(date +%s%N) - t0) / 1000000 )))
  echo "run $run: whisper-cli ${cli_ms[-1]} ms, binding ${our_ms[-1]} ms ($(cat "$work/single.txt"))"
done
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
c=$(median "${cli_ms[@]}"); o=$(median "${our_ms[@]}")
echo "whisper-cli $c ms, binding $o ms (process wall time, medians of 3), ratio $(awk "BEGIN { printf \"%.2f\", $o / $c }")"
$bench "$model" "$vad" "$work/u.wav" "$threads" pool
$bench "$model" "$vad" "$work/u.wav" "$threads" latency
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
