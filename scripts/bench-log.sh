#!/usr/bin/env bash
# The log benchmark of issue 18 (BENCHMARKS.md): 1,000,000 combined lines (about 232 MB) of
# 2,000 phones fetching hourly, against a folder of the 2,000 phones; `provpoll log` timed
# beside `wc -l` on the same file, with its largest resident memory. Writes into DIR (default
# target/bench-log); builds provpoll with `cargo build --release`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${1:-$root/target/bench-log}
mkdir -p "$dir/prov"
echo "==> cargo build --release"
(cd "$root" && cargo build --release --locked)
if [[ ! -s $dir/access.log ]]; then
    echo "==> writing $dir/access.log and the folder of 2,000 phones"
    python3 - "$dir" <<'PY'
import datetime, sys
d = sys.argv[1]
macs = ['000413%06X' % (0xA00000 + i) for i in range(2000)]
open(f'{d}/prov/snomD785.xml', 'w').write(
    '<settings><phone-settings>\n<prov_polling_enabled>on</prov_polling_enabled>\n'
    '<prov_polling_mode>rel</prov_polling_mode>\n<prov_polling_period>3600</prov_polling_period>\n'
    '<timezone>GER+1</timezone>\n</phone-settings></settings>\n')
for m in macs:
    open(f'{d}/prov/snomD785-{m}.xml', 'w').write('<settings><phone-settings>\n</phone-settings></settings>\n')
ua = ('Mozilla/4.0 (compatible; snomD785-SIP 10.1.169.16 2010.12-00001-gd311851f1 '
      '(Feb 25 2019 - 14:19:43) {} SXM:0 UXM:0 UXMC:0)')
start = datetime.datetime(2026, 1, 1)
with open(f'{d}/access.log', 'w') as f:
    lines, h = 0, 0
    while lines < 1_000_000:
        for i, m in enumerate(macs):
            ts = (start + datetime.timedelta(hours=h, seconds=i)).strftime('%d/%b/%Y:%H:%M:%S +0000')
            a = f'10.{i // 250}.{i % 250}.7'
            for path in ('/prov/snomD785.xml', f'/prov/snomD785-{m}.xml'):
                f.write(f'{a} - - [{ts}] "GET {path} HTTP/1.1" 200 5123 "-" "{ua.format(m)}"\n')
            lines += 2
            if lines >= 1_000_000:
                break
        h += 1
PY
fi
echo "==> wc -l, three times"
for _ in 1 2 3; do /usr/bin/time -f "wc -l: %e s" wc -l "$dir/access.log" >/dev/null; done
echo "==> provpoll log, three times"
for _ in 1 2 3; do
    /usr/bin/time -f "provpoll log: %e s, %M KB largest resident" \
        "$root/target/release/provpoll" log "$dir/access.log" --folder "$dir/prov" >"$dir/out.txt" || true
done
tail -1 "$dir/out.txt"
