#!/usr/bin/env bash
# Prints the gzip -9 size of every file in dist/ and their total, and fails if the total is
# over LIMIT bytes (the first argument).
set -euo pipefail
limit=$1
total=0
for f in dist/*; do
    size=$(gzip -9 -n -c "$f" | wc -c)
    printf '%8d  %s\n' "$size" "${f#dist/}"
    total=$((total + size))
done
printf '%8d  total (limit %d)\n' "$total" "$limit"
if ((total > limit)); then
    echo "The bundle is $((total - limit)) bytes over its limit." >&2
    exit 1
fi
