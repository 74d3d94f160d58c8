#!/usr/bin/env bash
# The two commands a newcomer needs, each doing its own set-up on a fresh machine:
#   scripts/quickstart.sh plan [STACK]   plan a stack offline (default dev), policy report included
#   scripts/quickstart.sh test [ARGS]    run the whole test suite (pytest ARGS)
# Set-up: a virtualenv in .venv with this project installed editable with its test extra; it is reinstalled
# only when pyproject.toml changes.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -ge 1 ] || usage

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] < (3, 14) else 1)'; then
  echo "quickstart: $python is $("$python" --version 2>&1); this project needs Python 3.11 to 3.13 (set PYTHON=...)" >&2
  exit 2
fi

stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "quickstart: setting up .venv (first run, or pyproject.toml changed)..." >&2
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[test]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi

command=$1; shift
case "$command" in
  plan)
    stack=${1:-dev}; [ $# -gt 0 ] && shift
    exec .venv/bin/cityctl plan "$stack" --diagram "out/${stack}-network.svg" "$@"
    ;;
  test)
    exec .venv/bin/python -m pytest "$@"
    ;;
  *)
    usage
    ;;
esac
