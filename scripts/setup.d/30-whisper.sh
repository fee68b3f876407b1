#!/usr/bin/env bash
# whisper.cpp 1.9.1 as libwhisper.so (our P/Invoke binding loads it) plus whisper-cli (bench/asr compares
# against it). The source is the whisper.cpp tree inside the npm package nodejs-whisper@0.3.1, the only
# route to it from the build machines; the tarball is checked against the registry's sha512 pinned here.
# The build lands in .cache/whisper.cpp-1.9.1/ (git-ignored) and is skipped when that folder is complete.
#
# Optional, for a connected machine: TELEPHONY_DOWNLOAD_MODEL=base (or tiny, base-q8_0) fetches that
# ggml model from the official whisper.cpp model host into models/ and checks its SHA-256 (the values
# of ../shared/models/README.md; ggml-small.bin is not offered because no checked hash is on record).
set -euo pipefail
cd "$(dirname "$0")/../.."

version=1.9.1
package=nodejs-whisper@0.3.1
integrity="sha512-ceoilUVraRuR5FnNyXpGQT2auAR48Oc3AQBEmkXnVpSn9iN6yVRzQBFCqVTGWbk6Wdi95NhvwXNzFvuR7erLWw=="
out=".cache/whisper.cpp-$version"
jobs="${WHISPER_BUILD_JOBS:-2}"   # the build machines are shared: two jobs, never -j$(nproc) blindly

download_model() {
  local name="$1" sha url dest
  case "$name" in
    base) sha=60ed5bc3dd14eea856493d334349b405782ddcaf0028d4b5df4088345fba2efe ;;
    tiny) sha=be07e048e1e599ad46341c8d2a135645097a538221678b7acdd1b1919c6e1b21 ;;
    base-q8_0) sha=c577b9a86e7e048a0b7eada054f4dd79a56bbfa911fbdacf900ac5b567cbb7d9 ;;
    *) echo "setup: TELEPHONY_DOWNLOAD_MODEL must be base, tiny or base-q8_0, not '$name'" >&2; exit 1 ;;
  esac
  dest="models/ggml-$name.bin"
  if [ -f "$dest" ] && echo "$sha  $dest" | sha256sum -c --status; then return 0; fi
  url="https://huggingface.co/ggerganov/whisper.cpp/resolve/main/ggml-$name.bin"
  echo "setup: downloading $url"
  curl -fL --retry 3 -o "$dest.part" "$url"
  if ! echo "$sha  $dest.part" | sha256sum -c --status; then
    rm -f "$dest.part"; echo "setup: $dest: SHA-256 mismatch, file discarded" >&2; exit 1
  fi
  mv "$dest.part" "$dest"
}

if [ -f "$out/lib/libwhisper.so" ] && [ -x "$out/bin/whisper-cli" ] && [ -f "$out/include/whisper.h" ]; then
  [ -n "${TELEPHONY_DOWNLOAD_MODEL:-}" ] && download_model "$TELEPHONY_DOWNLOAD_MODEL"
  exit 0
fi

command -v npm >/dev/null || { echo "setup: npm is missing (scripts/setup.d/10-apt.sh installs it)" >&2; exit 1; }
command -v cmake >/dev/null || { echo "setup: cmake is missing (scripts/setup.d/10-apt.sh installs it)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "setup: building whisper.cpp $version from npm $package (a few minutes on 2 cores)"
(cd "$work" && npm pack "$package" --silent >/dev/null)
tarball=$(ls "$work"/*.tgz)
actual=$(node -e 'const c=require("crypto"),f=require("fs");process.stdout.write("sha512-"+c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$tarball")
if [ "$actual" != "$integrity" ]; then
  echo "setup: $package tarball integrity mismatch: got $actual, expected $integrity" >&2; exit 1
fi
tar xzf "$tarball" -C "$work"
src="$work/package/cpp/whisper.cpp"
grep -q "project(\"whisper.cpp\" VERSION $version)" "$src/CMakeLists.txt" \
  || { echo "setup: $package does not carry whisper.cpp $version" >&2; exit 1; }

# Release, CPU only, shared libraries; examples on only so that the whisper-cli target exists.
cmake -S "$src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON \
  -DWHISPER_BUILD_EXAMPLES=ON -DWHISPER_BUILD_TESTS=OFF -DWHISPER_BUILD_SERVER=OFF \
  -DWHISPER_SDL2=OFF -DWHISPER_CURL=OFF -DGGML_CUDA=OFF -DGGML_VULKAN=OFF -DGGML_METAL=OFF \
  -DCMAKE_INSTALL_RPATH='$ORIGIN/../lib' -DCMAKE_BUILD_WITH_INSTALL_RPATH=ON >"$work/cmake.log" 2>&1 \
  || { cat "$work/cmake.log" >&2; exit 1; }
cmake --build "$work/build" --config Release -j "$jobs" --target whisper whisper-cli >"$work/build.log" 2>&1 \
  || { tail -50 "$work/build.log" >&2; exit 1; }

rm -rf "$out.part"; mkdir -p "$out.part/lib" "$out.part/bin" "$out.part/include"
find "$work/build" -name 'lib*.so*' -exec cp -P {} "$out.part/lib/" \;
cp "$work/build/bin/whisper-cli" "$out.part/bin/"
cp "$src/include/whisper.h" "$src/ggml/include/"*.h "$out.part/include/"
echo "$package $integrity" >"$out.part/SOURCE"
rm -rf "$out"; mv "$out.part" "$out"
echo "setup: whisper.cpp $version in $out"
[ -n "${TELEPHONY_DOWNLOAD_MODEL:-}" ] && download_model "$TELEPHONY_DOWNLOAD_MODEL"
exit 0
