//! Noticing that the link may have died without a word: the host slept, or its network
//! changed.
//!
//! Sleep: tokio's clock is monotonic and stands still while the host is suspended, the wall
//! clock does not. Every tick the driver compares how far each moved; the wall clock running
//! ahead by more than [`WAKE_THRESHOLD`] means the host was asleep (or the clock was set
//! forward, which costs one harmless link check).
//!
//! Network changes: on Linux the driver polls `/proc/net/route` and `/proc/net/if_inet6` —
//! the IPv4 routes (an address, a VPN or a Wi-Fi change shows there) and the IPv6 addresses.
//! Two small procfs reads per tick cost microseconds and need no netlink socket, no extra
//! dependency and no privileges; a change is seen within one tick. Elsewhere there is no
//! watcher: the application can call [`Session::check_link`](super::Session::check_link)
//! from the OS's own notifications, and pings still find a dead link.
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::time::Instant;

/// How far the wall clock must run ahead of the monotonic clock to count as a wake-up.
pub const WAKE_THRESHOLD: Duration = Duration::from_secs(5);

/// The host's wall clock, shared by clones. [`WallClock::jump_forward`] moves it on by
/// hand: what the session sees when the host wakes from sleep, for tests and demos.
#[derive(Debug, Clone, Default)]
pub struct WallClock {
    offset_ms: Arc<AtomicU64>,
}

impl WallClock {
    /// The system clock.
    pub fn system() -> Self {
        WallClock::default()
    }

    pub fn now(&self) -> SystemTime {
        SystemTime::now() + Duration::from_millis(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Moves this clock (and every clone) forward by `by`.
    pub fn jump_forward(&self, by: Duration) {
        let by = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        self.offset_ms.fetch_add(by, Ordering::Relaxed);
    }
}

/// Compares the wall clock with the monotonic clock between ticks.
#[derive(Debug)]
pub(super) struct WakeDetector {
    clock: WallClock,
    last_wall: SystemTime,
    last_mono: Instant,
}

impl WakeDetector {
    pub fn new(clock: WallClock) -> Self {
        WakeDetector {
            last_wall: clock.now(),
            last_mono: Instant::now(),
            clock,
        }
    }

    /// How long the host slept since the last call, if it did.
    pub fn slept(&mut self) -> Option<Duration> {
        let wall = self.clock.now();
        let mono = Instant::now();
        let wall_moved = wall.duration_since(self.last_wall).unwrap_or_default();
        let mono_moved = mono.duration_since(self.last_mono);
        self.last_wall = wall;
        self.last_mono = mono;
        let ahead = wall_moved.saturating_sub(mono_moved);
        (ahead > WAKE_THRESHOLD).then_some(ahead)
    }
}

/// Watches files that change when the host's network does.
#[derive(Debug)]
pub(super) struct NetworkWatcher {
    files: Vec<PathBuf>,
    last: Option<u64>,
}

impl NetworkWatcher {
    /// The procfs files on Linux; `None` where there are none to watch.
    pub fn for_host() -> Option<Self> {
        let files: Vec<PathBuf> = ["/proc/net/route", "/proc/net/if_inet6"]
            .iter()
            .map(PathBuf::from)
            .filter(|p| p.exists())
            .collect();
        (!files.is_empty()).then(|| NetworkWatcher::watching(files))
    }

    pub fn watching(files: Vec<PathBuf>) -> Self {
        let mut watcher = NetworkWatcher { files, last: None };
        watcher.last = Some(watcher.fingerprint());
        watcher
    }

    /// Whether anything changed since the last call.
    pub fn changed(&mut self) -> bool {
        let now = self.fingerprint();
        let changed = self.last.is_some_and(|last| last != now);
        self.last = Some(now);
        changed
    }

    fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for file in &self.files {
            // A file that cannot be read counts as empty: its vanishing is a change too.
            std::fs::read(file).unwrap_or_default().hash(&mut hasher);
        }
        hasher.finish()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn a_wall_clock_jump_reads_as_sleep_and_only_once() {
        let clock = WallClock::system();
        let mut detector = WakeDetector::new(clock.clone());
        assert_eq!(detector.slept(), None);
        clock.jump_forward(Duration::from_secs(600));
        let slept = detector.slept().expect("a wake-up");
        assert!(slept >= Duration::from_secs(595), "{slept:?}");
        assert_eq!(detector.slept(), None, "reported once");
    }

    #[test]
    fn a_small_clock_step_is_not_sleep() {
        let clock = WallClock::system();
        let mut detector = WakeDetector::new(clock.clone());
        clock.jump_forward(Duration::from_secs(2));
        assert_eq!(detector.slept(), None);
    }

    #[test]
    fn a_changed_route_table_is_noticed_once() {
        let dir = std::env::temp_dir().join(format!("ringside-net-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let route = dir.join("route");
        std::fs::write(&route, "eth0\t00000000\t0102A8C0\n").unwrap();
        let mut watcher = NetworkWatcher::watching(vec![route.clone()]);
        assert!(!watcher.changed());
        std::fs::write(&route, "wlan0\t00000000\t0100000A\n").unwrap();
        assert!(watcher.changed());
        assert!(!watcher.changed());
        std::fs::remove_file(&route).unwrap();
        assert!(watcher.changed(), "a vanished file is a change");
        std::fs::remove_dir_all(&dir).ok();
    }
}
