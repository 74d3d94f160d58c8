#!/usr/bin/env bash
# The two commands a newcomer needs, each doing its own set-up on a fresh machine:
#   scripts/quickstart.sh plan [STACK]         plan a stack offline (default dev), policy report included
#   scripts/quickstart.sh test [ARGS]          run the whole test suite (pytest ARGS)
# And two for maintainers:
#   scripts/quickstart.sh test-latest [ARGS]   the tests against the newest pulumi, pulumi-policy and
#                                              pulumi-azure-native (in .venv-latest), everything else from the lock
#   scripts/quickstart.sh lock                 regenerate .ci/constraints.txt from a fresh install of pyproject.toml
# Set-up: a virtualenv in .venv with this project installed editable with its test extra, every package at the
# version pinned in .ci/constraints.txt; it is reinstalled only when pyproject.toml or the lock changes.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -ge 1 ] || usage

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] < (3, 14) else 1)'; then
  echo "quickstart: $python is $("$python" --version 2>&1); this project needs Python 3.11 to 3.13 (set PYTHON=...)" >&2
  exit 2
fi

lock=.ci/constraints.txt
sdks="pulumi pulumi-policy pulumi-azure-native"

fresh_venv() {  # fresh_venv DIR: an empty virtualenv with a current pip
  rm -rf "$1"
  "$python" -m venv "$1"
  "$1/bin/python" -m pip install --quiet --upgrade pip
}

command=$1; shift
case "$command" in
  lock)
    echo "quickstart: installing pyproject.toml's dependencies afresh into .venv-lock to pin them..." >&2
    fresh_venv .venv-lock
    .venv-lock/bin/python -m pip install --quiet -e '.[test]'
    { echo "# Every package a fresh \`pip install -e '.[test]'\` installs, pinned: quickstart and CI install from it,"
      echo "# so installs on different days plan the same. Regenerate: scripts/quickstart.sh lock"
      .venv-lock/bin/python -m pip freeze --exclude-editable; } > "$lock.new"
    mv "$lock.new" "$lock"
    rm -rf .venv-lock
    echo "quickstart: wrote $lock; the next plan or test reinstalls .venv from it" >&2
    exit 0
    ;;
  test-latest)
    echo "quickstart: installing the newest $sdks into .venv-latest..." >&2
    fresh_venv .venv-latest
    # shellcheck disable=SC2086  # the SDK names are words
    .venv-latest/bin/python -m pip install --quiet --upgrade $sdks
    # The rest from the lock, except what the newest SDKs just brought (their own dependencies float with them).
    .venv-latest/bin/python - "$lock" > .venv-latest/constraints.txt <<'EOF'
import re, sys
from importlib.metadata import distributions
canonical = lambda name: re.sub(r"[-_.]+", "-", name).lower()
installed = {canonical(d.metadata["Name"]) for d in distributions()}
for line in open(sys.argv[1]):
    if not line.startswith("#") and canonical(line.split("==")[0].strip()) not in installed:
        print(line, end="")
EOF
    .venv-latest/bin/python -m pip install --quiet -c .venv-latest/constraints.txt -e '.[test]'
    tested=$(.venv-latest/bin/python -m pip freeze | grep -iE '^pulumi(_azure_native|_policy|-azure-native|-policy)?==')
    echo "quickstart: testing against" $tested >&2
    exec .venv-latest/bin/python -m pytest "$@"
    ;;
esac

stamp=".venv/.installed-$(cat pyproject.toml "$lock" | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "quickstart: setting up .venv (first run, or pyproject.toml or $lock changed)..." >&2
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -c "$lock" -e '.[test]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi

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
