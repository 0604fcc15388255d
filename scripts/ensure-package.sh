#!/usr/bin/env bash
# Usage: scripts/ensure-package.sh <command-or-absolute-path> <debian-package>...
#
# Installs the given Debian packages with apt-get when <command> is not
# available. Fresh machines (CI, a new developer box) may lack PostgreSQL,
# gettext or python3-venv; the project must install what it needs itself.
# An empty <command> means: the caller already checked, install now.
# An absolute path that is not a program (a font file) counts when it exists.
set -euo pipefail

if [ "$#" -lt 2 ]; then
    echo "usage: $0 <command-or-path> <debian-package>..." >&2
    exit 2
fi
check=$1
shift

# Already there: nothing to do (the common case, keep it silent and fast).
if [ -x "$check" ] || { [[ "$check" == /* ]] && [ -e "$check" ]; } \
    || command -v "$check" >/dev/null 2>&1; then
    exit 0
fi

echo ">> $check not found; installing Debian package(s): $*" >&2
if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
else
    echo "error: need root (or sudo) to apt-get install $*" >&2
    exit 1
fi
# No stdin in CI: never let apt/debconf prompt.
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "$@"
