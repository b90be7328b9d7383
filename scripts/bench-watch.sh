#!/usr/bin/env bash
# The benchmark of `provpoll watch` (issue 24, BENCHMARKS.md). A server of 20,000 snom phones
# (19,999 polling every 15 minutes, one weekly: so the daemon reads the whole week back), each
# fetch two requests: 7 days of logs rotated as logrotate leaves them (access.log.1 plain,
# .2.gz … .7.gz) and today's access.log, about 27M lines. Then:
#   1. start to the first report, beside `zcat -f … | wc -l` on the same files;
#   2. 2,000 lines a second appended for DURATION seconds (600 by default): the lag from a
#      line written to its phone in /api/report, the daemon's CPU and resident memory;
#   3. /metrics under 100 scrapes a second for 10 s: each answer's time.
# Writes into DIR (default target/bench-watch); builds provpoll with `cargo build --release`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${1:-$root/target/bench-watch}
duration=${DURATION:-600}
mkdir -p "$dir/prov" "$dir/log"
echo "==> cargo build --release"
(cd "$root" && cargo build --release --locked)
if [[ ! -s $dir/log/access.log.7.gz ]]; then
    echo "==> writing the folder of 20,000 phones and 7 days of logs into $dir (a few minutes)"
    python3 "$root/scripts/bench_watch.py" generate "$dir"
fi
echo "==> zcat -f | wc -l over the same files"
/usr/bin/time -f "zcat -f | wc -l: %e s" bash -c "zcat -f $dir/log/access.log* | wc -l"
echo "==> provpoll watch: from start to the first report"
port=19797
"$root/target/release/provpoll" watch --folder "$dir/prov" --log "$dir/log/access.log" \
    --listen 127.0.0.1:$port 2>"$dir/watch.err" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
python3 "$root/scripts/bench_watch.py" load "$dir" "$port" "$pid" "$duration"
kill -TERM $pid
wait $pid || true
cat "$dir/watch.err" | head -20
