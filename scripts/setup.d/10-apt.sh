#!/usr/bin/env bash
# Debian packages. The server needs espeak-ng and sox (prompts); the tests also drive real peers.
set -euo pipefail
serve=(espeak-ng sox libsox-fmt-all cmake g++ make)
test=(sip-tester baresip kamailio tshark postgresql chromium fonts-wqy-microhei python3 libspandsp2)
want=("${serve[@]}")
# npm fetches the whisper.cpp source (scripts/setup.d/30-whisper.sh); Debian's npm brings nodejs. Skipped
# where npm already exists (NodeSource's nodejs ships its own npm and conflicts with Debian's package).
command -v npm >/dev/null || want+=(npm)
[ "${SETUP_PROFILE:-test}" = test ] && want+=("${test[@]}")
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "setup: installing ${missing[*]}"
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
