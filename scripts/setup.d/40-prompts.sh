#!/usr/bin/env bash
# Mandarin prompts: for every line of prompts/prompts.tsv (name, Chinese text, pinyin) without a recording,
# synthesizes prompts/NAME.wav (16 kHz mono PCM16; the PromptLibrary converts to 8 kHz for G.711 calls) with
# espeak-ng's pinyin voice: espeak-ng 1.51 reads Chinese characters partly in English, pinyin with tone digits
# right (../shared/PEERS.md). Cached: skipped when the file is there and the text unchanged. A prompt.wav with
# no stamp in prompts/.synth is a human recording and is never replaced.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir="${TELEPHONY_PROMPTS:-prompts}"   # another folder for tests
catalog="$dir/prompts.tsv"
[ -f "$catalog" ] || exit 0
for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null || { echo "setup: $tool is missing (scripts/setup.d/10-apt.sh installs it)" >&2; exit 1; }
done
voice=cmn-latn-pinyin
format="-r 16000 -c 1 -b 16 -e signed-integer"
mkdir -p "$dir/.synth"
while IFS=$'\t' read -r name chinese pinyin || [ -n "$name" ]; do
  [ -z "$name" ] || [ "$name" = name ] || [ "${name:0:1}" = "#" ] && continue
  if [ -z "${pinyin:-}" ]; then echo "setup: $catalog: prompt '$name' has no pinyin column" >&2; exit 1; fi
  wav="$dir/$name.wav"
  stamp="$dir/.synth/$name.sha256"
  # The stamp covers everything that shapes the audio: text, voice and output format.
  want=$(printf '%s\t%s\t%s\t%s' "$chinese" "$pinyin" "$voice" "$format" | sha256sum | cut -d' ' -f1)
  if [ -f "$wav" ]; then
    [ -f "$stamp" ] || continue                      # recorded by a person: keep it
    [ "$(cat "$stamp")" = "$want" ] && continue      # synthesized from this very text
  fi
  echo "setup: synthesizing prompt $name ($chinese)"
  tmp=$(mktemp -d)
  espeak-ng -v "$voice" -w "$tmp/raw.wav" "$pinyin"
  # shellcheck disable=SC2086
  sox "$tmp/raw.wav" $format "$tmp/out.wav" gain -n -3 pad 0 0.2
  mv "$tmp/out.wav" "$wav"
  rm -rf "$tmp"
  echo "$want" > "$stamp"
done < "$catalog"
