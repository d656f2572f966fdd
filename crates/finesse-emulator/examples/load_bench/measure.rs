//! What the benchmark measures with: a shared time base, the measurement window, latency
//! percentiles, and CPU / memory read from `/proc` (Linux; elsewhere those figures are
//! reported as unavailable).
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Linux reports `utime`/`stime` in USER_HZ ticks, which is 100 on every Linux ABI.
const USER_HZ: u64 = 100;

/// Microseconds since the benchmark started: the one clock every cause and receipt is
/// stamped with. Clients and the call driver live in the same process, so one `Instant`
/// base is enough.
#[derive(Debug, Clone, Copy)]
pub struct TimeBase(Instant);

impl TimeBase {
    pub fn new() -> Self {
        TimeBase(Instant::now())
    }

    pub fn micros(&self, at: Instant) -> u64 {
        u64::try_from(at.saturating_duration_since(self.0).as_micros()).unwrap_or(u64::MAX)
    }

    pub fn now_micros(&self) -> u64 {
        self.micros(Instant::now())
    }
}

/// The measured run: events received and causes issued inside it count.
#[derive(Debug)]
pub struct Window {
    start_us: AtomicU64,
    end_us: AtomicU64,
}

impl Window {
    /// Not started: nothing is inside.
    pub fn new() -> Self {
        Window {
            start_us: AtomicU64::new(u64::MAX),
            end_us: AtomicU64::new(u64::MAX),
        }
    }

    pub fn open(&self, at_us: u64) {
        self.start_us.store(at_us, Ordering::SeqCst);
    }

    pub fn close(&self, at_us: u64) {
        self.end_us.store(at_us, Ordering::SeqCst);
    }

    pub fn contains(&self, at_us: u64) -> bool {
        at_us >= self.start_us.load(Ordering::SeqCst) && at_us < self.end_us.load(Ordering::SeqCst)
    }
}

/// The `requestId` / call variable a cause is tagged with: `lb-<issued µs>-<what>`, so the
/// receiver computes the latency without asking anyone.
pub fn cause_tag(issued_us: u64, what: &str) -> String {
    format!("lb-{issued_us}-{what}")
}

/// When the cause behind a tag was issued.
pub fn cause_issued(tag: &str) -> Option<u64> {
    tag.strip_prefix("lb-")?.split('-').next()?.parse().ok()
}

/// Latency samples in microseconds.
#[derive(Debug, Default, Clone)]
pub struct Latencies(Vec<u32>);

impl Latencies {
    pub fn record(&mut self, micros: u64) {
        self.0.push(u32::try_from(micros).unwrap_or(u32::MAX));
    }

    pub fn extend(&mut self, other: Latencies) {
        self.0.extend(other.0);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// p50, p99 and the maximum, in milliseconds; `None` without samples.
    pub fn summary(&mut self) -> Option<(f64, f64, f64)> {
        if self.0.is_empty() {
            return None;
        }
        self.0.sort_unstable();
        let at = |q: f64| {
            let rank = ((self.0.len() - 1) as f64 * q).round() as usize;
            f64::from(self.0[rank.min(self.0.len() - 1)]) / 1000.0
        };
        Some((at(0.50), at(0.99), at(1.0)))
    }
}

/// CPU and memory of one process at one moment.
#[derive(Debug, Clone, Copy)]
pub struct ProcessSample {
    pub at: Instant,
    pub cpu: Duration,
    pub rss_kib: u64,
    pub peak_rss_kib: u64,
}

/// Read `/proc/<pid>` (`None`: this process).
pub fn sample_process(pid: Option<u32>) -> Option<ProcessSample> {
    let dir = match pid {
        Some(pid) => format!("/proc/{pid}"),
        None => "/proc/self".to_owned(),
    };
    let stat = std::fs::read_to_string(format!("{dir}/stat")).ok()?;
    let status = std::fs::read_to_string(format!("{dir}/status")).ok()?;
    // The command name may contain spaces and parentheses: fields follow the last ')'.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |index: usize| fields.get(index).and_then(|f| f.parse::<u64>().ok());
    // Fields 14 (utime) and 15 (stime) of proc(5), counted from `state` (field 3).
    let cpu_ticks = ticks(11)? + ticks(12)?;
    let kib = |key: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(key))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
    };
    Some(ProcessSample {
        at: Instant::now(),
        cpu: Duration::from_millis(cpu_ticks * 1000 / USER_HZ),
        rss_kib: kib("VmRSS:")?,
        peak_rss_kib: kib("VmHWM:")?,
    })
}

/// CPU used between two samples, as a share of one core.
pub fn cpu_share(from: &ProcessSample, to: &ProcessSample) -> (Duration, f64) {
    let used = to.cpu.saturating_sub(from.cpu);
    let wall = to.at.saturating_duration_since(from.at).as_secs_f64();
    let share = if wall > 0.0 {
        used.as_secs_f64() / wall
    } else {
        0.0
    };
    (used, share)
}

pub fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cause_tags_carry_their_issue_time() {
        assert_eq!(cause_issued(&cause_tag(1234, "100001-7")), Some(1234));
        assert_eq!(cause_issued("c7d0f1a2-3b4c"), None);
        assert_eq!(cause_issued(""), None);
    }

    #[test]
    fn percentiles_come_from_the_sorted_samples() {
        let mut latencies = Latencies::default();
        for micros in (1..=100).rev() {
            latencies.record(micros * 1000);
        }
        let (p50, p99, max) = latencies.summary().unwrap_or_default();
        assert_eq!((p50, p99, max), (51.0, 99.0, 100.0));
    }
}
