//! The server clock as seen from this machine.
//!
//! Finesse stamps state and call changes with its own clock. A desktop whose clock runs a
//! minute fast would show every timer a minute long; the offset measured from SystemInfo's
//! `currentTimestamp` turns server stamps into local ones so `now - since` is right.
use chrono::{DateTime, Utc};

/// `server time − local time`, in milliseconds (0 until measured).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct ServerClock {
    offset_ms: i64,
}

impl ServerClock {
    /// Records that the server said `server_ms` when this machine's clock read `local_ms`.
    pub(super) fn measure(&mut self, server_ms: i64, local_ms: i64) {
        self.offset_ms = server_ms.saturating_sub(local_ms);
    }

    /// A server timestamp on this machine's clock (Unix ms).
    pub(super) fn to_local(self, server: DateTime<Utc>) -> i64 {
        server.timestamp_millis().saturating_sub(self.offset_ms)
    }
}
