//! What a fleet of phones with the same settings does to the provisioning server: requests per
//! time bucket, and the figures an administrator plans with.
//!
//! Every phone follows the single-phone rules of [`crate::core::schedule`] (its T0 and its seed are
//! given by [`Fleet::phone`]); [`load`] reaches the same counts as running [`fetches`] for every
//! phone, without listing every fetch of every phone:
//! - elapsed-time rules (`rel`, the refresh timer): phones whose T0s are congruent modulo the
//!   period fetch at the same instants, so one pass per residue counts them all;
//! - `abs`: every phone fetches at the same daily instants, from its first one after T0 on;
//! - random windows: the windows are resolved once per local day, and each phone only draws;
//! - random under a day: each phone's chain is drawn, as the phone would.
//!
//! The per-phone draws (random windows, random intervals) can take seconds for large fleets, so
//! a [`Job`] does them a few phones at a time: a front end runs it in slices and can drop it
//! when its inputs change. [`load`] runs one to the end.
//!
//! [`fetches`]: crate::core::schedule::fetches

use std::ops::{Deref, Range};

use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};

use crate::core::message::{Args, Said, display_said};
use crate::core::plan::{Plan, Source, Trigger};
use crate::core::rule::{Polling, Rule};
use crate::core::schedule::{
    SplitMix64, daily_window, draw_in_window, draw_interval, first_random_day, plan_fetches,
};
use crate::core::settings::{ClockTime, DAY_SECONDS, Key, MAX_SECONDS, Mode, Settings};
use crate::core::zone::{self, Zone};

pub const MAX_PHONES: u32 = 100_000;
const MAX_BUCKETS: u64 = 1_000_000;

/// How the phones' T0s are spread from the start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spread {
    /// All at the start, as after a power cut.
    AtOnce,
    /// Evenly over this many seconds, as in a rolling deployment: phone `i` of `n` at
    /// `i · span / n`.
    Uniform(u32),
}

impl Spread {
    /// Spread over `seconds`; 0 is all at once.
    pub fn of(seconds: u32) -> Spread {
        if seconds == 0 {
            Spread::AtOnce
        } else {
            Spread::Uniform(seconds)
        }
    }

    /// The seconds the T0s are spread over; 0 when all at once.
    pub fn seconds(self) -> u32 {
        match self {
            Spread::AtOnce => 0,
            Spread::Uniform(span) => span,
        }
    }
}

/// A fleet's number that is out of range ([`Fleet::check`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FleetProblem {
    Phones { phones: u32 },
    NoBucket,
    HorizonUnderBucket { horizon: u32, bucket: u32 },
    TooLong,
    TooManyBuckets { buckets: u64 },
}

impl Said for FleetProblem {
    fn template(&self) -> &'static str {
        use FleetProblem as F;
        match self {
            F::Phones { .. } => en!("the number of phones must be from 1 to {0}, not {1}"),
            F::NoBucket => en!("the bucket must be at least 1 second"),
            F::HorizonUnderBucket { .. } => {
                en!("the horizon ({0} s) must be at least one bucket ({1} s)")
            }
            F::TooLong => en!("the horizon and one bucket must together be at most {0} s"),
            F::TooManyBuckets { .. } => en!(
                "{0} buckets are too many: at most {1}; choose a longer bucket or a shorter horizon"
            ),
        }
    }

    fn args(&self) -> Args<'_> {
        use FleetProblem as F;
        match self {
            F::Phones { phones } => [&MAX_PHONES, phones, &"", &""],
            F::NoBucket => [&"", &"", &"", &""],
            F::HorizonUnderBucket { horizon, bucket } => [horizon, bucket, &"", &""],
            F::TooLong => [&MAX_SECONDS, &"", &"", &""],
            F::TooManyBuckets { buckets } => [buckets, &MAX_BUCKETS, &"", &""],
        }
    }
}

display_said!(FleetProblem);

/// A fleet: how many phones, when they took their settings, what to count and how finely.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fleet {
    pub phones: u32,
    pub spread: Spread,
    /// Seconds counted from the start.
    pub horizon: u32,
    /// Seconds per bucket.
    pub bucket: u32,
    pub seed: u64,
    /// Count each phone's fetch at its own T0, as when the phones boot (after a power cut):
    /// the fetch that brought the settings.
    pub boot: bool,
}

impl Fleet {
    /// Checks the fleet's numbers, naming the one that is out of range.
    pub fn check(&self) -> Result<(), FleetProblem> {
        if !(1..=MAX_PHONES).contains(&self.phones) {
            return Err(FleetProblem::Phones {
                phones: self.phones,
            });
        }
        if self.bucket == 0 {
            return Err(FleetProblem::NoBucket);
        }
        if self.horizon < self.bucket {
            return Err(FleetProblem::HorizonUnderBucket {
                horizon: self.horizon,
                bucket: self.bucket,
            });
        }
        if u64::from(self.horizon) + u64::from(self.bucket) > u64::from(MAX_SECONDS) {
            return Err(FleetProblem::TooLong);
        }
        if self.buckets() > MAX_BUCKETS {
            return Err(FleetProblem::TooManyBuckets {
                buckets: self.buckets(),
            });
        }
        Ok(())
    }

    /// Buckets in a horizon that starts on a bucket's boundary, the bound [`Fleet::check`]
    /// applies; a horizon that starts between boundaries (see [`Load`]) has one more.
    pub fn buckets(&self) -> u64 {
        u64::from(self.horizon).div_ceil(u64::from(self.bucket.max(1)))
    }

    /// Phone `i`'s T0, as seconds after the start, and the seed of its own random draws. T0s
    /// never decrease with `i`.
    pub fn phone(&self, i: u32) -> (u32, u64) {
        let mut rng = SplitMix64::new(self.seed ^ u64::from(i).wrapping_mul(0xD1B5_4A32_D192_ED03));
        let seed = rng.next_u64();
        let offset = (u64::from(i) * u64::from(self.spread.seconds())
            / u64::from(self.phones.max(1))) as u32;
        (offset, seed)
    }
}

/// A change to compare the settings with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alternative {
    /// The same period in random mode; a window over the whole day where there is no time.
    RandomMode,
    RelMode,
    /// The same settings, the T0s spread evenly over an hour.
    SpreadOverAnHour,
    /// abs mode at the settings' time, or at 03:00 where there is none.
    AbsMode,
}

impl Alternative {
    pub const ALL: [Alternative; 4] = [
        Alternative::RandomMode,
        Alternative::RelMode,
        Alternative::SpreadOverAnHour,
        Alternative::AbsMode,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Alternative::RandomMode => "random",
            Alternative::RelMode => "rel",
            Alternative::SpreadOverAnHour => "spread",
            Alternative::AbsMode => "abs",
        }
    }

    /// Its name for people, in English (marked for the page's other languages).
    pub const fn label(self) -> &'static str {
        match self {
            Alternative::RandomMode => en!("the same period in random mode"),
            Alternative::RelMode => en!("the same period in rel mode"),
            Alternative::SpreadOverAnHour => en!("these settings, taking effect over an hour"),
            Alternative::AbsMode => en!("abs mode at the same time"),
        }
    }

    /// The first alternative that changes something for `s` taken over `spread` seconds: a
    /// comparison with a copy of the settings would tell nothing. (The spread over an hour
    /// changes the spread, unless it is an hour already; so does another that changes a mode.)
    pub fn first_differing(s: &Settings, spread: u32) -> Alternative {
        Alternative::ALL
            .into_iter()
            .find(|a| !a.changes(s, spread).is_empty())
            .unwrap_or(Alternative::RandomMode)
    }

    /// What the alternative changes for `s` taken over `spread` seconds: each polling setting
    /// whose value differs (`None` where unset), then the spread (`key` `None`), as text.
    pub fn changes(self, s: &Settings, spread: u32) -> Vec<Change> {
        let (alt, alt_spread) = self.apply(s, spread);
        let mut out: Vec<Change> = Key::ALL
            .into_iter()
            .filter_map(|key| {
                let (from, to) = (s.value_text(key), alt.value_text(key));
                (from != to).then_some(Change {
                    key: Some(key),
                    from,
                    to,
                })
            })
            .collect();
        if alt_spread != spread {
            out.push(Change {
                key: None,
                from: Some(spread.to_string()),
                to: Some(alt_spread.to_string()),
            });
        }
        out
    }

    pub fn parse(text: &str) -> Option<Alternative> {
        Alternative::ALL.into_iter().find(|a| a.as_str() == text)
    }

    /// The alternative's settings (with polling on) and spread, from the current ones.
    pub fn apply(self, s: &Settings, spread: u32) -> (Settings, u32) {
        let mut alt = Settings {
            enabled: true,
            ..*s
        };
        match self {
            Alternative::RandomMode => {
                alt.mode = Some(Mode::Random);
                if alt.period >= DAY_SECONDS && alt.time.is_none() {
                    alt.time = ClockTime::new(0, 0);
                    alt.time_rand_end = ClockTime::new(23, 59);
                }
            }
            Alternative::RelMode => alt.mode = Some(Mode::Rel),
            Alternative::AbsMode => {
                alt.mode = Some(Mode::Abs);
                alt.time = alt.time.or(ClockTime::new(3, 0));
            }
            Alternative::SpreadOverAnHour => return (*s, 3_600),
        }
        (alt, spread)
    }
}

/// One value an [`Alternative`] changes: a polling setting's, or (`key` `None`) the seconds
/// over which the phones take the settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub key: Option<Key>,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Requests per bucket and the figures derived from them.
///
/// Buckets lie on the phones' wall clock: with one-minute buckets each starts on a whole
/// minute, so a fetch at 01:00:00 is counted in the 01:00 bucket whatever second the count
/// starts at. The first and last buckets may cover only part of their span.
#[derive(Clone, Debug, PartialEq)]
pub struct Load {
    /// Where counting starts: the first phone's T0, in whole seconds.
    pub from: DateTime<Utc>,
    /// Where the first bucket starts: `from`, or the bucket boundary just before it.
    pub buckets_from: DateTime<Utc>,
    pub bucket: u32,
    pub phones: u32,
    pub counts: Vec<u32>,
    pub total: u64,
    /// The largest count, and the start of the first bucket that has it.
    pub peak: u32,
    pub peak_at: DateTime<Utc>,
    /// Requests per bucket's length of time, on average over the horizon.
    pub mean: f64,
    /// The share of phones that fetched at least once within the horizon.
    pub fetched_share: f64,
}

impl Load {
    /// The start of bucket `i`.
    pub fn bucket_at(&self, i: usize) -> DateTime<Utc> {
        self.buckets_from + TimeDelta::seconds(i as i64 * i64::from(self.bucket))
    }
}

/// The load of `fleet` with `settings`, counted from `from` in the phones' `zone`.
pub fn load(
    settings: &Settings,
    from: DateTime<Utc>,
    zone: &dyn Zone,
    fleet: &Fleet,
) -> Result<Load, FleetProblem> {
    let mut job = Job::new(settings, from, zone, fleet)?;
    while !job.step(zone, u32::MAX) {}
    Ok(job.finish())
}

/// Phones of a mixed fleet that are alike: their settings, their zone and how many they are.
/// `Z` is how the zone is held: `&dyn Zone` on the command line, `Rc<dyn Zone>` in the page's
/// worker.
pub struct Member<Z> {
    pub rules: Rules,
    pub zone: Z,
    pub phones: u32,
}

/// What a member's phones fetch by: snom's settings (counted by the model above), or another
/// vendor's plan (each phone's fetches drawn as [`plan_fetches`] gives them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rules {
    Snom(Settings),
    Plan(Plan),
}

/// The load of a fleet whose phones differ, counted a few phones at a time as [`Job`] counts:
/// each member's phones by their own settings and zone, with buckets on one grid's wall clock.
/// The phones are numbered across the members in their order, so a spread covers the whole
/// fleet. The command line runs it to the end ([`mixed_load`]); the page's worker in slices.
pub struct MixedJob<Z> {
    parts: Vec<(Result<Job, FleetProblem>, Z)>,
    horizon: u32,
}

impl<'z, Z: Deref<Target = dyn Zone + 'z>> MixedJob<Z> {
    /// The job for `members` from `from`, with buckets on `grid`'s wall clock. `fleet.phones`
    /// is not used: the members say how many.
    pub fn new(
        members: Vec<Member<Z>>,
        from: DateTime<Utc>,
        grid: &dyn Zone,
        fleet: &Fleet,
    ) -> Self {
        let total: u32 = members.iter().map(|m| m.phones).sum();
        let fleet = Fleet {
            phones: total.max(1),
            ..*fleet
        };
        let mut first = 0;
        let parts = members
            .into_iter()
            .map(|m| {
                let phones = first..first + m.phones;
                first += m.phones;
                let job = match &m.rules {
                    Rules::Snom(settings) => {
                        Job::part(settings, from, &*m.zone, grid, &fleet, phones)
                    }
                    Rules::Plan(plan) => Job::part_plan(plan, from, grid, &fleet, phones),
                };
                (job, m.zone)
            })
            .collect();
        MixedJob {
            parts,
            horizon: fleet.horizon,
        }
    }

    /// Draws for up to `phones` more phones (of the first member not done); true when every
    /// member is done.
    pub fn step(&mut self, phones: u32) -> bool {
        if let Some((Ok(job), zone)) = self
            .parts
            .iter_mut()
            .find(|(j, _)| j.as_ref().is_ok_and(|j| !j.done()))
        {
            job.step(&**zone, phones);
        }
        self.done()
    }

    pub fn done(&self) -> bool {
        self.parts
            .iter()
            .all(|(j, _)| j.as_ref().is_err() || j.as_ref().is_ok_and(Job::done))
    }

    /// The share of the work done, from 0 to 1.
    pub fn progress(&self) -> f64 {
        let done: f64 = self
            .parts
            .iter()
            .map(|(j, _)| j.as_ref().map_or(1.0, Job::progress))
            .sum();
        done / self.parts.len().max(1) as f64
    }

    /// Each member's load (or why it could not be counted), and their sum (`None` where no
    /// member could be counted).
    pub fn finish(self) -> (Option<Load>, Vec<Result<Load, FleetProblem>>) {
        let loads: Vec<Result<Load, FleetProblem>> = self
            .parts
            .into_iter()
            .map(|(j, _)| j.map(Job::finish))
            .collect();
        let counted: Vec<Load> = loads
            .iter()
            .filter_map(|l| l.as_ref().ok().cloned())
            .collect();
        (Load::sum(&counted, self.horizon), loads)
    }
}

/// The load of a mixed fleet ([`MixedJob`]) counted to the end: the total and each member's
/// part, on the same buckets; the first member that cannot be counted says why.
pub fn mixed_load(
    members: &[Member<&dyn Zone>],
    from: DateTime<Utc>,
    grid: &dyn Zone,
    fleet: &Fleet,
) -> Result<(Load, Vec<Load>), FleetProblem> {
    let members = members
        .iter()
        .map(|m| Member {
            rules: m.rules.clone(),
            zone: m.zone,
            phones: m.phones,
        })
        .collect();
    let mut job = MixedJob::new(members, from, grid, fleet);
    while !job.step(u32::MAX) {}
    let (total, parts) = job.finish();
    let parts = parts
        .into_iter()
        .collect::<Result<Vec<Load>, FleetProblem>>()?;
    let total = match total {
        Some(total) => total,
        // No phone: an empty count on the same grid.
        None => Job::part(&Settings::default(), from, grid, grid, fleet, 0..0)?.finish(),
    };
    Ok((total, parts))
}

impl Load {
    /// Loads counted on the same buckets (the parts of one mixed fleet over `horizon` seconds),
    /// added up; `None` without a part.
    pub fn sum(parts: &[Load], horizon: u32) -> Option<Load> {
        let first = parts.first()?;
        let mut counts = vec![0u32; first.counts.len()];
        let mut fetched = 0.0;
        for part in parts {
            for (sum, &c) in counts.iter_mut().zip(&part.counts) {
                *sum = sum.saturating_add(c);
            }
            fetched += (part.fetched_share * f64::from(part.phones)).round();
        }
        let phones: u32 = parts.iter().map(|p| p.phones).sum();
        Some(Load::from_counts(
            first.from,
            first.buckets_from,
            first.bucket,
            phones,
            counts,
            fetched,
            f64::from(horizon),
        ))
    }

    /// The figures of `counts` (buckets of `bucket` seconds from `buckets_from`, over `horizon`
    /// seconds from `from`) for `phones`, `fetched` of which fetched at all.
    fn from_counts(
        from: DateTime<Utc>,
        buckets_from: DateTime<Utc>,
        bucket: u32,
        phones: u32,
        counts: Vec<u32>,
        fetched: f64,
        horizon: f64,
    ) -> Load {
        let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
        let (peak_index, peak) =
            counts.iter().enumerate().fold(
                (0, 0),
                |best, (i, &c)| if c > best.1 { (i, c) } else { best },
            );
        Load {
            from,
            buckets_from,
            bucket,
            phones,
            total,
            peak,
            peak_at: buckets_from + TimeDelta::seconds(peak_index as i64 * i64::from(bucket)),
            mean: total as f64 / (horizon / f64::from(bucket)),
            fetched_share: fetched / f64::from(phones.max(1)),
            counts,
        }
    }
}

/// The per-phone part of a fleet's load: what is left to draw.
#[derive(Clone, Debug)]
enum Draws {
    None,
    /// Another vendor's plan, each phone's fetches drawn in turn.
    Plan(Plan),
    /// Random windows every `every` days from each phone's first one.
    Windows {
        every: u32,
    },
    /// Chained random intervals of up to `period` seconds.
    Chained {
        period: u32,
    },
}

/// A fleet's load, counted a few phones at a time: see the module's text. The instants that
/// every phone shares are counted when the job is made; [`Job::step`] draws the rest.
pub struct Job {
    counter: Counter,
    phones: Vec<(u32, u64)>,
    draws: Draws,
    /// (earliest, span) of each local day's window, in seconds from the start.
    windows: Vec<Option<(i64, u64)>>,
    first_day: Option<NaiveDate>,
    /// The next phone to draw for.
    next: usize,
    fleet_phones: u32,
    /// Whether a plan's boot fetch is counted.
    boot: bool,
}

impl Job {
    pub fn new(
        settings: &Settings,
        from: DateTime<Utc>,
        zone: &dyn Zone,
        fleet: &Fleet,
    ) -> Result<Job, FleetProblem> {
        Job::part(settings, from, zone, zone, fleet, 0..fleet.phones)
    }

    /// A job for the fleet's `phones` (numbered as [`Fleet::phone`] numbers them), in their own
    /// `zone`, with buckets on the wall clock of `grid`: the parts of a mixed fleet share one.
    pub fn part(
        settings: &Settings,
        from: DateTime<Utc>,
        zone: &dyn Zone,
        grid: &dyn Zone,
        fleet: &Fleet,
        phones: Range<u32>,
    ) -> Result<Job, FleetProblem> {
        fleet.check()?;
        // Whole seconds, as in the schedule.
        let from = from - TimeDelta::nanoseconds(from.timestamp_subsec_nanos().into());
        let bucket = i64::from(fleet.bucket);
        let lead = (zone::local(grid, from).naive_local().and_utc().timestamp()).rem_euclid(bucket);
        let horizon = i64::from(fleet.horizon);
        let mut counter = Counter {
            from,
            horizon,
            bucket,
            lead,
            counts: vec![0; (lead + horizon).unsigned_abs().div_ceil(bucket as u64) as usize],
            fetched: vec![false; phones.len()],
        };
        let part_phones = phones.len() as u32;
        let phones: Vec<(u32, u64)> = phones.map(|i| fleet.phone(i)).collect();
        let mut draws = Draws::None;
        let mut windows = Vec::new();
        let mut first_day = None;
        let rule = Rule::of(settings);
        // A phone that never updates asks for nothing, not even at boot (Choice, docs/polling.md).
        if !rule.never_update {
            if fleet.boot {
                for (i, &(offset, _)) in phones.iter().enumerate() {
                    if counter.add(offset.into(), 1) {
                        counter.fetched[i] = true;
                    }
                }
            }
            match rule.polling {
                Polling::Every { period } => counter.periodic(&phones, period),
                Polling::Daily { time } => counter.absolute(&phones, zone, time),
                Polling::Window {
                    days: every,
                    start,
                    end,
                } => {
                    let days: Vec<NaiveDate> = counter.days(zone).collect();
                    first_day = days.first().copied();
                    windows = days
                        .iter()
                        .map(|&day| {
                            daily_window(zone, day, start, end).map(|(earliest, latest)| {
                                let span = (latest - earliest).num_seconds().unsigned_abs();
                                (counter.offset(earliest), span)
                            })
                        })
                        .collect();
                    draws = Draws::Windows { every };
                }
                Polling::Chained { period } => draws = Draws::Chained { period },
                Polling::Off | Polling::NoMode | Polling::Untimed { .. } => {}
            }
            if let Some(every) = rule.refresh {
                counter.periodic(&phones, every);
            }
        }
        Ok(Job {
            counter,
            phones,
            draws,
            windows,
            first_day,
            next: 0,
            fleet_phones: part_phones,
            boot: false,
        })
    }

    /// A job for the fleet's `phones` with another vendor's `plan`, each phone's fetches drawn
    /// in its zone (the one a [`MixedJob`] steps it with), buckets on `grid`'s wall clock.
    pub fn part_plan(
        plan: &Plan,
        from: DateTime<Utc>,
        grid: &dyn Zone,
        fleet: &Fleet,
        phones: Range<u32>,
    ) -> Result<Job, FleetProblem> {
        // Settings that fetch nothing: the counter and the phones, without snom's rules.
        let nothing = Settings {
            enabled: false,
            refresh_timer: 0,
            ..Settings::default()
        };
        let quiet = Fleet {
            boot: false,
            ..*fleet
        };
        let mut job = Job::part(&nothing, from, grid, grid, &quiet, phones)?;
        // A boot fetch in the plan is the one that brings the settings; without one, the
        // phone's fetch at T0 is counted as snom's is.
        // A phone that fetches nothing when it starts has no such fetch.
        let boots = plan
            .triggers
            .iter()
            .any(|t| matches!(t, Trigger::Boot { .. }));
        if fleet.boot && !boots && !plan.silent_boot {
            for (i, &(offset, _)) in job.phones.iter().enumerate() {
                if job.counter.add(offset.into(), 1) {
                    job.counter.fetched[i] = true;
                }
            }
        }
        // Elapsed-time triggers are counted per residue, as snom's (a repeat of a minute costs
        // no draw per fetch); left in the plan as nothing, so the others keep their draws.
        let mut drawn = plan.clone();
        if !plan.waits {
            for t in &mut drawn.triggers {
                if let Trigger::Every { step, .. } = t
                    && *step > 0
                {
                    job.counter.periodic(&job.phones, *step);
                    *step = 0;
                }
            }
        }
        job.boot = fleet.boot;
        job.draws = Draws::Plan(drawn);
        Ok(job)
    }

    /// Draws for up to `phones` more phones; true when every phone is done.
    pub fn step(&mut self, zone: &dyn Zone, phones: u32) -> bool {
        let end = self
            .phones
            .len()
            .min(self.next.saturating_add(phones as usize));
        let range = self.next..end;
        match self.draws {
            Draws::None => {}
            Draws::Windows { every } => {
                if let Some(first) = self.first_day {
                    self.counter.random_days(
                        &self.phones,
                        range,
                        zone,
                        &self.windows,
                        first,
                        every,
                    );
                }
            }
            Draws::Chained { period } => self.counter.chained(&self.phones, range, period),
            Draws::Plan(ref plan) => {
                for i in range {
                    let (offset, seed) = self.phones[i];
                    let t0 = self.counter.from + TimeDelta::seconds(offset.into());
                    for f in plan_fetches(plan, t0, zone, seed) {
                        // A boot fetch is the one that brought the settings: counted with them.
                        if f.source == Source::Boot && !self.boot {
                            continue;
                        }
                        let at = self.counter.offset(f.at);
                        if at >= self.counter.horizon {
                            break;
                        }
                        if self.counter.add(at, 1) {
                            self.counter.fetched[i] = true;
                        }
                    }
                }
            }
        }
        self.next = match self.draws {
            Draws::None => self.phones.len(),
            _ => end,
        };
        self.done()
    }

    pub fn done(&self) -> bool {
        self.next >= self.phones.len()
    }

    /// The share of the work done, from 0 to 1.
    pub fn progress(&self) -> f64 {
        self.next as f64 / self.phones.len().max(1) as f64
    }

    pub fn finish(self) -> Load {
        self.counter.finish(self.fleet_phones)
    }
}

/// Division of numbers below 2³¹ by a fixed divisor, as a multiply and a shift: in the
/// chained loop a hardware division per fetch was the largest cost (Granlund and Montgomery's
/// round-up method: m = ⌈2^(31+ℓ) / d⌉ with 2^ℓ ≥ d is exact for every dividend below 2³¹).
#[derive(Clone, Copy, Debug)]
struct Divisor {
    multiplier: u64,
    shift: u32,
}

impl Divisor {
    fn new(d: u32) -> Divisor {
        let d = d.max(1);
        let l = 32 - (d - 1).leading_zeros(); // ⌈log2 d⌉
        let shift = 31 + l;
        Divisor {
            multiplier: (1u64 << shift).div_ceil(u64::from(d)),
            shift,
        }
    }

    #[inline(always)]
    fn divide(self, n: u32) -> u32 {
        debug_assert!(n < 1 << 31);
        ((u64::from(n) * self.multiplier) >> self.shift) as u32
    }
}

struct Counter {
    from: DateTime<Utc>,
    horizon: i64,
    bucket: i64,
    /// Seconds from the first bucket's start to `from`: buckets lie on the wall clock.
    lead: i64,
    counts: Vec<u32>,
    fetched: Vec<bool>,
}

impl Counter {
    /// Counts `n` fetches at `offset` seconds after the start, if within the horizon.
    fn add(&mut self, offset: i64, n: u32) -> bool {
        if !(0..self.horizon).contains(&offset) {
            return false;
        }
        let slot = &mut self.counts[((offset + self.lead) / self.bucket) as usize];
        *slot = slot.saturating_add(n);
        true
    }

    fn offset(&self, t: DateTime<Utc>) -> i64 {
        (t - self.from).num_seconds()
    }

    /// T0 + k·step for every phone. A phone with T0 offset `o` fetches at every `t ≡ o (mod
    /// step)` with `t > o`: per residue, walk the instants once, counting the phones started.
    fn periodic(&mut self, phones: &[(u32, u64)], step: u32) {
        let step = i64::from(step);
        let mut by_residue: Vec<(i64, i64, usize)> = phones
            .iter()
            .enumerate()
            .map(|(i, &(o, _))| (i64::from(o) % step, i64::from(o), i))
            .collect();
        by_residue.sort_unstable();
        for group in by_residue.chunk_by(|a, b| a.0 == b.0) {
            let mut started = 0;
            let mut t = group[0].1 + step;
            while t < self.horizon {
                while started < group.len() && group[started].1 < t {
                    self.fetched[group[started].2] = true;
                    started += 1;
                }
                self.add(t, started as u32);
                t += step;
            }
        }
    }

    /// Every phone fetches at the same daily instants, each from its first one after its T0.
    /// `phones` are in the order of their T0s, as [`Fleet::phone`] numbers them.
    fn absolute(&mut self, phones: &[(u32, u64)], zone: &dyn Zone, time: ClockTime) {
        debug_assert!(phones.is_sorted_by_key(|p| p.0));
        let mut started = 0;
        for day in self.days(zone) {
            let Some((at, _)) = daily_window(zone, day, time, time) else {
                break;
            };
            let offset = self.offset(at);
            while started < phones.len() && i64::from(phones[started].0) < offset {
                if offset < self.horizon {
                    self.fetched[started] = true;
                }
                started += 1;
            }
            self.add(offset, started as u32);
        }
    }

    /// Windows are resolved once per local day (`windows`, from `first`); each phone in
    /// `range` draws in its own, as it would alone.
    fn random_days(
        &mut self,
        phones: &[(u32, u64)],
        range: Range<usize>,
        zone: &dyn Zone,
        windows: &[Option<(i64, u64)>],
        first: NaiveDate,
        every: u32,
    ) {
        for i in range {
            let (offset, seed) = phones[i];
            let t0 = self.from + TimeDelta::seconds(offset.into());
            let Some(day) = first_random_day(zone, t0) else {
                continue;
            };
            let mut index = (day - first).num_days();
            let mut rng = SplitMix64::new(seed);
            while let Some(&Some((earliest, span))) =
                usize::try_from(index).ok().and_then(|k| windows.get(k))
            {
                if earliest >= self.horizon {
                    break;
                }
                if self.add(earliest + draw_in_window(span, &mut rng), 1) {
                    self.fetched[i] = true;
                }
                index += i64::from(every);
            }
        }
    }

    /// Each phone's chain of random intervals, drawn as the phone draws it. The hottest loop
    /// of the model (millions of draws for short periods), so it stays in 32-bit arithmetic:
    /// the horizon and one bucket are below 2³¹ seconds ([`Fleet::check`]).
    fn chained(&mut self, phones: &[(u32, u64)], range: Range<usize>, period: u32) {
        let horizon = self.horizon as u32;
        let lead = self.lead as u32;
        let bucket = Divisor::new(self.bucket as u32);
        // Local slices: nothing in the loop reloads them through `self`.
        let counts = &mut self.counts[..];
        for (&(offset, seed), fetched) in phones[range.clone()]
            .iter()
            .zip(self.fetched[range].iter_mut())
        {
            let mut rng = SplitMix64::new(seed);
            let mut at = offset.saturating_add(draw_interval(period, &mut rng) as u32);
            *fetched |= at < horizon;
            while at < horizon {
                let slot = &mut counts[bucket.divide(at + lead) as usize];
                *slot = slot.saturating_add(1);
                at = at.saturating_add(draw_interval(period, &mut rng) as u32);
            }
        }
    }

    /// The local days from the start's to the one after the horizon's end.
    fn days(&self, zone: &dyn Zone) -> impl Iterator<Item = NaiveDate> + use<> {
        let first = zone::local(zone, self.from).date_naive();
        let last = zone::local(zone, self.from + TimeDelta::seconds(self.horizon))
            .date_naive()
            .succ_opt()
            .unwrap_or(NaiveDate::MAX);
        std::iter::successors(Some(first), |d| d.checked_add_days(Days::new(1)))
            .take_while(move |d| *d <= last)
    }

    fn finish(self, phones: u32) -> Load {
        let fetched = self.fetched.iter().filter(|&&f| f).count();
        Load::from_counts(
            self.from,
            self.from - TimeDelta::seconds(self.lead),
            self.bucket as u32,
            phones,
            self.counts,
            fetched as f64,
            self.horizon as f64,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::Divisor;

    #[test]
    fn the_divisor_divides_exactly() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        for d in (1..=5000).chain([59, 60, 61, 3599, 3600, 86_400, 604_800, (1 << 31) - 1]) {
            let divisor = Divisor::new(d);
            let edges = [0, 1, d - 1, d, d + 1, (1 << 31) - 1, (1 << 31) - 2];
            for n in edges.into_iter().filter(|&n| n < 1 << 31) {
                assert_eq!(divisor.divide(n), n / d, "{n} / {d}");
            }
            for _ in 0..50 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let n = (x as u32) >> 1;
                assert_eq!(divisor.divide(n), n / d, "{n} / {d}");
            }
        }
    }
}
