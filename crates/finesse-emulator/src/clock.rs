//! Simulation time.
//!
//! The center never reads a clock; the network layer passes `SimTime` in. A [`SimClock`]
//! either follows real time (demo) or is advanced by hand (tests), so wrap-up timers and
//! the 60 s presence rule run without waiting.
use std::sync::Arc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Milliseconds since the lab started.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct SimTime(pub u64);

impl SimTime {
    pub fn plus(self, d: Duration) -> SimTime {
        SimTime(self.0.saturating_add(d.as_millis() as u64))
    }
    pub fn since(self, earlier: SimTime) -> Duration {
        Duration::from_millis(self.0.saturating_sub(earlier.0))
    }
}

#[derive(Debug)]
enum Mode {
    /// Follows the monotonic clock from `started`, plus any manual jumps.
    Realtime { started: Instant, offset_ms: u64 },
    /// Moves only when advanced.
    Manual { now_ms: u64 },
}

/// A shareable clock: real time for the demo, manual for tests.
#[derive(Debug, Clone)]
pub struct SimClock {
    mode: Arc<Mutex<Mode>>,
    /// Wall-clock instant (ms since the Unix epoch) that `SimTime(0)` corresponds to;
    /// used to render Finesse timestamps.
    epoch_unix_ms: i64,
}

impl SimClock {
    pub fn realtime() -> Self {
        SimClock {
            mode: Arc::new(Mutex::new(Mode::Realtime {
                started: Instant::now(),
                offset_ms: 0,
            })),
            epoch_unix_ms: chrono::Utc::now().timestamp_millis(),
        }
    }

    pub fn manual() -> Self {
        SimClock {
            mode: Arc::new(Mutex::new(Mode::Manual { now_ms: 0 })),
            epoch_unix_ms: chrono::Utc::now().timestamp_millis(),
        }
    }

    pub fn is_manual(&self) -> bool {
        matches!(*self.lock(), Mode::Manual { .. })
    }

    pub fn now(&self) -> SimTime {
        match &*self.lock() {
            Mode::Realtime { started, offset_ms } => {
                SimTime(started.elapsed().as_millis() as u64 + offset_ms)
            }
            Mode::Manual { now_ms } => SimTime(*now_ms),
        }
    }

    /// Move time forward (in either mode: a jump in realtime mode simulates a suspended host).
    pub fn advance(&self, by: Duration) {
        match &mut *self.lock() {
            Mode::Realtime { offset_ms, .. } => *offset_ms += by.as_millis() as u64,
            Mode::Manual { now_ms } => *now_ms += by.as_millis() as u64,
        }
    }

    /// The Finesse timestamp (`YYYY-MM-DDThh:mm:ss.SSSZ`, UTC) for a simulation time.
    pub fn timestamp(&self, t: SimTime) -> String {
        let ms = self.epoch_unix_ms + t.0 as i64;
        chrono::DateTime::<chrono::Utc>::from_timestamp_millis(ms)
            .unwrap_or_default()
            .format("%Y-%m-%dT%H:%M:%S%.3fZ")
            .to_string()
    }

    pub fn unix_ms(&self, t: SimTime) -> i64 {
        self.epoch_unix_ms + t.0 as i64
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Mode> {
        // A poisoned clock only means a panicking test thread held it; the value is still valid.
        self.mode.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_advanced() {
        let c = SimClock::manual();
        assert_eq!(c.now(), SimTime(0));
        c.advance(Duration::from_secs(61));
        assert_eq!(c.now(), SimTime(61_000));
    }

    #[test]
    fn timestamps_have_millisecond_utc_format() {
        let c = SimClock::manual();
        let ts = c.timestamp(SimTime(0));
        assert_eq!(ts.len(), 24, "{ts}");
        assert!(ts.ends_with('Z'));
    }
}
