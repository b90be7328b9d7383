//! Reading a server's log (issue 28): 100,000 combined lines of 2,000 snom phones fetching
//! hourly, as `scripts/bench-log.sh` writes them (its general file's request names the phone
//! only in the user agent), read on one core as the page's worker reads them.

#[cfg(not(target_arch = "wasm32"))]
mod bench {
    use criterion::{Criterion, Throughput, black_box};
    use provpoll::core::log::ingest::Ingest;

    /// The lines of `bench-log.sh`: per phone and hour, its general file then its own.
    fn log(lines: usize) -> Vec<u8> {
        const MONTH_DAYS: u64 = 31;
        let (mut text, mut written) = (String::new(), 0);
        'hours: for hour in 0u64.. {
            for phone in 0..2_000u64 {
                let mac = format!("000413{:06X}", 0xA00000 + phone);
                let second = hour * 3600 + phone;
                let (day, rest) = (second / 86_400, second % 86_400);
                let at = format!(
                    "{:02}/Jan/2026:{:02}:{:02}:{:02} +0000",
                    1 + day % MONTH_DAYS,
                    rest / 3600,
                    rest / 60 % 60,
                    rest % 60
                );
                let agent = format!(
                    "Mozilla/4.0 (compatible; snomD785-SIP 10.1.169.16 2010.12-00001-gd311851f1 (Feb 25 2019 - 14:19:43) {mac} SXM:0 UXM:0 UXMC:0)"
                );
                for path in [
                    "/prov/snomD785.xml".to_owned(),
                    format!("/prov/snomD785-{mac}.xml"),
                ] {
                    text += &format!(
                        "10.{}.{}.7 - - [{at}] \"GET {path} HTTP/1.1\" 200 5123 \"-\" \"{agent}\"\n",
                        phone / 250,
                        phone % 250
                    );
                    written += 1;
                    if written == lines {
                        break 'hours;
                    }
                }
            }
        }
        text.into_bytes()
    }

    pub fn read(c: &mut Criterion) {
        let bytes = log(100_000);
        let mut group = c.benchmark_group("log");
        group.sample_size(10);
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function("read_100k_lines", |b| {
            b.iter(|| {
                let mut ingest = Ingest::new(0);
                ingest.file("access.log".into());
                // In pieces of 2 MB, as Chromium hands a file's stream to the worker.
                for piece in bytes.chunks(2 << 20) {
                    ingest.push(piece);
                }
                black_box(ingest.finish().phones.len())
            })
        });
        group.finish();
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_group!(benches, bench::read);
#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
