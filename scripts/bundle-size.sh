#!/usr/bin/env bash
# Prints the gzip -9 size of every file in dist/ and fails if what the page loads at start is
# over LIMIT bytes (the first argument). The folder view's worker (provpoll-worker*,
# worker-loader.js) is loaded only when a folder is opened: it is counted and reported
# separately, and not against the limit.
set -euo pipefail
limit=$1
total=0
later=0
for f in dist/*; do
    size=$(gzip -9 -n -c "$f" | wc -c)
    name=${f#dist/}
    case $name in
    provpoll-worker* | worker-loader.js)
        printf '%8d  %s (loaded when a folder is opened)\n' "$size" "$name"
        later=$((later + size))
        ;;
    *)
        printf '%8d  %s\n' "$size" "$name"
        total=$((total + size))
        ;;
    esac
done
printf '%8d  total the page loads (limit %d)\n' "$total" "$limit"
printf '%8d  total of the folder worker, loaded on demand\n' "$later"
if ((total > limit)); then
    echo "The bundle is $((total - limit)) bytes over its limit." >&2
    exit 1
fi
