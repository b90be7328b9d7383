#!/usr/bin/env bash
# Issue 23's figures (BENCHMARKS.md), each timed three times with its largest resident memory
# against the release build:
# - `provpoll scan` of a folder of 2,000 phones of five vendors (400 each: snom, Poly, Yealink,
#   Cisco, Grandstream, in the shapes of their templates, with their common files);
# - `provpoll log` of 1,000,000 lines of those phones over a day (each every 180 s by its
#   vendor's settings; Grandstream's every 60 minutes, its least), against the same for 2,000
#   snom phones alone.
# Writes into DIR (default target/bench-vendors); builds provpoll with `cargo build --release`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${1:-$root/target/bench-vendors}
bin=${PROVPOLL:-$root/target/release/provpoll}
mkdir -p "$dir"
if [[ -z ${PROVPOLL:-} ]]; then
    echo "==> cargo build --release"
    (cd "$root" && cargo build --release --locked)
fi
echo "==> writing the folders and the logs into $dir"
python3 - "$dir" <<'PY'
import datetime, os, shutil, sys
d = sys.argv[1]
for sub in ('mixed', 'snom'):
    shutil.rmtree(f'{d}/{sub}', ignore_errors=True)
    os.makedirs(f'{d}/{sub}')
snom_general = ('<settings><phone-settings>\n<prov_polling_enabled>on</prov_polling_enabled>\n'
                '<prov_polling_mode>rel</prov_polling_mode>\n<prov_polling_period>180</prov_polling_period>\n'
                '</phone-settings></settings>\n')
snom_own = '<settings><phone-settings>\n<user_pname idx="1" perm="">101</user_pname>\n</phone-settings></settings>\n'
vendors = {
    'snom': ['000413%06X' % (0xA00000 + i) for i in range(400)],
    'poly': ['0004F2%06X' % (0xA00000 + i) for i in range(400)],
    'yealink': ['805EC0%06X' % (0xA00000 + i) for i in range(400)],
    'cisco': ['0002FD%06X' % (0xA00000 + i) for i in range(400)],
    'grandstream': ['000B82%06X' % (0xA00000 + i) for i in range(400)],
}
m = f'{d}/mixed'
open(f'{m}/snomD785.xml', 'w').write(snom_general)
open(f'{m}/000000000000.cfg', 'w').write(
    '<?xml version="1.0" standalone="yes"?>\n<APPLICATION APP_FILE_PATH="sip.ld" '
    'CONFIG_FILES="[PHONE_MAC_ADDRESS].cfg, sip.cfg"/>\n')
open(f'{m}/sip.cfg', 'w').write(
    '<?xml version="1.0" standalone="yes"?>\n<polycomConfig>\n<prov prov.polling.enabled="1" '
    'prov.polling.mode="rel" prov.polling.period="180"/>\n</polycomConfig>\n')
open(f'{m}/y000000000028.cfg', 'w').write(
    '#!version:1.0.0.1\nstatic.auto_provision.repeat.enable = 1\nstatic.auto_provision.repeat.minutes = 3\n')
paths = {}
for mac in vendors['snom']:
    open(f'{m}/snomD785-{mac}.xml', 'w').write(snom_own)
    paths[mac] = f'snomD785-{mac}.xml'
for mac in vendors['poly']:
    open(f'{m}/{mac.lower()}.cfg', 'w').write(
        f'<?xml version="1.0" standalone="yes"?>\n<polycomConfig>\n<reg reg.1.address="{mac}"/>\n</polycomConfig>\n')
    paths[mac] = f'{mac.lower()}.cfg'
for mac in vendors['yealink']:
    open(f'{m}/{mac.lower()}.cfg', 'w').write(f'#!version:1.0.0.1\naccount.1.label = {mac}\n')
    paths[mac] = f'{mac.lower()}.cfg'
for mac in vendors['cisco']:
    open(f'{m}/spa{mac.lower()}.xml', 'w').write(
        '<flat-profile>\n<Provision_Enable ua="na">Yes</Provision_Enable>\n'
        '<Resync_Periodic ua="na">180</Resync_Periodic>\n</flat-profile>\n')
    paths[mac] = f'spa{mac.lower()}.xml'
for mac in vendors['grandstream']:
    open(f'{m}/cfg{mac.lower()}.xml', 'w').write(
        '<?xml version="1.0" encoding="UTF-8"?>\n<gs_provision version="1"><config version="1">\n'
        '<P194>1</P194>\n<P193>60</P193>\n</config></gs_provision>\n')
    paths[mac] = f'cfg{mac.lower()}.xml'
agents = {
    'snom': lambda mac: f'Mozilla/4.0 (compatible; snomD785-SIP 10.1.169.16 2010.12-00001-gd311851f1 {mac} SXM:0)',
    'poly': lambda mac: 'FileTransport PolycomVVX-VVX_500-UA/5.9.7.4477',
    'yealink': lambda mac: 'Yealink SIP-T46G 28.83.0.50 ' + ':'.join(mac.lower()[i:i + 2] for i in range(0, 12, 2)),
    'cisco': lambda mac: f'Cisco/SPA508G-7.4.4 ({mac})(CBT1234)',
    'grandstream': lambda mac: f'Grandstream Model HW GXP2170 SW 1.0.11.85 DevId {mac.lower()}',
}
s = f'{d}/snom'
open(f'{s}/snomD785.xml', 'w').write(snom_general)
snom_alone = ['000413%06X' % (0xB00000 + i) for i in range(2000)]
for mac in snom_alone:
    open(f'{s}/snomD785-{mac}.xml', 'w').write(snom_own)
start = datetime.datetime(2026, 1, 14)
def lines(phones, out):
    # 500 fetches of each of 2,000 phones, every 180 s, each phone at its own second.
    with open(out, 'w') as f:
        for k in range(500):
            for i, (mac, vendor, path) in enumerate(phones):
                t = start + datetime.timedelta(seconds=180 * k + i % 180)
                ts = t.strftime('%d/%b/%Y:%H:%M:%S +0000')
                address = f'10.{i // 62500}.{(i // 250) % 250}.{i % 250}'
                f.write(f'{address} - - [{ts}] "GET /prov/{path} HTTP/1.1" 200 512 "-" "{agents[vendor](mac)}"\n')
mixed = [(mac, v, paths[mac]) for v, macs in vendors.items() for mac in macs]
lines(mixed, f'{d}/mixed.log')
lines([(mac, 'snom', f'snomD785-{mac}.xml') for mac in snom_alone], f'{d}/snom.log')
PY
run() {
    local what=$1
    shift
    echo "==> $what, three times"
    for _ in 1 2 3; do
        /usr/bin/time -f "    %e s, %M KB" "$@" >/dev/null || true
    done
}
run "provpoll scan of 2,000 phones of five vendors" "$bin" scan "$dir/mixed" --format json
run "provpoll log of 1,000,000 lines of the five vendors' phones" \
    "$bin" log "$dir/mixed.log" --folder "$dir/mixed" --format json
run "provpoll log of 1,000,000 lines of 2,000 snom phones alone" \
    "$bin" log "$dir/snom.log" --folder "$dir/snom" --format json
