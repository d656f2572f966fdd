//! Session time: milliseconds on a monotonic clock chosen by the driver.
//!
//! The state machine never reads a clock. Every input comes with the current [`Millis`] and
//! every timer is a deadline in the same unit, so tests drive time by hand and the driver
//! maps it onto `tokio::time::Instant` (`start + Duration::from_millis(at)`).
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Milliseconds since the driver started the session (monotonic, not wall-clock).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Millis(pub u64);

impl Millis {
    /// The instant `by` later, saturating instead of overflowing.
    pub fn after(self, by: Duration) -> Millis {
        let by = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        Millis(self.0.saturating_add(by))
    }

    /// Time elapsed since `earlier` (zero if `earlier` is later).
    pub fn since(self, earlier: Millis) -> Duration {
        Duration::from_millis(self.0.saturating_sub(earlier.0))
    }

    /// As a `Duration` from the session start.
    pub fn as_duration(self) -> Duration {
        Duration::from_millis(self.0)
    }
}

impl std::fmt::Display for Millis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ms", self.0)
    }
}
