#!/usr/bin/env bash
# Installs whatever is missing, and only that: Debian packages, the Python 3.10 virtualenv with
# pinned packages, npm packages, the catalogue database (migrated and seeded) and the trained
# model. Safe to run again: each step checks first.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"
mkdir -p var models

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# --- Debian packages -----------------------------------------------------------------------
# libvoikko1 + voikko-fi: Finnish lemmas; postgresql: the catalogue and conversations in
# production and the server tests run against; nginx + redis-server: the production run's
# public entry and Rasa's lock store; chromium + chromium-driver: the browser the widget tests
# drive.
DEBIAN_PACKAGES=(libvoikko1 voikko-fi postgresql nginx redis-server chromium chromium-driver)
missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "Installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -q
  # The packages' own services (nginx on port 80, a system Redis and PostgreSQL) are not
  # started: the production run starts its own, on loopback, under its supervisor.
  POLICY=/usr/sbin/policy-rc.d
  made_policy=""
  if [ ! -e "$POLICY" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
    $SUDO chmod +x "$POLICY"
    made_policy=yes
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
  if [ -n "$made_policy" ]; then $SUDO rm -f "$POLICY"; fi
fi

# --- Python 3.10 from pyenv ----------------------------------------------------------------
# Rasa 3.6 refuses Python 3.11+, so the virtualenv is made from pyenv's newest 3.10.
find_python310() {
  if command -v pyenv >/dev/null 2>&1; then
    local version
    version=$(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.[0-9]+)?$' | sort -V | tail -n 1)
    if [ -n "$version" ]; then
      echo "$(pyenv prefix "$version")/bin/python"
      return 0
    fi
  fi
  return 1
}
if [ ! -x "$VENV/bin/python" ]; then
  PYTHON=$(find_python310) || {
    echo "ERROR: Python 3.10 was not found through pyenv." >&2
    echo "Rasa 3.6 needs Python 3.10. Install it with 'pyenv install 3.10' and run again." >&2
    exit 1
  }
  say "Creating the virtualenv with $("$PYTHON" --version)"
  "$PYTHON" -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then
  echo "ERROR: $VENV is not Python 3.10; remove it and run again." >&2
  exit 1
fi

# --- Python packages, pinned ---------------------------------------------------------------
stamp() { cat "$@" | sha256sum | cut -c1-16; }
PIP_STAMP="$VENV/.requirements-$(stamp requirements.in constraints.txt)"
if [ ! -f "$PIP_STAMP" ]; then
  say "Installing Python packages (pinned by constraints.txt)"
  "$VENV/bin/pip" install -q --upgrade "pip<25" setuptools wheel
  "$VENV/bin/pip" install -q -r requirements.in -c constraints.txt
  "$VENV/bin/pip" install -q --no-deps -e .
  rm -f "$VENV"/.requirements-*
  touch "$PIP_STAMP"
fi

# --- npm packages (the widget's socket.io-client, axe-core for the accessibility audit) -----
if [ -f package-lock.json ]; then
  NPM_STAMP="node_modules/.stamp-$(stamp package-lock.json)"
  if [ ! -f "$NPM_STAMP" ]; then
    say "Installing npm packages"
    npm ci --no-audit --no-fund --loglevel=error
    touch "$NPM_STAMP"
  fi
fi

# --- Catalogue database and trained model --------------------------------------------------
say "Bringing the catalogue database up to date"
"$VENV/bin/python" -m bot.cli db upgrade
"$VENV/bin/python" -m bot.cli db seed
"$VENV/bin/python" -m bot.cli train --if-needed
