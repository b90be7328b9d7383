//! When the phone fetches: a lazy, time-ordered stream of fetches for validated settings.
//!
//! The rules are those of `polling.md`. Every instant is whole seconds; random instants are drawn
//! from a small seeded generator, so the same seed gives the same schedule everywhere.

use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};

use crate::core::plan::{DaySet, First, Plan, Trigger};
use crate::core::rule::Rule;
use crate::core::settings::{ClockTime, Settings};
use crate::core::zone::{self, Zone};

pub use crate::core::plan::Source;

/// One fetch: the window the phone picks it from, and the instant drawn for this preview.
///
/// The window is closed, `earliest ≤ at ≤ latest`, and `earliest == latest` for exact modes. In
/// a chain from the fetch before with no shortest interval (snom's random mode under a day)
/// the phone picks `at` in `(earliest, latest]`: `earliest` is the previous fetch (or T0).
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

/// The upcoming fetches for snom's `settings` that took effect at `t0` on a phone in `zone`: the
/// fetches of their [`Rule`]'s plan ([`plan_fetches`]).
pub fn fetches<'z>(
    settings: &Settings,
    t0: DateTime<Utc>,
    zone: &'z dyn Zone,
    seed: u64,
) -> Fetches<'z> {
    plan_fetches(&Rule::of(settings).plan(), t0, zone, seed)
}

/// The upcoming fetches of `plan` from `t0` on a phone in `zone`, in order of `at` (the earlier
/// trigger first on a tie). The stream ends only where chrono's calendar does (year 262143) or
/// when nothing is scheduled.
pub fn plan_fetches<'z>(
    plan: &Plan,
    t0: DateTime<Utc>,
    zone: &'z dyn Zone,
    seed: u64,
) -> Fetches<'z> {
    // Whole seconds keep every instant printable and every window closed on the second.
    let t0 = t0 - TimeDelta::nanoseconds(t0.timestamp_subsec_nanos().into());
    let triggers = if plan.waits {
        &[][..]
    } else {
        &plan.triggers[..]
    };
    // A chain after a boot fetch counts from that fetch (Cisco's resync at boot).
    let mut start = t0;
    let mut streams = Vec::with_capacity(triggers.len());
    for (i, trigger) in triggers.iter().enumerate() {
        // Each trigger its own draws; the first's are the seed's (snom's polling).
        let seed = seed ^ GAMMA.wrapping_mul(i as u64);
        let mut stream = Stream::new(trigger, t0, start, zone, seed);
        let next = stream.next();
        if let (Trigger::Boot { .. }, Some(boot)) = (trigger, next) {
            start = boot.at;
        }
        streams.push((stream, next));
    }
    Fetches { streams }
}

/// The iterator returned by [`plan_fetches`]: each trigger's stream with its next fetch looked
/// at.
pub struct Fetches<'z> {
    streams: Vec<(Stream<'z>, Option<Fetch>)>,
}

impl Fetches<'_> {
    /// Skips every fetch that ends before `x` (`latest < x`), and says how many of them begin
    /// at `floor` or later. The work is the same for a gap of a minute or of a century: a
    /// periodic stream is a division, a daily one a difference of dates and a skip of the
    /// generator (so the fetches after are those [`Iterator::next`] would give). A random
    /// chain (whose windows follow its own draws) goes a fetch at a time: the log's verdicts
    /// count it by arithmetic instead (`core::log::verdict`).
    pub fn skip_ended_before(&mut self, x: DateTime<Utc>, floor: DateTime<Utc>) -> u64 {
        self.streams
            .iter_mut()
            .map(|(stream, next)| skip(next, stream, x, floor))
            .fold(0, u64::saturating_add)
    }
}

impl Fetches<'_> {
    /// The first fetch drawn after `now`: what ends before it skipped at once (so the same
    /// fetch as stepping finds, however far T0 lies; a random chain still goes a fetch at a
    /// time).
    pub fn first_after(&mut self, now: DateTime<Utc>) -> Option<Fetch> {
        self.skip_ended_before(now, now);
        self.find(|f| f.at > now)
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
        let (stream, next) = self
            .streams
            .iter_mut()
            .filter(|(_, next)| next.is_some())
            .min_by_key(|(_, next)| next.map(|f| f.at))?;
        let out = next.take();
        *next = stream.next();
        out
    }
}

/// One trigger's fetches.
enum Stream<'z> {
    Boot(Option<Fetch>),
    Every(Periodic),
    Days(Daily<'z>),
    Chained(Chained),
}

impl<'z> Stream<'z> {
    /// The stream of `trigger` from T0, a chain from `start`.
    fn new(
        trigger: &Trigger,
        t0: DateTime<Utc>,
        start: DateTime<Utc>,
        zone: &'z dyn Zone,
        seed: u64,
    ) -> Stream<'z> {
        let mut rng = SplitMix64::new(seed);
        match trigger {
            Trigger::Boot { window } => {
                let latest = t0
                    .checked_add_signed(TimeDelta::seconds((*window).into()))
                    .unwrap_or(t0);
                Stream::Boot(Some(Fetch {
                    source: Source::Boot,
                    earliest: t0,
                    latest,
                    at: sample(t0, latest, &mut rng),
                }))
            }
            Trigger::Every { source, step } => Stream::Every(Periodic::new(*source, t0, *step)),
            Trigger::Chained { source, intervals } => Stream::Chained(Chained {
                source: *source,
                previous: Some(start),
                intervals: intervals.clone(),
                turn: 0,
                rng,
            }),
            Trigger::Days {
                source,
                days,
                first,
                start,
                end,
                span,
            } => Stream::Days(Daily::new(
                Daily {
                    source: *source,
                    zone,
                    day: None,
                    days: *days,
                    start: *start,
                    end: *end,
                    span: (*span).max(1),
                    rng,
                },
                t0,
                *first,
            )),
        }
    }
}

impl Iterator for Stream<'_> {
    type Item = Fetch;

    fn next(&mut self) -> Option<Fetch> {
        match self {
            Stream::Boot(f) => f.take(),
            Stream::Every(p) => p.next(),
            Stream::Days(d) => d.next(),
            Stream::Chained(c) => c.next(),
        }
    }
}

impl Seek for Stream<'_> {
    fn seek(&mut self, x: DateTime<Utc>) -> u64 {
        match self {
            Stream::Boot(_) => 0,
            Stream::Every(p) => p.seek(x),
            Stream::Days(d) => d.seek(x),
            Stream::Chained(c) => c.seek(x),
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

/// A wall-clock window (or instant) on the days of a [`DaySet`], from `day` on.
struct Daily<'z> {
    source: Source,
    zone: &'z dyn Zone,
    day: Option<NaiveDate>,
    days: DaySet,
    start: ClockTime,
    end: ClockTime,
    span: u32,
    rng: SplitMix64,
}

impl<'z> Daily<'z> {
    /// `d` from its first day: today when `first` allows and its start is after T0, else the
    /// next day; then the first day of its set.
    fn new(mut d: Daily<'z>, t0: DateTime<Utc>, first: First) -> Daily<'z> {
        let today = zone::local(d.zone, t0).date_naive();
        let ahead = first == First::Ahead
            && zone::at_local(
                d.zone,
                today,
                d.start.hour().into(),
                d.start.minute().into(),
            )
            .is_some_and(|at| at > t0);
        let day = if ahead { Some(today) } else { today.succ_opt() };
        d.day = match d.days {
            DaySet::Week(mask) => day.and_then(|day| next_in(mask, day)),
            _ => day,
        };
        d
    }

    /// The window of the fetch whose turn begins on `day`.
    fn window(&self, day: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let (from, to) = match self.days {
            DaySet::Every(_) | DaySet::Week(_) => (
                day,
                day.checked_add_days(Days::new((self.span - 1).into()))?,
            ),
            DaySet::Weeks { mask, weeks } => {
                let last = day.checked_add_days(Days::new(u64::from(weeks.max(1)) * 7 - 1))?;
                let from = next_in(mask, day)?;
                let mut to = last;
                while !in_mask(mask, to) {
                    to = to.pred_opt()?;
                }
                (from, to)
            }
        };
        span_window(self.zone, from, to, self.start, self.end)
    }

    /// The day the turn after `day`'s begins.
    fn after(&self, day: NaiveDate) -> Option<NaiveDate> {
        match self.days {
            DaySet::Every(n) => day.checked_add_days(Days::new(n.max(1).into())),
            DaySet::Week(mask) => next_in(mask, day.succ_opt()?),
            DaySet::Weeks { weeks, .. } => {
                day.checked_add_days(Days::new(u64::from(weeks.max(1)) * 7))
            }
        }
    }
}

/// Whether `day` is one of the mask's days of the week (bit 0 Sunday).
fn in_mask(mask: u8, day: NaiveDate) -> bool {
    use chrono::Datelike;
    mask & (1 << day.weekday().num_days_from_sunday()) != 0
}

/// The first day from `day` on that is in the mask (none for an empty mask).
fn next_in(mask: u8, day: NaiveDate) -> Option<NaiveDate> {
    if mask & 0x7f == 0 {
        return None;
    }
    let mut day = day;
    while !in_mask(mask, day) {
        day = day.succ_opt()?;
    }
    Some(day)
}

impl Iterator for Daily<'_> {
    type Item = Fetch;

    fn next(&mut self) -> Option<Fetch> {
        let day = self.day?;
        self.day = self.after(day);
        let Some((earliest, latest)) = self.window(day) else {
            self.day = None;
            return None;
        };
        let at = sample(earliest, latest, &mut self.rng);
        Some(Fetch {
            source: self.source,
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
        // A window ends before its last day is over, DST or not: every turn that begins three
        // days and a span (or a block) before x's own day (on the phone's clock) has ended.
        let turn_days = match self.days {
            DaySet::Every(n) => u64::from(n.max(1)),
            DaySet::Week(_) => 7,
            DaySet::Weeks { weeks, .. } => u64::from(weeks.max(1)) * 7,
        };
        let back = 3 + u64::from(self.span) + turn_days;
        let ended = zone::local(self.zone, x)
            .date_naive()
            .checked_sub_days(Days::new(back));
        if let Some(ended) = ended
            && ended > day
        {
            let k = (ended - day).num_days().unsigned_abs() / turn_days;
            // A week of a day mask holds as many turns as the mask has days.
            let turns = match self.days {
                DaySet::Week(mask) => k * u64::from((mask & 0x7f).count_ones()),
                _ => k,
            };
            self.day = day.checked_add_days(Days::new(k * turn_days));
            self.rng.skip(turns);
            skipped = turns;
        }
        // The last few, a turn at a time.
        while let Some(day) = self.day
            && self.window(day).is_some_and(|(_, latest)| latest < x)
        {
            self.next();
            skipped += 1;
        }
        skipped
    }
}

/// Each fetch `lo..=hi` seconds after the one before, the intervals in turn, the last
/// repeating; `lo == 0` is `(previous, previous + hi]`.
struct Chained {
    source: Source,
    previous: Option<DateTime<Utc>>,
    intervals: Vec<(u32, u32)>,
    turn: usize,
    rng: SplitMix64,
}

impl Chained {
    fn interval(&self) -> Option<(u32, u32)> {
        let last = self.intervals.len().checked_sub(1)?;
        Some(self.intervals[self.turn.min(last)])
    }
}

impl Iterator for Chained {
    type Item = Fetch;

    fn next(&mut self) -> Option<Fetch> {
        let previous = self.previous.take()?;
        let (lo, hi) = self.interval().filter(|&(_, hi)| hi > 0)?;
        self.turn = self.turn.saturating_add(1);
        let latest = previous.checked_add_signed(TimeDelta::seconds(hi.into()))?;
        let (earliest, at) = if lo == 0 {
            (
                previous,
                previous + TimeDelta::seconds(draw_interval(hi, &mut self.rng)),
            )
        } else {
            let earliest = previous + TimeDelta::seconds(lo.into());
            (earliest, sample(earliest, latest, &mut self.rng))
        };
        self.previous = Some(at);
        Some(Fetch {
            source: self.source,
            earliest,
            latest,
            at,
        })
    }
}

impl Seek for Chained {
    /// Exact intervals in their repeating stage are periodic: skipped by a division. A random
    /// chain goes a fetch at a time.
    fn seek(&mut self, x: DateTime<Utc>) -> u64 {
        let (Some(previous), Some((lo, hi))) = (self.previous, self.interval()) else {
            return 0;
        };
        if lo != hi || hi == 0 || self.turn + 1 < self.intervals.len() {
            return 0;
        }
        let since = (x - previous).num_seconds();
        if since <= 0 {
            return 0;
        }
        let k = (since - 1) / i64::from(hi);
        self.previous = previous.checked_add_signed(TimeDelta::seconds(k * i64::from(hi)));
        // Each fetch draws once, even an exact one: the generator stays where `next` leaves it.
        self.rng.skip(k.unsigned_abs());
        k.unsigned_abs()
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
    span_window(zone, day, day, start, end)
}

/// The window from `start` on local day `from` to `end` on local day `to` (the day after, when
/// `end` is earlier than `start`).
pub fn span_window(
    zone: &dyn Zone,
    from: NaiveDate,
    to: NaiveDate,
    start: ClockTime,
    end: ClockTime,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let at = |date: NaiveDate, t: ClockTime| {
        zone::at_local(zone, date, t.hour().into(), t.minute().into())
    };
    let earliest = at(from, start)?;
    let end_day = if end < start { to.succ_opt()? } else { to };
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
