#!/usr/bin/env bash
# bench/asr: our binding against whisper-cli (same audio, model, threads, decoding, in one run), pool
# throughput and end-of-speech latency, plain and speculative. Prints lines to copy into docs/PERFORMANCE.md.
#   bench/asr/run.sh [MODEL] [THREADS]     default: the whisper.cpp base test model, 2 threads
#   ASR_ONLY_LATENCY=1 bench/asr/run.sh    the latency step only (plain vs speculative, 3 runs each)
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

# whisper-cli and the binding alternate, three runs each; both load the model and run one whisper_full with
# the same decoding on the full 30 s window. Compared: process wall and CPU time (CPU is robust to load), and
# whisper's own split: whisper-cli's whisper_print_timings (encode ms; prompt/batchd decoder calls) against
# the binding's encoder/decoder probe (Transcript.EncodeTime, DecoderSteps). Then the same with the window
# fitted to the utterance (the hotline's default), whisper-cli given the same -ac.
cli_run() { # $1 = audio_ctx; prints "wall_ms cpu_ms encode_ms decode_calls"
  local t0 out; t0=$(date +%s%N)
  out=$( { /usr/bin/time -f 'cpu %U %S' "$cli" -m "$model" -f "$work/u.wav" -l zh -t "$threads" -bs 1 -bo 1 -nf -nt -sns -ac "$1" >/dev/null; } 2>&1 )
  local wall=$(( ($(date +%s%N) - t0) / 1000000 ))
  local cpu=$(awk '/^cpu/ { printf "%d", ($2 + $3) * 1000 }' <<<"$out")
  local enc=$(awk '/encode time/ { printf "%d", $5 }' <<<"$out")
  echo "$wall $cpu $enc"
}
our_run() { # $1 = single | single-fit; prints "wall_ms cpu_ms encode_ms" and keeps the binding's line
  local t0 out; t0=$(date +%s%N)
  out=$( { /usr/bin/time -f 'cpu %U %S' $bench "$model" "$vad" "$work/u.wav" "$threads" "$1" >"$work/our.txt"; } 2>&1 )
  local wall=$(( ($(date +%s%N) - t0) / 1000000 ))
  local cpu=$(awk '/^cpu/ { printf "%d", ($2 + $3) * 1000 }' <<<"$out")
  echo "$wall $cpu $(sed -E 's/.*encode_ms ([0-9]+).*/\1/' "$work/our.txt")"
}
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
compare() { # $1 = label, $2 = whisper-cli -ac, $3 = binding mode
  local cw=() cc=() ce=() ow=() oc=() oe=() r
  for run in 1 2 3; do
    read -r a b c <<<"$(cli_run "$2")"; cw+=("$a"); cc+=("$b"); ce+=("$c")
    read -r a b c <<<"$(our_run "$3")"; ow+=("$a"); oc+=("$b"); oe+=("$c")
    echo "$1 run $run (load $(cut -d' ' -f1 /proc/loadavg)): whisper-cli wall ${cw[-1]} ms cpu ${cc[-1]} ms encode ${ce[-1]} ms; binding wall ${ow[-1]} ms cpu ${oc[-1]} ms ($(cat "$work/our.txt"))"
  done
  local c=$(median "${cw[@]}") o=$(median "${ow[@]}") c2=$(median "${cc[@]}") o2=$(median "${oc[@]}") c3=$(median "${ce[@]}") o3=$(median "${oe[@]}")
  echo "$1: whisper-cli $c ms, binding $o ms (process wall time, medians of 3), ratio $(awk "BEGIN { printf \"%.2f\", $o / $c }"); " \
       "CPU $c2 / $o2 ms, ratio $(awk "BEGIN { printf \"%.2f\", $o2 / $c2 }"); encode $c3 / $o3 ms, ratio $(awk "BEGIN { printf \"%.2f\", $o3 / $c3 }")"
}
if [ "${ASR_ONLY_LATENCY:-0}" != 1 ]; then
  compare "30 s window" 0 single
  fit=$($bench "$model" "$vad" "$work/u.wav" "$threads" frames)
  compare "fitted window ($fit frames)" "$fit" single-fit
  [ "${ASR_SKIP_POOL:-0}" = 1 ] || $bench "$model" "$vad" "$work/u.wav" "$threads" pool
fi
# End of speech -> transcript, plain (transcribe at the 800 ms endpoint) and speculative (start at a 300 ms
# pause, keep the run when the end comes on the same audio), alternating; each line has the run's CPU time.
$bench "$model" "$vad" "$work/u.wav" "$threads" latency
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
