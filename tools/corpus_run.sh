#!/usr/bin/env bash
# Run flake8 with only the ATS rules over every project of the corpus, each from its own root
# (so its own pytest configuration is used), over its test files.
# Usage: tools/corpus_run.sh [CORPUS_SRC] [extra flake8 args...]   (default /tmp/ats-corpus/src)
# Fetch the corpus first: ../shared/corpus/fetch.sh
set -uo pipefail
src=${1:-/tmp/ats-corpus/src}; shift || true
for project in "$src"/*/; do
  name=$(basename "$project")
  (
    cd "$project" || exit 0
    find . -path './.*' -prune -o -type f -name '*.py' \( -path '*/tests/*' -o -path '*/test/*' \
      -o -name 'test_*.py' -o -name '*_test.py' -o -name conftest.py \) -print0 \
      | xargs -0 -r flake8 --isolated --select ATS "$@" \
      | sed "s|^\./|$name/|"
  )
done
