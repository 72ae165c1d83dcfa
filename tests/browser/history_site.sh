#!/usr/bin/env bash
# Makes DIR a copy of the example site in a git repository with history,
# for the browser check of /changes/ (tests/browser/changes.js): the notes
# committed on 2026-11-10, then three deals changed (one moved a stage,
# one slipped, one revalued) and committed on 2026-11-20. The site's
# figures are as of 2026-11-25, so `compare_days` (7) compares with the
# first commit.
#
#   bash tests/browser/history_site.sh DIR
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir=$1
mkdir -p "$dir"
cp -r "$root/content" "$root/coachbook.toml" "$dir/"
cd "$dir"
export GIT_AUTHOR_NAME=coachbook GIT_AUTHOR_EMAIL=ci@example.com
export GIT_COMMITTER_NAME=coachbook GIT_COMMITTER_EMAIL=ci@example.com
git init -q .
git add -A
GIT_AUTHOR_DATE=2026-11-10T12:00:00Z GIT_COMMITTER_DATE=2026-11-10T12:00:00Z git commit -q -m "notes as of 10 November"
sed -i 's/^stage: solution$/stage: proposal/' content/deals/aldergrove-university-estates.md
sed -i 's/^close_date: .*/close_date: 2027-03-31/' content/deals/cobalt-bay-marinas.md
sed -i 's/^value: .*/value: 90000/' content/deals/fenwick-chemicals-site-safety.md
git add -A
GIT_AUTHOR_DATE=2026-11-20T12:00:00Z GIT_COMMITTER_DATE=2026-11-20T12:00:00Z git commit -q -m "a week of deal changes"
