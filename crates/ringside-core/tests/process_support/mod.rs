//! Shared by the tests that start real system daemons (a D-Bus session with gnome-keyring,
//! PulseAudio): a guard that kills and reaps a child process, and a clear failure when a
//! program the test needs is not installed.
#![allow(dead_code)]
use std::process::Child;

/// Kills and reaps a child process on drop, so a failing test leaves no daemon behind.
pub struct Daemon {
    name: &'static str,
    child: Child,
}

impl Daemon {
    pub fn new(name: &'static str, child: Child) -> Daemon {
        Daemon { name, child }
    }

    /// Stops it now, and fails the test when it cannot be reaped.
    pub fn stop(mut self) {
        let _ = self.child.kill();
        let status = self.child.wait();
        assert!(status.is_ok(), "{} could not be reaped", self.name);
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Fails with the Debian package to install when `program` is not on PATH.
pub fn require(program: &str, package: &str) {
    let found = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
        .unwrap_or(false);
    assert!(
        found,
        "`{program}` is not installed: this test needs the Debian package `{package}` \
         (apt-get install {package})"
    );
}
