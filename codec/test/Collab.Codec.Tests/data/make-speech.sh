#!/usr/bin/env bash
# Regenerates speech-48k.wav, the real-speech sample the codec tests and the load generator use:
# two espeak-ng voices reading consultation-meeting sentences, resampled to 48 kHz mono 16-bit.
# Needs espeak-ng and sox (apt-get install espeak-ng sox). The committed WAV is the reference; rerun only on purpose.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
espeak-ng -v en-us -s 165 -w "$tmp/a.wav" \
  "Good morning. Raise your hand to speak about the water project."
espeak-ng -v en-us+f3 -s 165 -w "$tmp/b.wav" \
  "The budget vote is open for five minutes."
sox "$tmp/a.wav" "$tmp/b.wav" -r 48000 -c 1 -b 16 speech-48k.wav norm -3
soxi speech-48k.wav

# speech2-48k.wav, a second, different sample for the redundancy targets: other voices (British English, a
# lower male and a higher female one), other words, a faster pace.
espeak-ng -v en-gb+m3 -s 175 -w "$tmp/c.wav" \
  "Please check the minutes from last week before we start."
espeak-ng -v en-gb+f4 -s 175 -w "$tmp/d.wav" \
  "Questions about the bridge repairs go to the council office."
sox "$tmp/c.wav" "$tmp/d.wav" -r 48000 -c 1 -b 16 speech2-48k.wav norm -3
soxi speech2-48k.wav
