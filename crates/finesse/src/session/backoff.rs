//! Reconnect delays: exponential backoff with jitter from a seeded generator.
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Exponential backoff: attempt `n` (1-based) waits `initial × multiplier^(n-1)`, capped at
/// `max`, then spread by ±`jitter_ratio` so that many desktops losing the same node do not
/// come back in lock-step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backoff {
    pub initial: Duration,
    pub max: Duration,
    pub multiplier: f64,
    /// 0.0 (no jitter) to 1.0; the delay is multiplied by a factor in `[1 - r, 1 + r)`.
    pub jitter_ratio: f64,
}

/// Quick enough to be back within Finesse's 60 s presence grace with time to spare: the
/// delay never exceeds 2.5 s, so a node that becomes reachable is used within about 3 s.
/// Long outages slow down through [`SessionPolicy::slow_retry`](super::SessionPolicy).
impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            initial: Duration::from_millis(500),
            max: Duration::from_millis(2500),
            multiplier: 2.0,
            jitter_ratio: 0.3,
        }
    }
}

impl Backoff {
    /// The delay before retry number `attempt` (1-based), before jitter.
    pub fn base_delay(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(1).min(64) as i32;
        let factor = self.multiplier.max(1.0).powi(exponent);
        let millis = (self.initial.as_millis() as f64 * factor).min(self.max.as_millis() as f64);
        Duration::from_millis(millis.max(0.0) as u64)
    }

    /// The delay before retry number `attempt`, with `unit_random` in `[0, 1)` choosing the
    /// jitter. The result never exceeds `max`.
    pub fn delay(&self, attempt: u32, unit_random: f64) -> Duration {
        let base = self.base_delay(attempt).as_millis() as f64;
        let ratio = self.jitter_ratio.clamp(0.0, 1.0);
        let spread = 1.0 - ratio + 2.0 * ratio * unit_random.clamp(0.0, 1.0);
        let millis = (base * spread).min(self.max.as_millis() as f64);
        Duration::from_millis(millis.max(0.0) as u64)
    }
}

/// A small deterministic generator (SplitMix64) for jitter: seeded by the driver from the OS
/// and by tests with a constant, so the machine itself stays reproducible.
#[derive(Debug, Clone)]
pub struct JitterSource {
    state: u64,
}

impl JitterSource {
    pub fn new(seed: u64) -> Self {
        JitterSource { state: seed }
    }

    /// The next value in `[0, 1)`.
    pub fn next_unit(&mut self) -> f64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        // 53 high bits give every representable double in [0, 1) with equal spacing.
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_jitter() -> Backoff {
        Backoff {
            initial: Duration::from_millis(500),
            max: Duration::from_secs(8),
            multiplier: 2.0,
            jitter_ratio: 0.0,
        }
    }

    #[test]
    fn delays_double_until_the_cap() {
        let b = no_jitter();
        let delays: Vec<u64> = (1..=7)
            .map(|n| b.delay(n, 0.7).as_millis() as u64)
            .collect();
        assert_eq!(delays, vec![500, 1000, 2000, 4000, 8000, 8000, 8000]);
    }

    #[test]
    fn jitter_stays_within_the_ratio_and_under_the_cap() {
        let b = Backoff {
            jitter_ratio: 0.25,
            ..no_jitter()
        };
        assert_eq!(b.delay(2, 0.0), Duration::from_millis(750));
        assert_eq!(b.delay(2, 0.5), Duration::from_millis(1000));
        assert!(b.delay(2, 0.999) < Duration::from_millis(1250));
        assert_eq!(b.delay(10, 0.999), Duration::from_secs(8));
    }

    #[test]
    fn jitter_source_is_reproducible_and_in_range() {
        let mut a = JitterSource::new(42);
        let mut b = JitterSource::new(42);
        let mut c = JitterSource::new(43);
        let xs: Vec<f64> = (0..100).map(|_| a.next_unit()).collect();
        let ys: Vec<f64> = (0..100).map(|_| b.next_unit()).collect();
        let zs: Vec<f64> = (0..100).map(|_| c.next_unit()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
        assert!(xs.iter().all(|x| (0.0..1.0).contains(x)));
    }
}
