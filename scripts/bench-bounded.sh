#!/usr/bin/env bash
# The hostile inputs of issue 22 (BENCHMARKS.md), each timed three times with its largest
# resident memory against the release build:
# - a day of 200 phones polling every 60 s (288,000 combined lines), with one request dated
#   2099 at its end, and the same with one dated 1970 at its start: `provpoll log`;
# - the container bomb: 8 files whose containers each list the next one 10 times, 7 levels
#   deep (70 lines of XML): `provpoll scan`.
# Writes into DIR (default target/bench-bounded); builds provpoll with `cargo build --release`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${1:-$root/target/bench-bounded}
bin=${PROVPOLL:-$root/target/release/provpoll}
mkdir -p "$dir"
if [[ -z ${PROVPOLL:-} ]]; then
    echo "==> cargo build --release"
    (cd "$root" && cargo build --release --locked)
fi
echo "==> writing the logs, the folder of 200 phones and the container bomb into $dir"
python3 - "$dir" <<'PY'
import datetime, os, sys
d = sys.argv[1]
os.makedirs(f'{d}/prov', exist_ok=True)
macs = ['000413%06X' % (0xB00000 + i) for i in range(200)]
open(f'{d}/prov/snomD785.xml', 'w').write(
    '<settings><phone-settings>\n<prov_polling_enabled>on</prov_polling_enabled>\n'
    '<prov_polling_mode>rel</prov_polling_mode>\n<prov_polling_period>60</prov_polling_period>\n'
    '</phone-settings></settings>\n')
for m in macs:
    open(f'{d}/prov/snomD785-{m}.xml', 'w').write('<settings><phone-settings>\n</phone-settings></settings>\n')
ua = 'Mozilla/4.0 (compatible; snomD785-SIP 10.1.169.16 2010.12-00001-gd311851f1 {} SXM:0)'
def line(t, i, m):
    ts = t.strftime('%d/%b/%Y:%H:%M:%S +0000')
    return f'10.0.{i // 250}.{i % 250} - - [{ts}] "GET /prov/snomD785-{m}.xml HTTP/1.1" 200 512 "-" "{ua.format(m)}"\n'
start = datetime.datetime(2026, 1, 14)
day = [line(start + datetime.timedelta(minutes=k, seconds=i % 60), i, m)
       for k in range(1440) for i, m in enumerate(macs)]
far = line(datetime.datetime(2099, 1, 1), 0, macs[0])
early = line(datetime.datetime(1970, 1, 1), 1, macs[1])
open(f'{d}/2099.log', 'w').writelines(day + [far])
open(f'{d}/1970.log', 'w').writelines([early] + day)
os.makedirs(f'{d}/bomb', exist_ok=True)
name = lambda level: '000413A11FA7.xml' if level == 0 else f'c{level}.xml'
for level in range(7):
    listed = f'<file url="{name(level + 1)}"/>\n' * 10
    open(f'{d}/bomb/{name(level)}', 'w').write(f'<setting-files>\n{listed}</setting-files>\n')
open(f'{d}/bomb/{name(7)}', 'w').write(
    '<settings><phone-settings>\n<prov_polling_enabled>on</prov_polling_enabled>\n</phone-settings></settings>\n')
PY
for log in 2099.log 1970.log; do
    echo "==> provpoll log $log (200 phones, $(wc -l <"$dir/$log") lines), three times"
    for _ in 1 2 3; do
        /usr/bin/time -f "provpoll log: %e s, %M KB largest resident" \
            "$bin" log "$dir/$log" --folder "$dir/prov" >"$dir/out.txt" 2>"$dir/err.txt" || true
        tail -1 "$dir/err.txt"
    done
    tail -1 "$dir/out.txt"
done
echo "==> provpoll scan of the container bomb, three times"
for _ in 1 2 3; do
    /usr/bin/time -f "provpoll scan: %e s, %M KB largest resident" \
        "$bin" scan "$dir/bomb" >"$dir/out.txt" 2>"$dir/err.txt" || true
    tail -1 "$dir/err.txt"
done
head -2 "$dir/out.txt"
