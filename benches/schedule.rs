//! Fetches per second from the schedule iterator, for each kind of rule.

#[cfg(not(target_arch = "wasm32"))]
mod bench {
    use chrono::DateTime;
    use criterion::{Criterion, Throughput, black_box};
    use provpoll::core::check::validate;
    use provpoll::core::schedule::fetches;
    use provpoll::core::settings::{Draft, Key};

    const N: usize = 10_000;

    fn settings(pairs: &[(Key, &str)]) -> provpoll::core::settings::Settings {
        let draft = pairs
            .iter()
            .fold(Draft::default(), |d, &(k, v)| d.with(k, v));
        validate(&draft).settings.unwrap()
    }

    pub fn schedule(c: &mut Criterion) {
        let on = (Key::Enabled, "on");
        let cases = [
            (
                "rel",
                settings(&[on, (Key::Mode, "rel"), (Key::Period, "3600")]),
            ),
            (
                "abs",
                settings(&[on, (Key::Mode, "abs"), (Key::Time, "02:30")]),
            ),
            (
                "random_days",
                settings(&[
                    on,
                    (Key::Mode, "random"),
                    (Key::Period, "86400"),
                    (Key::Time, "09:00"),
                    (Key::TimeRandEnd, "09:10"),
                ]),
            ),
            (
                "random_chained",
                settings(&[on, (Key::Mode, "random"), (Key::Period, "3600")]),
            ),
            (
                "rel_and_refresh",
                settings(&[
                    on,
                    (Key::Mode, "rel"),
                    (Key::Period, "3600"),
                    (Key::RefreshTimer, "5400"),
                ]),
            ),
        ];
        let t0 = DateTime::parse_from_rfc3339("2026-03-01T12:00:00+01:00")
            .unwrap()
            .to_utc();
        let zone = chrono_tz::Europe::Berlin;
        let mut group = c.benchmark_group("fetches_berlin");
        group.throughput(Throughput::Elements(N as u64));
        for (name, s) in &cases {
            group.bench_function(*name, |b| {
                b.iter(|| fetches(black_box(s), t0, &zone, 7).take(N).count())
            });
        }
        group.finish();
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_group!(benches, bench::schedule);
#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
