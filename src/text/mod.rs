//! The core's values as text a person reads: the schedule in words, the timeline's layout, and
//! the markup of the page and its worker, as pure functions that escape every text they are
//! given.
//!
//! - [`summary`]: the schedule in one sentence.
//! - [`timeline`]: the timeline's marks and ticks, as numbers.
//! - [`render`]: the timeline, the fetch list, the XML and the fleet's charts as markup.
//! - [`fleet`]: the fleet's figures: the folder's phones, or the settings beside an alternative.
//! - [`folder`]: a provisioning folder's phones, findings and edit plans as markup.
//! - [`log`]: a server's log held against a folder: verdicts, phones, one phone's time strip.
//! - [`ids`]: the page's elements the worker writes into, named once.
//! - [`prometheus`]: the verdicts as Prometheus metrics (`provpoll watch`, `log --format
//!   prometheus`).

pub mod fleet;
pub mod folder;
pub mod ids;
pub mod log;
#[cfg(test)]
pub mod parsed;
pub mod plan;
pub mod prometheus;
pub mod render;
pub mod summary;
pub mod timeline;
pub mod xml_rows;
