//! Waiting for a condition with a generous deadline as a safety net. The conditions are
//! re-checked as things happen (a DOM query, a bus message, an emulator state); nothing
//! here assumes how long anything takes.
use std::time::{Duration, Instant};

/// How often a polled condition is looked at again.
const RECHECK: Duration = Duration::from_millis(100);

/// Re-check `condition` until it holds (`true`) or `within` has passed (`false`).
pub fn wait_until(within: Duration, mut condition: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + within;
    loop {
        if condition() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(RECHECK);
    }
}

/// [`wait_until`] for async checks.
pub async fn wait_until_async<F, Fut>(within: Duration, mut condition: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + within;
    loop {
        if condition().await {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(RECHECK).await;
    }
}

/// A deadline for hand-written re-check loops that keep state between looks.
pub struct Deadline(Instant);

impl Deadline {
    /// `within` from now.
    pub fn after(within: Duration) -> Deadline {
        Deadline(Instant::now() + within)
    }

    /// Pause before the next look; `false` once the deadline has passed.
    pub async fn next_look(&self) -> bool {
        if Instant::now() >= self.0 {
            return false;
        }
        tokio::time::sleep(RECHECK).await;
        true
    }
}
