"""The data and the load of scripts/bench-watch.sh (see there)."""
import datetime, gzip, http.client, os, sys, threading, time

PHONES = 20_000
EVERY = 900
UA = ('Mozilla/4.0 (compatible; snomD785-SIP 10.1.169.16 2010.12-00001-gd311851f1 '
      '(Feb 25 2019 - 14:19:43) {} SXM:0 UXM:0 UXMC:0)')


def mac(i):
    return '000413%06X' % (0xA00000 + i)


def lines(day_start, day_end):
    """Each phone's fetches (two requests) from day_start to day_end, in time order."""
    t = day_start - day_start % EVERY
    while t < day_end:
        for i in range(PHONES):
            at = t + i * EVERY // PHONES
            if at < day_start or at >= day_end or (i == 0 and at % (7 * 86400) >= EVERY):
                continue
            ts = datetime.datetime.fromtimestamp(at, datetime.timezone.utc).strftime('%d/%b/%Y:%H:%M:%S +0000')
            m = mac(i)
            a = f'10.{i // 250}.{i % 250}.7'
            ua = UA.format(m)
            yield (f'{a} - - [{ts}] "GET /prov/snomD785.xml HTTP/1.1" 200 5123 "-" "{ua}"\n'
                   f'{a} - - [{ts}] "GET /prov/snomD785-{m}.xml HTTP/1.1" 200 812 "-" "{ua}"\n')
        t += EVERY


def generate(d):
    os.makedirs(f'{d}/prov', exist_ok=True)
    os.makedirs(f'{d}/log', exist_ok=True)
    open(f'{d}/prov/snomD785.xml', 'w').write(
        '<settings><phone-settings>\n<prov_polling_enabled>on</prov_polling_enabled>\n'
        '<prov_polling_mode>rel</prov_polling_mode>\n<prov_polling_period>900</prov_polling_period>\n'
        '</phone-settings></settings>\n')
    for i in range(PHONES):
        own = ('<prov_polling_period>604800</prov_polling_period>\n' if i == 0 else '')
        open(f'{d}/prov/snomD785-{mac(i)}.xml', 'w').write(
            f'<settings><phone-settings>\n{own}</phone-settings></settings>\n')
    now = int(time.time())
    midnight = now - now % 86400
    for k in range(7, -1, -1):
        start, end = midnight - k * 86400, (midnight - (k - 1) * 86400 if k else now)
        name = f'{d}/log/access.log' + (f'.{k}' if k else '') + ('.gz' if k >= 2 else '')
        out = gzip.open(name, 'wt', compresslevel=1) if k >= 2 else open(name, 'w')
        with out:
            buf = []
            for chunk in lines(start, end):
                buf.append(chunk)
                if len(buf) >= 10000:
                    out.write(''.join(buf))
                    buf.clear()
            out.write(''.join(buf))
        os.utime(name, (end, end))
        print(f'  {name}', flush=True)


def get(port, path):
    """GET as Prometheus and browsers ask: gzip accepted (the body is left compressed)."""
    c = http.client.HTTPConnection('127.0.0.1', port, timeout=10)
    c.request('GET', path, headers={'Accept-Encoding': 'gzip'})
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, body


def rss_kb(pid):
    for line in open(f'/proc/{pid}/status'):
        if line.startswith('VmRSS:'):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    fields = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def load(d, port, pid, duration):
    port, pid, duration = int(port), int(pid), int(duration)
    t0 = time.time()
    while True:
        try:
            status, _ = get(port, '/metrics')
            if status == 200:
                break
        except OSError:
            pass
        time.sleep(0.05)
    print(f'first report after {time.time() - t0:.1f} s; resident {rss_kb(pid) // 1024} MB', flush=True)
    # Caught up: the first report as of the clock is the one after the catch-up.
    while 'phones judged' not in open(f'{d}/watch.err').read():
        time.sleep(0.2)
    print(f'caught up after {time.time() - t0:.1f} s; resident {rss_kb(pid) // 1024} MB', flush=True)

    log = open(f'{d}/log/access.log', 'a')
    stop = threading.Event()
    lags, rss = [], []

    def writer():
        n, start = 0, time.time()
        while not stop.is_set():
            ts = datetime.datetime.now(datetime.timezone.utc).strftime('%d/%b/%Y:%H:%M:%S +0000')
            batch = []
            for _ in range(200):
                i = n % PHONES
                batch.append(f'10.{i // 250}.{i % 250}.7 - - [{ts}] "GET /prov/snomD785-{mac(i)}.xml HTTP/1.1" 200 812 "-" "{UA.format(mac(i))}"\n')
                n += 1
            log.write(''.join(batch))
            log.flush()
            time.sleep(max(0, start + n / 2000 - time.time()))

    w = threading.Thread(target=writer)
    w.start()
    cpu0, start, probe = cpu_seconds(pid), time.time(), 0
    run = int(time.time() * 1000) << 8
    while time.time() - start < duration:
        probe += 1
        # A MAC of this run's own (locally administered): never in the log before.
        m = '02%010X' % ((run + probe) % 16**10)
        ts = datetime.datetime.now(datetime.timezone.utc).strftime('%d/%b/%Y:%H:%M:%S +0000')
        written = time.time()
        log.write(f'10.9.9.9 - - [{ts}] "GET /prov/snomD785-{m}.xml HTTP/1.1" 200 812 "-" "probe"\n')
        log.flush()
        while m.encode() not in gzip.decompress(get(port, '/api/report')[1]):
            time.sleep(0.05)
        lags.append(time.time() - written)
        rss.append(rss_kb(pid) // 1024)
        time.sleep(max(0, start + probe * 10 - time.time()))
    cpu = (cpu_seconds(pid) - cpu0) / (time.time() - start)
    stop.set()
    w.join()
    lags.sort()
    print(f'appending 2,000 lines/s for {duration} s: lag median {lags[len(lags) // 2]:.2f} s, '
          f'max {lags[-1]:.2f} s over {len(lags)} probes; CPU {cpu:.2f} cores; '
          f'resident MB every 10 s: {rss}', flush=True)

    # /metrics at 100 scrapes a second for 10 s, on 10 connections' worth of threads.
    times = []
    lock = threading.Lock()

    def scraper(k):
        for j in range(100):
            due = t1 + (j * 10 + k) / 100
            time.sleep(max(0, due - time.time()))
            a = time.time()
            status, body = get(port, '/metrics')
            with lock:
                times.append((time.time() - a, status, len(body)))

    t1 = time.time() + 0.5
    threads = [threading.Thread(target=scraper, args=(k,)) for k in range(10)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    ms = sorted(t[0] * 1000 for t in times)
    print(f'/metrics, {len(ms)} scrapes in {time.time() - t1:.1f} s ({times[0][2] // 1024} KB each, gzip): '
          f'median {ms[len(ms) // 2]:.1f} ms, 99th {ms[int(len(ms) * 0.99)]:.1f} ms, '
          f'max {ms[-1]:.1f} ms; statuses {sorted(set(t[1] for t in times))}', flush=True)


if __name__ == '__main__':
    {'generate': generate, 'load': load}[sys.argv[1]](*sys.argv[2:])
