//! The core: what a phone does with its polling settings, and the files that hold them. Plain
//! Rust over bytes and values: no markup, no browser, no file system.
//!
//! - [`settings`]: the polling settings' names, values and perm flags.
//! - [`check`]: reading and validating them, each problem naming its setting.
//! - [`rule`]: what the phone does for given settings, decided once.
//! - [`message`]: every error and warning as a value, and its words.
//! - [`zone`]: time zones, with the spec's DST rules, from any source of offsets.
//! - [`schedule`]: the fetches those settings cause, as a lazy iterator.
//! - [`fleet`]: the load a fleet of phones puts on the provisioning server.
//! - [`file`](mod@file): reading, checking and editing snom XML settings files byte for byte.
//! - [`folder`]: a provisioning folder: which files each phone reads, what it ends up with, and
//!   where an edit for some phones is written.
//! - [`log`]: a provisioning server's access log held against the folder's prediction.
//! - [`mac`]: a phone's MAC, read in any case and written one way.
//! - [`vendor`]: whose a provisioning file is, by its content.

pub mod check;
pub mod file;
pub mod fleet;
pub mod folder;
pub mod log;
pub mod mac;
pub mod message;
pub mod plan;
pub mod rule;
pub mod schedule;
pub mod settings;
pub mod vendor;
pub mod zone;
