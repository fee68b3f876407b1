#!/usr/bin/env bash
# The intake classifier (docs/intake.md): trained from the labelled messages in the shared folder when
# models/intake-classifier.zip is missing, or its card's data checksum or trainer version differs from
# the data and the code. Quick when current: the check is a sha256sum, no build.
set -euo pipefail
cd "$(dirname "$0")/../.."
shared="${TELEPHONY_SHARED:-$(cd .. && pwd)/shared}"
data="$shared/data/hotline-messages"
model="${TELEPHONY_Intake__Model:-models/intake-classifier.zip}"
card="${model%.zip}.json"
if [ ! -f "$data/train.csv" ] || [ ! -f "$data/dev.csv" ]; then
  echo "setup: no $data/train.csv and dev.csv: intake classifier not trained (serve runs without categories)" >&2
  exit 0
fi
# Same checksum as MessageFile.Checksum: for each file, its name and a newline, then its bytes.
sum=$( { printf 'train.csv\n'; cat "$data/train.csv"; printf 'dev.csv\n'; cat "$data/dev.csv"; } | sha256sum | cut -d' ' -f1)
version=$(sed -n 's/.*CurrentTrainerVersion = "\([^"]*\)".*/\1/p' src/Intake/Classification/ModelCard.cs)
if [ -f "$model" ] && [ -f "$card" ] && grep -q "\"dataChecksum\": \"$sum\"" "$card" && grep -q "\"trainerVersion\": \"$version\"" "$card"; then
  exit 0
fi
echo "setup: training the intake classifier ($version) into $model"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/Host -c Release -nologo -v:q -clp:NoSummary -p:TreatWarningsAsErrors=false >/dev/null
# The SDCA + NB-scaled perceptron ensemble won the trainer comparison (docs/intake.md); `./hotline train` with no --trainers compares them again.
dotnet src/Host/bin/Release/net10.0/Telephony.Host.dll train --model "$model" --trainers Ensemble --data-dir "$data"
