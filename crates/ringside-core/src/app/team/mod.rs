//! The supervisor's Team view wired to the session: the [`TeamBoard`] the app keeps, the
//! channel its diffs leave by, and which team nodes the session follows.
//!
//! Feeding: a team pump (see `pump.rs`) starts once the session's User turns out to be a
//! supervisor — never for a plain agent — and hands the board every session event, the
//! supervisor's context on every snapshot or connection change, the User's teams, and the
//! SystemInfo clock; it asks for a diff every [`TeamPolicy::diff_interval_ms`]. Reason codes
//! come with the desk's look-ups. Commands (see `commands.rs`) change the board and send
//! their diff at once. Signing out clears the board.
//!
//! Lock order: the board's mutex is a leaf — nothing takes the app state's mutex while
//! holding it — and diffs are sent while holding it, so they leave in `seq` order.
mod commands;
mod follow;
mod pump;

use std::sync::{Arc, Mutex, MutexGuard};

use finesse::model::ReasonCode;
use tokio::sync::broadcast;

use crate::team::{TeamBoard, TeamDiff, TeamPolicy};

use super::state::Inner;

pub(crate) use commands::{choose_team, dismiss_error, get_team, set_view, team_action};
pub(crate) use follow::TeamFollow;
pub(crate) use pump::start_if_supervisor;

/// Diffs buffered per subscriber (a lagging one misses a `seq` and asks for the whole view).
const DIFF_CAPACITY: usize = 256;

/// The board and the channel its diffs go out on; lives as long as the app.
pub(crate) struct TeamHub {
    board: Mutex<TeamBoard>,
    updates: broadcast::Sender<TeamDiff>,
}

impl TeamHub {
    pub(crate) fn new() -> Self {
        TeamHub {
            board: Mutex::new(TeamBoard::new(TeamPolicy::default())),
            updates: broadcast::channel(DIFF_CAPACITY).0,
        }
    }

    pub(crate) fn subscribe(&self) -> broadcast::Receiver<TeamDiff> {
        self.updates.subscribe()
    }

    fn board(&self) -> MutexGuard<'_, TeamBoard> {
        self.board
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Change the board; its diff waits for the pump's next tick.
    pub(crate) fn change<R>(&self, change: impl FnOnce(&mut TeamBoard) -> R) -> R {
        change(&mut self.board())
    }

    /// Change the board, then send what changed at once (the supervisor's own requests).
    pub(crate) fn change_and_flush<R>(
        &self,
        now_ms: i64,
        change: impl FnOnce(&mut TeamBoard) -> R,
    ) -> R {
        let mut board = self.board();
        let result = change(&mut board);
        if let Some(diff) = board.flush(now_ms) {
            self.send(diff);
        }
        result
    }

    /// The pump's tick: a diff if the interval has passed and anything changed.
    pub(crate) fn tick(&self, now_ms: i64) {
        let mut board = self.board();
        if let Some(diff) = board.take_diff(now_ms) {
            self.send(diff);
        }
    }

    /// The whole view, for the caller only; later diffs follow on from it.
    pub(crate) fn resync(&self, now_ms: i64) -> TeamDiff {
        self.board().resync(now_ms)
    }

    pub(crate) fn policy(&self) -> TeamPolicy {
        self.board().policy()
    }

    /// Signed out: nothing to show; the empty view goes out at once.
    pub(crate) fn clear(&self, now_ms: i64) {
        self.change_and_flush(now_ms, TeamBoard::clear);
    }

    pub(crate) fn set_reason_codes(&self, codes: &[ReasonCode]) {
        self.change(|board| board.set_reason_codes(codes));
    }

    fn send(&self, diff: TeamDiff) {
        // No subscriber is fine: the UI asks for the whole view (`get_team`) when it opens.
        let _ = self.updates.send(diff);
    }
}

/// The live session and its followed teams, if `follow` still belongs to it (a task that
/// outlived its session must not touch the next one's board).
pub(crate) fn is_current(inner: &Inner, follow: &Arc<TeamFollow>) -> bool {
    inner
        .lock()
        .live
        .as_ref()
        .is_some_and(|live| Arc::ptr_eq(&live.team_follow, follow))
}
