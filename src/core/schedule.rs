//! When the phone fetches: a lazy, time-ordered stream of fetches for validated settings.
//!
//! The rules are those of `polling.md`. Every instant is whole seconds; random instants are drawn
//! from a small seeded generator, so the same seed gives the same schedule everywhere.

use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};

use crate::core::rule::{self, Rule};
use crate::core::settings::{ClockTime, Settings};
use crate::core::zone::{self, Zone};

/// What makes the phone fetch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    Polling,
    RefreshTimer,
}

impl Source {
    pub const fn as_str(self) -> &'static str {
        match self {
            Source::Polling => "polling",
            Source::RefreshTimer => "refresh_timer",
        }
    }
}

/// One fetch: the window the phone picks it from, and the instant drawn for this preview.
///
/// The window is closed, `earliest ≤ at ≤ latest`, and `earliest == latest` for exact modes. In
/// random mode under a day the phone picks `at` in `(earliest, latest]`: `earliest` is the
/// previous fetch (or T0) itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fetch {
    pub source: Source,
    pub earliest: DateTime<Utc>,
    pub latest: DateTime<Utc>,
    pub at: DateTime<Utc>,
}

impl Fetch {
    fn exact(source: Source, at: DateTime<Utc>) -> Fetch {
        Fetch {
            source,
            earliest: at,
            latest: at,
            at,
        }
    }

    pub fn is_window(&self) -> bool {
        self.earliest != self.latest
    }
}

/// The upcoming fetches for `settings` that took effect at `t0` on a phone in `zone`, in order of
/// `at` (polling first on a tie). The stream ends only where chrono's calendar does (year 262143)
/// or when nothing is scheduled.
pub fn fetches<'z>(
    settings: &Settings,
    t0: DateTime<Utc>,
    zone: &'z dyn Zone,
    seed: u64,
) -> Fetches<'z> {
    // Whole seconds keep every instant printable and every window closed on the second.
    let t0 = t0 - TimeDelta::nanoseconds(t0.timestamp_subsec_nanos().into());
    let rule = Rule::of(settings);
    let mut polling = if rule.never_update {
        Polling::None
    } else {
        Polling::new(rule.polling, t0, zone, seed)
    };
    let mut refresh = rule
        .refresh
        .filter(|_| !rule.never_update)
        .map(|every| Periodic::new(Source::RefreshTimer, t0, every));
    Fetches {
        polling_next: polling.next(),
        polling,
        refresh_next: refresh.as_mut().and_then(Iterator::next),
        refresh,
    }
}

/// The iterator returned by [`fetches`]: each stream with its next fetch looked at.
pub struct Fetches<'z> {
    polling: Polling<'z>,
    polling_next: Option<Fetch>,
    refresh: Option<Periodic>,
    refresh_next: Option<Fetch>,
}

impl Fetches<'_> {
    /// Skips every fetch that ends before `x` (`latest < x`), and says how many of them begin
    /// at `floor` or later. The work is the same for a gap of a minute or of a century: a
    /// periodic stream is a division, a daily one a difference of dates and a skip of the
    /// generator (so the fetches after are those [`Iterator::next`] would give). A chained
    /// stream (`random` under a day, whose windows follow its own draws) goes a fetch at a
    /// time: the log's verdicts count it by arithmetic instead (`core::log::verdict`).
    pub fn skip_ended_before(&mut self, x: DateTime<Utc>, floor: DateTime<Utc>) -> u64 {
        let refresh = match &mut self.refresh {
            Some(r) => skip(&mut self.refresh_next, r, x, floor),
            None => 0,
        };
        refresh + skip(&mut self.polling_next, &mut self.polling, x, floor)
    }
}

/// A stream of fetches whose fetches that end before `x` can be skipped at once.
trait Seek: Iterator<Item = Fetch> {
    /// Skips the fetches not yet given that end before `x`; how many.
    fn seek(&mut self, x: DateTime<Utc>) -> u64;
}

/// [`Fetches::skip_ended_before`] for one stream, whose next fetch is `next`.
fn skip(
    next: &mut Option<Fetch>,
    stream: &mut dyn Seek,
    x: DateTime<Utc>,
    floor: DateTime<Utc>,
) -> u64 {
    let mut skipped = 0u64;
    while let Some(f) = *next
        && f.latest < x
    {
        // A fetch beginning before the floor (one of the first, within the tolerance) is not
        // counted; once one is at or after it, so are all that follow.
        if f.earliest >= floor {
            skipped = skipped.saturating_add(1).saturating_add(stream.seek(x));
        }
        *next = stream.next();
    }
    skipped
}

impl Iterator for Fetches<'_> {
    type Item = Fetch;

    fn next(&mut self) -> Option<Fetch> {
        let refresh_first = match (&self.polling_next, &self.refresh_next) {
            (Some(p), Some(r)) => r.at < p.at,
            (Some(_), None) => false,
            (None, _) => true,
        };
        if refresh_first {
            let out = self.refresh_next.take();
            self.refresh_next = self.refresh.as_mut().and_then(Iterator::next);
            out
        } else {
            let out = self.polling_next.take();
            self.polling_next = self.polling.next();
            out
        }
    }
}

/// The polling rule for the mode.
enum Polling<'z> {
    None,
    Every(Periodic),
    Daily(Daily<'z>),
    Chained(Chained),
}

impl<'z> Polling<'z> {
    fn new(rule: rule::Polling, t0: DateTime<Utc>, zone: &'z dyn Zone, seed: u64) -> Polling<'z> {
        use rule::Polling as P;
        match rule {
            P::Off | P::NoMode | P::Untimed { .. } => Polling::None,
            P::Every { period } => Polling::Every(Periodic::new(Source::Polling, t0, period)),
            P::Daily { time } => Polling::Daily(Daily::absolute(t0, zone, time)),
            P::Window { days, start, end } => {
                Polling::Daily(Daily::random(t0, zone, start, end, days, seed))
            }
            P::Chained { period } => Polling::Chained(Chained {
                previous: Some(t0),
                period,
                rng: SplitMix64::new(seed),
            }),
        }
    }
}

impl Iterator for Polling<'_> {
    type Item = Fetch;

    fn next(&mut self) -> Option<Fetch> {
        match self {
            Polling::None => None,
            Polling::Every(p) => p.next(),
            Polling::Daily(d) => d.next(),
            Polling::Chained(c) => c.next(),
        }
    }
}

impl Seek for Polling<'_> {
    fn seek(&mut self, x: DateTime<Utc>) -> u64 {
        match self {
            Polling::None | Polling::Chained(_) => 0,
            Polling::Every(p) => p.seek(x),
            Polling::Daily(d) => d.seek(x),
        }
    }
}

/// T0 + k·step, k = 1, 2, …: elapsed seconds, blind to the wall clock.
#[derive(Clone)]
struct Periodic {
    source: Source,
    t0: DateTime<Utc>,
    step: i64,
    k: i64,
}

impl Periodic {
    fn new(source: Source, t0: DateTime<Utc>, step: u32) -> Periodic {
        Periodic {
            source,
            t0,
            step: step.into(),
            k: 0,
        }
    }
}

impl Iterator for Periodic {
    type Item = Fetch;

    fn next(&mut self) -> Option<Fetch> {
        if self.step <= 0 {
            return None;
        }
        self.k = self.k.checked_add(1)?;
        let offset = TimeDelta::try_seconds(self.step.checked_mul(self.k)?)?;
        let at = self.t0.checked_add_signed(offset);
        if at.is_none() {
            self.step = 0; // past the end of the calendar: stay finished
        }
        Some(Fetch::exact(self.source, at?))
    }
}

impl Seek for Periodic {
    fn seek(&mut self, x: DateTime<Utc>) -> u64 {
        let since = (x - self.t0).num_seconds();
        if self.step <= 0 || since <= 0 {
            return 0;
        }
        // The last k with T0 + k·step < x.
        let last = (since - 1) / self.step;
        let skipped = last.saturating_sub(self.k).max(0);
        self.k = self.k.max(last);
        skipped.unsigned_abs()
    }
}

/// A daily wall-clock window (or instant) every `every` days, from `day` on.
struct Daily<'z> {
    zone: &'z dyn Zone,
    day: Option<NaiveDate>,
    every: u64,
    start: ClockTime,
    end: ClockTime,
    rng: SplitMix64,
}

impl<'z> Daily<'z> {
    /// `abs`: the first `time` strictly after T0, then every day.
    fn absolute(t0: DateTime<Utc>, zone: &'z dyn Zone, time: ClockTime) -> Daily<'z> {
        let today = zone::local(zone, t0).date_naive();
        let ahead = zone::at_local(zone, today, time.hour().into(), time.minute().into())
            .is_some_and(|at| at > t0);
        Daily {
            zone,
            day: if ahead { Some(today) } else { today.succ_opt() },
            every: 1,
            start: time,
            end: time,
            rng: SplitMix64::new(0),
        }
    }

    /// `random` with a period of `days` days: from the day after T0, even if today's window is
    /// still ahead.
    fn random(
        t0: DateTime<Utc>,
        zone: &'z dyn Zone,
        start: ClockTime,
        end: ClockTime,
        days: u32,
        seed: u64,
    ) -> Daily<'z> {
        Daily {
            zone,
            day: first_random_day(zone, t0),
            every: days.into(),
            start,
            end,
            rng: SplitMix64::new(seed),
        }
    }

    fn window(&self, day: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        daily_window(self.zone, day, self.start, self.end)
    }
}

impl Iterator for Daily<'_> {
    type Item = Fetch;

    fn next(&mut self) -> Option<Fetch> {
        let day = self.day?;
        self.day = day.checked_add_days(Days::new(self.every));
        let Some((earliest, latest)) = self.window(day) else {
            self.day = None;
            return None;
        };
        let at = sample(earliest, latest, &mut self.rng);
        Some(Fetch {
            source: Source::Polling,
            earliest,
            latest,
            at,
        })
    }
}

impl Seek for Daily<'_> {
    fn seek(&mut self, x: DateTime<Utc>) -> u64 {
        let Some(day) = self.day else { return 0 };
        let mut skipped = 0;
        // A day's window ends before the next day is over, DST or not: every day three
        // before x's own (on the phone's clock) has ended before x.
        let ended = zone::local(self.zone, x)
            .date_naive()
            .checked_sub_days(Days::new(3));
        if let Some(ended) = ended
            && ended > day
        {
            let k = (ended - day).num_days().unsigned_abs() / self.every;
            self.day = day.checked_add_days(Days::new(k * self.every));
            self.rng.skip(k);
            skipped = k;
        }
        // The last few, a day at a time.
        while let Some(day) = self.day
            && self.window(day).is_some_and(|(_, latest)| latest < x)
        {
            self.next();
            skipped += 1;
        }
        skipped
    }
}

/// `random` under a day: each fetch in `(previous, previous + period]`.
struct Chained {
    previous: Option<DateTime<Utc>>,
    period: u32,
    rng: SplitMix64,
}

impl Iterator for Chained {
    type Item = Fetch;

    fn next(&mut self) -> Option<Fetch> {
        let earliest = self.previous.take()?;
        let period = TimeDelta::seconds(self.period.into());
        let latest = earliest.checked_add_signed(period)?;
        let at = earliest + TimeDelta::seconds(draw_interval(self.period, &mut self.rng));
        self.previous = Some(at);
        Some(Fetch {
            source: Source::Polling,
            earliest,
            latest,
            at,
        })
    }
}

// The rules below are shared with the fleet model, so one phone and a fleet agree exactly.

/// The window on local `day` from `start` to `end` (past midnight when `end` is earlier).
pub fn daily_window(
    zone: &dyn Zone,
    day: NaiveDate,
    start: ClockTime,
    end: ClockTime,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let at = |date: NaiveDate, t: ClockTime| {
        zone::at_local(zone, date, t.hour().into(), t.minute().into())
    };
    let earliest = at(day, start)?;
    let end_day = if end < start { day.succ_opt()? } else { day };
    let latest = at(end_day, end)?.max(earliest);
    Some((earliest, latest))
}

/// Random mode of a day or more starts the day after T0 (local), even if today's window is ahead.
pub fn first_random_day(zone: &dyn Zone, t0: DateTime<Utc>) -> Option<NaiveDate> {
    zone::local(zone, t0).date_naive().succ_opt()
}

// The draws are inlined: the fleet makes millions of them, and the size-optimised wasm build
// would otherwise keep each as a call.

/// Seconds into a window of `span` seconds, drawn uniformly from `0..=span`.
#[inline(always)]
pub fn draw_in_window(span: u64, rng: &mut SplitMix64) -> i64 {
    rng.below(span + 1) as i64
}

/// Random mode under a day: seconds from one fetch to the next, drawn from `1..=period`.
#[inline(always)]
pub fn draw_interval(period: u32, rng: &mut SplitMix64) -> i64 {
    1 + rng.below(u64::from(period)) as i64
}

fn sample(earliest: DateTime<Utc>, latest: DateTime<Utc>, rng: &mut SplitMix64) -> DateTime<Utc> {
    let span = (latest - earliest).num_seconds().unsigned_abs();
    earliest + TimeDelta::seconds(draw_in_window(span, rng))
}

/// SplitMix64's increment.
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64: tiny, fast, and the same on every target, so a seed reproduces a preview.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    #[inline(always)]
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GAMMA);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// The generator after `n` more draws, at once: its state only ever adds the same odd
    /// constant.
    pub fn skip(&mut self, n: u64) {
        self.0 = self.0.wrapping_add(GAMMA.wrapping_mul(n));
    }

    /// A number in `0..n` (0 when `n` is 0), by multiply-shift. For the `n` of schedules (at
    /// most 2³²) 64-bit arithmetic is enough, and much faster in wasm than 128-bit; a value's
    /// relative bias is then below n / 2³², under 10⁻⁴ for any window of two days or less.
    #[inline(always)]
    pub fn below(&mut self, n: u64) -> u64 {
        let x = self.next_u64();
        if n <= 1 << 32 {
            ((x >> 32) * n) >> 32
        } else {
            ((u128::from(x) * u128::from(n)) >> 64) as u64
        }
    }
}
