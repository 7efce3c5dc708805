#!/usr/bin/env bash
# Translations, one catalogue per package (<package>/translations/vi/LC_MESSAGES/messages.po):
#   scripts/messages.sh update [PACKAGE ...]   extract the strings of each package and its templates into its .po
#   scripts/messages.sh compile                build the .mo files the app loads (make demo and make test run this)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
packages=(recruitment questionbank exam interviews marking verification results)
action=${1:-compile}
shift || true
[ $# -gt 0 ] && packages=("$@")
case "$action" in
  update)
    for p in "${packages[@]}"; do
      sources=("$p")
      [ -d "templates/$p" ] && sources+=("templates/$p")
      [ "$p" = recruitment ] && sources+=(templates/base.html templates/macros.html templates/errors)
      pot=$(mktemp)
      "$(dirname "$PY")/pybabel" -q extract -F babel.cfg -k _l -k lazy_gettext -o "$pot" "${sources[@]}"
      if [ -f "$p/translations/vi/LC_MESSAGES/messages.po" ]; then
        "$(dirname "$PY")/pybabel" -q update -i "$pot" -d "$p/translations" -l vi --no-fuzzy-matching --ignore-obsolete
      else
        "$(dirname "$PY")/pybabel" -q init -i "$pot" -d "$p/translations" -l vi
      fi
      rm -f "$pot"
    done ;;
  compile)
    for p in "${packages[@]}"; do
      if [ -f "$p/translations/vi/LC_MESSAGES/messages.po" ]; then
        "$(dirname "$PY")/pybabel" -q compile -d "$p/translations" -l vi
      fi
    done ;;
  *) echo "usage: $0 update|compile" >&2; exit 2 ;;
esac
