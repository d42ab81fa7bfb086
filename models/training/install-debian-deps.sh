#!/bin/sh
# Installs the exact Debian (bookworm) packages the voice/face training pipeline needs.
# PyPI is not reachable here, so PyTorch comes from Debian's python3-torch 1.13.
# Run as root. Use Debian's interpreter afterwards: /usr/bin/python3.
set -eu
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
  python3-torch python3-numpy python3-scipy python3-soundfile python3-onnx \
  asterisk-core-sounds-en-wav asterisk-core-sounds-fr-wav asterisk-core-sounds-it-wav \
  asterisk-core-sounds-ru-wav asterisk-core-sounds-es-wav \
  asterisk-prompt-it-menardi-wav asterisk-prompt-fr-armelle asterisk-prompt-es-co
# Real human voices used to train voice encoder v2 (config.json data.v2.debian_voices; GPL game/education data)
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
  tuxpaint-stamps-default fillets-ng-data-cs fillets-ng-data-nl ktuberling-data klettres-data gcin-voice
