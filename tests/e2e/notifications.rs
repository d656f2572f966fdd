//! Native notifications as the desktop received them: `dbus-monitor` watches
//! `org.freedesktop.Notifications.Notify` calls on the test's session bus (dunst answers
//! them), and each call's text is kept so a test can wait for the one it expects.
use std::io::{BufRead, BufReader};
use std::process::Child;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

#[derive(Default)]
struct Seen {
    /// One entry per `Notify` call: its argument lines joined.
    notifications: Vec<String>,
}

/// The notifications sent so far on the bus.
#[derive(Default)]
pub struct NotificationWatch {
    seen: Arc<(Mutex<Seen>, Condvar)>,
    monitor: Option<Child>,
}

impl NotificationWatch {
    /// Read `dbus-monitor`'s output (started with a `Notify` match rule) on a thread.
    pub fn start(mut monitor: Child) -> NotificationWatch {
        let seen: Arc<(Mutex<Seen>, Condvar)> = Arc::default();
        let stdout = monitor.stdout.take().unwrap();
        let shared = seen.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let (lock, changed) = &*shared;
                let mut seen = lock.lock().unwrap();
                if line.starts_with("method call") && line.contains("member=Notify") {
                    seen.notifications.push(String::new());
                } else if let Some(current) = seen.notifications.last_mut() {
                    current.push_str(line.trim());
                    current.push('\n');
                }
                changed.notify_all();
            }
        });
        NotificationWatch {
            seen,
            monitor: Some(monitor),
        }
    }

    /// Every notification so far.
    pub fn all(&self) -> Vec<String> {
        self.seen.0.lock().unwrap().notifications.clone()
    }

    /// Wait until a notification containing `text` has been sent; returns it.
    pub fn wait_for(&self, text: &str, within: Duration) -> Option<String> {
        let deadline = Instant::now() + within;
        let (lock, changed) = &*self.seen;
        let mut seen = lock.lock().unwrap();
        loop {
            if let Some(found) = seen.notifications.iter().find(|n| n.contains(text)) {
                return Some(found.clone());
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            seen = changed.wait_timeout(seen, left).unwrap().0;
        }
    }

    /// Stop watching.
    pub fn stop(&mut self) {
        if let Some(mut monitor) = self.monitor.take() {
            let _ = monitor.kill();
            let _ = monitor.wait();
        }
    }
}
