#!/usr/bin/env bash
# Run flake8 with only the ATS rules over every project of the corpus, each from its own root
# (so its own pytest configuration is used), over its test files; then count the findings per
# project and code. Plugin crashes show on stderr and make the exit status 2.
# Usage: tools/corpus_run.sh [CORPUS_SRC] [extra flake8 args...]   (default /tmp/ats-corpus/src)
# Fetch the corpus first: ../shared/corpus/fetch.sh
set -uo pipefail
src=${1:-/tmp/ats-corpus/src}
shift || true
findings=$(mktemp)
errors=$(mktemp)
status=0
for project in "$src"/*/; do
  name=$(basename "$project")
  (
    cd "$project" || exit 0
    find . -path './.*' -prune -o -type f -name '*.py' \( -path '*/tests/*' -o -path '*/test/*' \
      -o -name 'test_*.py' -o -name '*_test.py' -o -name conftest.py \) -print0 \
      | xargs -0 -r python3 -m flake8 --isolated --select ATS "$@" 2>"$errors" \
      | sed "s|^\./|$name/|"
  ) | tee -a "$findings"
  if grep -q Traceback "$errors"; then cat "$errors" >&2; echo "flake8 crashed on $name" >&2; status=2; fi
done
echo "== findings per project and code"
awk '{split($1, p, "/"); split($2, c, " "); print p[1], $2}' "$findings" | sort | uniq -c
echo "== total: $(wc -l < "$findings") findings over $(ls -d "$src"/*/ | wc -l) projects"
rm -f "$findings" "$errors"
exit $status
