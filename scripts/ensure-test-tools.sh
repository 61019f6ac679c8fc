#!/usr/bin/env bash
# Makes sure the Debian packages the client tests drive are installed: hvac for
# /usr/bin/python3 (the python3 on PATH may be another interpreter without it).
# Installs what is missing, and fails loudly rather than let a client test skip.
set -euo pipefail

have_hvac() { /usr/bin/python3 -c 'import hvac' >/dev/null 2>&1; }

if have_hvac; then exit 0; fi
echo "python3-hvac is missing for /usr/bin/python3; installing it" >&2

sudo_if_needed=""
if [ "$(id -u)" -ne 0 ]; then sudo_if_needed="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

if ! $sudo_if_needed apt-get install -y -qq python3-hvac >/dev/null 2>&1; then
  $sudo_if_needed apt-get update -qq >/dev/null
  $sudo_if_needed apt-get install -y -qq python3-hvac >/dev/null
fi

if ! have_hvac; then
  echo "python3-hvac could not be installed; the hvac client tests cannot run" >&2
  exit 1
fi
