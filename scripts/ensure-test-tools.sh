#!/usr/bin/env bash
# Makes sure the non-npm tools the client tests drive are installed: Debian's
# Chromium for the console's browser tests, and python3-hvac for /usr/bin/python3 (the
# python3 on PATH may be another interpreter without it). Installs what is missing and fails loudly, so that a client test
# never silently lacks its client. Fast and silent when everything is there.
set -uo pipefail

PACKAGE=python3-hvac
PYTHON=/usr/bin/python3

have_hvac() { "$PYTHON" -c 'import hvac' >/dev/null 2>&1; }

fail() {
  echo "ensure-test-tools: $*" >&2
  echo "ensure-test-tools: the hvac client tests (test/e2e/vault-clients-hvac.test.ts) need $PACKAGE for $PYTHON" >&2
  exit 1
}

# Debian's Chromium for the console's browser tests (test/e2e/console*.test.ts), which
# playwright-core drives at /usr/bin/chromium: a test tool never downloads a browser.
# The first install takes about a minute.
CHROMIUM=/usr/bin/chromium
if [ ! -x "$CHROMIUM" ]; then
  command -v apt-get >/dev/null 2>&1 || { echo "ensure-test-tools: apt-get is not available, install chromium by hand" >&2; exit 1; }
  chromium_root=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "ensure-test-tools: not root and sudo is missing; run: apt-get install chromium as root" >&2; exit 1; }
    chromium_root=(sudo)
  fi
  echo "ensure-test-tools: installing chromium for the console's browser tests" >&2
  chromium_log=$(mktemp)
  if ! apt-cache policy chromium 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    "${chromium_root[@]}" apt-get update -qq >"$chromium_log" 2>&1 || { cat "$chromium_log" >&2; echo "ensure-test-tools: apt-get update failed" >&2; exit 1; }
  fi
  DEBIAN_FRONTEND=noninteractive "${chromium_root[@]}" apt-get install -y -qq chromium >"$chromium_log" 2>&1 \
    || { cat "$chromium_log" >&2; echo "ensure-test-tools: apt-get install chromium failed" >&2; exit 1; }
  rm -f "$chromium_log"
  [ -x "$CHROMIUM" ] || { echo "ensure-test-tools: chromium is installed but $CHROMIUM is missing" >&2; exit 1; }
fi

# Debian's SoftHSM2 for the HSM root-key tests (test/security/hsm-*.test.ts), which load
# its PKCS#11 module and make throwaway tokens with softhsm2-util.
SOFTHSM_MODULE=/usr/lib/softhsm/libsofthsm2.so
if [ ! -f "$SOFTHSM_MODULE" ] || ! command -v softhsm2-util >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || { echo "ensure-test-tools: apt-get is not available, install softhsm2 by hand" >&2; exit 1; }
  softhsm_root=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "ensure-test-tools: not root and sudo is missing; run: apt-get install softhsm2 as root" >&2; exit 1; }
    softhsm_root=(sudo)
  fi
  echo "ensure-test-tools: installing softhsm2 for the HSM root-key tests" >&2
  softhsm_log=$(mktemp)
  if ! apt-cache policy softhsm2 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    "${softhsm_root[@]}" apt-get update -qq >"$softhsm_log" 2>&1 || { cat "$softhsm_log" >&2; echo "ensure-test-tools: apt-get update failed" >&2; exit 1; }
  fi
  DEBIAN_FRONTEND=noninteractive "${softhsm_root[@]}" apt-get install -y -qq --no-install-recommends softhsm2 >"$softhsm_log" 2>&1 \
    || { cat "$softhsm_log" >&2; echo "ensure-test-tools: apt-get install softhsm2 failed" >&2; exit 1; }
  rm -f "$softhsm_log"
  [ -f "$SOFTHSM_MODULE" ] || { echo "ensure-test-tools: softhsm2 is installed but $SOFTHSM_MODULE is missing" >&2; exit 1; }
fi

if have_hvac; then
  exit 0
fi

[ -x "$PYTHON" ] || fail "$PYTHON does not exist; install Debian's python3 first"
command -v apt-get >/dev/null 2>&1 || fail "apt-get is not available, install $PACKAGE by hand"

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || fail "not root and sudo is missing; run: apt-get install $PACKAGE as root"
  as_root=(sudo)
fi

echo "ensure-test-tools: installing $PACKAGE for $PYTHON" >&2
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# A package index that was never fetched (or is stale) does not know the package yet.
if ! apt-cache policy "$PACKAGE" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
  "${as_root[@]}" apt-get update -qq >"$log" 2>&1 || { cat "$log" >&2; fail "apt-get update failed"; }
fi
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "$PACKAGE" >"$log" 2>&1 || { cat "$log" >&2; fail "apt-get install $PACKAGE failed"; }

have_hvac || fail "$PACKAGE is installed but '$PYTHON -c \"import hvac\"' still fails"
