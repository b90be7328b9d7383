#!/usr/bin/env bash
# Prints the gzip -9 size of every file in DIR (the first argument) and fails if what the page
# loads at start is over LIMIT bytes (the second). Counted and reported apart, not against the
# limit: the worker (provpoll-worker*, worker-loader.js), loaded when a folder is opened or the
# fleet's panel comes into view, and the German words (de.tsv), loaded when the page speaks
# German. With a third argument, BASE, it also prints how much more than BASE the page loads;
# with BUNDLE_TOTAL_FILE set, it writes the page's total there.
set -euo pipefail
dir=$1
limit=$2
total=0
later=0
for f in "$dir"/*; do
    size=$(gzip -9 -n -c "$f" | wc -c)
    name=${f#"$dir"/}
    case $name in
    provpoll-worker* | worker-loader.js)
        printf '%8d  %s (the worker: a folder opened, or the fleet in view)\n' "$size" "$name"
        later=$((later + size))
        ;;
    de.tsv)
        printf '%8d  %s (loaded when the page speaks German)\n' "$size" "$name"
        ;;
    *)
        printf '%8d  %s\n' "$size" "$name"
        total=$((total + size))
        ;;
    esac
done
printf '%8d  total the page loads at start (limit %d)\n' "$total" "$limit"
printf '%8d  total of the worker, loaded on demand\n' "$later"
if (($# > 2)); then
    printf '%8d  more than the page without German (%d)\n' "$((total - $3))" "$3"
fi
if ((total > limit)); then
    echo "The bundle is $((total - limit)) bytes over its limit." >&2
    exit 1
fi
if [[ -n ${BUNDLE_TOTAL_FILE:-} ]]; then
    echo "$total" >"$BUNDLE_TOTAL_FILE"
fi
