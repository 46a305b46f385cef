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

# --- Two virtualenvs, each from pyenv ------------------------------------------------------
# .venv (Python 3.10): the Rasa server, training and the operators' CLI; Rasa 3.6 refuses
# Python 3.11+ and pins pydantic 1.10 and SQLAlchemy 1.4. .venv-app (Python 3.12): the staff
# application, the citizens' web page and the action server, on currently supported versions.
APP_VENV="$ROOT/.venv-app"
find_python() {  # the newest pyenv Python of one minor version, e.g. find_python 3.10
  if command -v pyenv >/dev/null 2>&1; then
    local version
    version=$(pyenv versions --bare 2>/dev/null | grep -E "^${1//./\\.}(\.[0-9]+)?\$" \
      | sort -V | tail -n 1)
    if [ -n "$version" ]; then
      echo "$(pyenv prefix "$version")/bin/python"
      return 0
    fi
  fi
  return 1
}
make_venv() {  # make_venv DIR MINOR WHY
  if [ ! -x "$1/bin/python" ]; then
    local python
    python=$(find_python "$2") || {
      echo "ERROR: Python $2 was not found through pyenv." >&2
      echo "$3 Install it with 'pyenv install $2' and run again." >&2
      exit 1
    }
    say "Creating $(basename "$1") with $("$python" --version)"
    "$python" -m venv "$1"
  fi
  if ! "$1/bin/python" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$2'.split('.'))))"; then
    echo "ERROR: $1 is not Python $2; remove it and run again." >&2
    exit 1
  fi
}
make_venv "$VENV" 3.10 "Rasa 3.6 needs Python 3.10."
make_venv "$APP_VENV" 3.12 "The staff application and the action server run on Python 3.12."

# --- Python packages, pinned ---------------------------------------------------------------
stamp() { cat "$@" | sha256sum | cut -c1-16; }
install_pinned() {  # install_pinned VENV REQUIREMENTS CONSTRAINTS
  local stamp_file
  stamp_file="$1/.requirements-$(stamp "$2" "$3")"
  if [ ! -f "$stamp_file" ]; then
    say "Installing Python packages into $(basename "$1") (pinned by $3)"
    "$1/bin/python" -m pip install -q --upgrade "pip<25" setuptools wheel
    "$1/bin/python" -m pip install -q -r "$2" -c "$3"
    "$1/bin/python" -m pip install -q --no-deps -e .
    rm -f "$1"/.requirements-*
    touch "$stamp_file"
  fi
}
install_pinned "$VENV" requirements.in constraints.txt
install_pinned "$APP_VENV" requirements-app.in constraints-app.txt

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
