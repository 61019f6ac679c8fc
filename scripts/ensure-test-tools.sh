#!/usr/bin/env bash
# Makes sure the non-npm tools the client tests drive are installed: Debian's Chromium
# for the console's browser tests, SoftHSM2 for the HSM root-key tests, and python3-hvac
# for /usr/bin/python3 (the python3 on PATH may be another interpreter without it).
# Installs what is missing and fails loudly, so that a client test never silently lacks
# its client. Fast and silent when everything is there.
set -uo pipefail

fail() {
  echo "ensure-test-tools: $*" >&2
  exit 1
}

# apt_install PACKAGE WHY [APT-OPTION…]: installs one Debian package as root (through sudo if need be).
apt_install() {
  local package=$1 why=$2 log
  shift 2
  local as_root=()
  command -v apt-get >/dev/null 2>&1 || fail "apt-get is not available, install $package by hand ($why)"
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || fail "not root and sudo is missing; run: apt-get install $package as root ($why)"
    as_root=(sudo)
  fi
  echo "ensure-test-tools: installing $package for $why" >&2
  log=$(mktemp)
  # A package index that was never fetched (or is stale) does not know the package yet.
  if ! apt-cache policy "$package" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    "${as_root[@]}" apt-get update -qq >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; fail "apt-get update failed"; }
  fi
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "$@" "$package" >"$log" 2>&1 \
    || { cat "$log" >&2; rm -f "$log"; fail "apt-get install $package failed ($why)"; }
  rm -f "$log"
}

# playwright-core drives Debian's Chromium at /usr/bin/chromium for the console's browser
# tests (test/e2e/console*.test.ts): a test tool never downloads a browser. The first
# install takes about a minute, with the fonts and sandbox Debian recommends.
CHROMIUM=/usr/bin/chromium
if [ ! -x "$CHROMIUM" ]; then
  apt_install chromium "the console's browser tests"
  [ -x "$CHROMIUM" ] || fail "chromium is installed but $CHROMIUM is missing"
fi

# The HSM root-key tests (test/security/hsm-*.test.ts) load SoftHSM2's PKCS#11 module and
# make throwaway tokens with softhsm2-util.
SOFTHSM_MODULE=/usr/lib/softhsm/libsofthsm2.so
if [ ! -f "$SOFTHSM_MODULE" ] || ! command -v softhsm2-util >/dev/null 2>&1; then
  apt_install softhsm2 "the HSM root-key tests" --no-install-recommends
  [ -f "$SOFTHSM_MODULE" ] || fail "softhsm2 is installed but $SOFTHSM_MODULE is missing"
fi

# The hvac client tests (test/e2e/vault-clients-hvac.test.ts) run Debian's hvac, which
# only Debian's own interpreter can import.
PYTHON=/usr/bin/python3
have_hvac() { "$PYTHON" -c 'import hvac' >/dev/null 2>&1; }
if ! have_hvac; then
  [ -x "$PYTHON" ] || fail "$PYTHON does not exist; install Debian's python3 first"
  apt_install python3-hvac "the hvac client tests with $PYTHON" --no-install-recommends
  have_hvac || fail "python3-hvac is installed but '$PYTHON -c \"import hvac\"' still fails"
fi
