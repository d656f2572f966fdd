//! Messages for the agent, newest last, capped so a flapping error cannot bury the window.
use std::collections::VecDeque;

use super::view::{AlertLevel, AlertView};

/// At most this many alerts are kept; the oldest goes first.
pub const MAX_ALERTS: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Alerts {
    next_id: u64,
    items: VecDeque<AlertView>,
}

impl Default for Alerts {
    fn default() -> Self {
        Alerts {
            next_id: 1,
            items: VecDeque::new(),
        }
    }
}

impl Alerts {
    /// Adds an alert and returns its id. The same code and message again moves the existing
    /// alert to the end with the new time instead of repeating it.
    pub(super) fn push(
        &mut self,
        level: AlertLevel,
        code: String,
        message: String,
        at: i64,
    ) -> u64 {
        if let Some(pos) = self
            .items
            .iter()
            .position(|a| a.code == code && a.message == message)
        {
            if let Some(mut again) = self.items.remove(pos) {
                again.level = level;
                again.at = at;
                let id = again.id;
                self.items.push_back(again);
                return id;
            }
        }
        let id = self.next_id;
        self.next_id += 1;
        self.items.push_back(AlertView {
            id,
            level,
            code,
            message,
            at,
        });
        while self.items.len() > MAX_ALERTS {
            self.items.pop_front();
        }
        id
    }

    /// Removes the alert; `false` if there was none with this id.
    pub(super) fn dismiss(&mut self, id: u64) -> bool {
        let before = self.items.len();
        self.items.retain(|a| a.id != id);
        self.items.len() != before
    }

    pub(super) fn to_view(&self) -> Vec<AlertView> {
        self.items.iter().cloned().collect()
    }
}
