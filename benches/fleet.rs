//! The fleet model: 10,000 phones over a week, 100,000 over 30 days, and how the cost grows.

#[cfg(not(target_arch = "wasm32"))]
mod bench {
    use chrono::DateTime;
    use criterion::{BenchmarkId, Criterion, black_box};
    use provpoll::core::check::validate;
    use provpoll::core::fleet::{Fleet, Spread, load};
    use provpoll::core::settings::{Draft, Key, Settings};

    const DAY: u32 = 86_400;

    fn settings(pairs: &[(Key, &str)]) -> Settings {
        let draft = pairs
            .iter()
            .fold(Draft::default(), |d, &(k, v)| d.with(k, v));
        validate(&draft).settings.unwrap()
    }

    fn cases() -> Vec<(&'static str, Settings)> {
        let on = (Key::Enabled, "on");
        vec![
            (
                "rel_1d",
                settings(&[on, (Key::Mode, "rel"), (Key::Period, "86400")]),
            ),
            (
                "rel_5min",
                settings(&[on, (Key::Mode, "rel"), (Key::Period, "300")]),
            ),
            (
                "abs",
                settings(&[on, (Key::Mode, "abs"), (Key::Time, "03:00")]),
            ),
            (
                "random_window",
                settings(&[
                    on,
                    (Key::Mode, "random"),
                    (Key::Period, "86400"),
                    (Key::Time, "09:00"),
                    (Key::TimeRandEnd, "10:00"),
                ]),
            ),
            (
                "random_1h",
                settings(&[on, (Key::Mode, "random"), (Key::Period, "3600")]),
            ),
        ]
    }

    pub fn fleet(c: &mut Criterion) {
        let from = DateTime::parse_from_rfc3339("2026-03-20T12:00:00+01:00")
            .unwrap()
            .to_utc();
        let zone = chrono_tz::Europe::Berlin;
        let run = |s: &Settings, phones, horizon| {
            let f = Fleet {
                phones,
                spread: Spread::Uniform(3600),
                horizon,
                bucket: 60,
                seed: 7,
                boot: false,
            };
            load(black_box(s), from, &zone, &f).unwrap().peak
        };

        let mut group = c.benchmark_group("fleet_10k_7d");
        for (name, s) in cases() {
            group.bench_function(name, |b| b.iter(|| run(&s, 10_000, 7 * DAY)));
        }
        group.finish();

        let mut group = c.benchmark_group("fleet_100k_30d");
        group.sample_size(10);
        for (name, s) in cases() {
            group.bench_function(name, |b| b.iter(|| run(&s, 100_000, 30 * DAY)));
        }
        group.finish();

        let window = &cases()[3].1;
        let mut group = c.benchmark_group("fleet_growth_random_window");
        group.sample_size(10);
        for phones in [1_000, 10_000, 100_000] {
            group.bench_with_input(BenchmarkId::new("phones_7d", phones), &phones, |b, &n| {
                b.iter(|| run(window, n, 7 * DAY))
            });
        }
        for days in [1, 7, 30] {
            group.bench_with_input(BenchmarkId::new("days_10k", days), &days, |b, &d| {
                b.iter(|| run(window, 10_000, d * DAY))
            });
        }
        group.finish();
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_group!(benches, bench::fleet);
#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
