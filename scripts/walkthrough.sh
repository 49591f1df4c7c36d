#!/usr/bin/env bash
# The seed's walkthrough (IPC namespace isolation), step by step.
set -euo pipefail
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }
step ipcs -q
step ipcmk -Q
step ipcs -q
