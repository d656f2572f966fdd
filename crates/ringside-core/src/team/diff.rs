//! Coalescing: the board absorbs updates as they come and hands the UI one batched diff at a
//! bounded rate, holding only what changed since the previous diff — however many events an
//! agent had in between, their row appears once, with its latest data.
//!
//! The order is patched, not rebuilt: the last order keeps its rows minus those that stopped
//! passing the filters, the newly shown rows are appended, and the (adaptive, stable) sort
//! puts the few rows whose keys moved back in place — near-linear on an almost sorted list.
//! A change of sort or filters sorts everything once.
use std::cmp::Ordering;

use super::board::TeamBoard;
use super::member::MemberEntry;
use super::order::compare;
use super::rules::allowed_actions;
use super::view::{TeamDiff, TeamRow};

impl TeamBoard {
    /// The next diff, if the policy's interval has passed since the last one and anything
    /// changed. Call it on a timer of [`TeamPolicy::diff_interval_ms`](super::TeamPolicy).
    pub fn take_diff(&mut self, now_ms: i64) -> Option<TeamDiff> {
        if let Some(last) = self.baseline.last_emit {
            if now_ms.saturating_sub(last) < self.policy.diff_interval_ms {
                return None;
            }
        }
        self.build_diff(now_ms)
    }

    /// The next diff now, whatever the interval — for the supervisor's own changes (sort,
    /// filters, an action's spinner), which should show at once.
    pub fn flush(&mut self, now_ms: i64) -> Option<TeamDiff> {
        self.build_diff(now_ms)
    }

    /// The whole view as a reset diff (the UI's first load, or after it missed a diff).
    pub fn resync(&mut self, now_ms: i64) -> TeamDiff {
        self.baseline.reset = true;
        let diff = self.next_diff(now_ms);
        self.emit(diff, now_ms)
    }

    /// Every shown row in display order (reads only; the diff baseline is untouched).
    pub fn rows(&self) -> Vec<TeamRow> {
        self.sorted(self.visible_slots())
            .into_iter()
            .filter_map(|slot| self.row_at(slot))
            .collect()
    }

    /// The row of one agent (whether or not the filters show it).
    pub fn row(&self, login_id: &str) -> Option<TeamRow> {
        self.row_at(self.slot_of(login_id)?)
    }

    fn build_diff(&mut self, now_ms: i64) -> Option<TeamDiff> {
        let diff = self.next_diff(now_ms);
        let nothing = !diff.reset
            && diff.header.is_none()
            && diff.view.is_none()
            && diff.rows.is_empty()
            && diff.removed.is_empty()
            && diff.order.is_none()
            && diff.counts == self.baseline.counts;
        (!nothing).then(|| self.emit(diff, now_ms))
    }

    /// Numbers a diff and makes it the last one sent.
    fn emit(&mut self, mut diff: TeamDiff, now_ms: i64) -> TeamDiff {
        self.baseline.seq += 1;
        self.baseline.last_emit = Some(now_ms);
        self.baseline.counts = diff.counts;
        diff.seq = self.baseline.seq;
        diff
    }

    /// What changed since the baseline; moves the baseline to it (the UI is assumed to apply
    /// every diff it is handed).
    fn next_diff(&mut self, now_ms: i64) -> TeamDiff {
        self.expire_pending(now_ms);
        let reset = std::mem::take(&mut self.baseline.reset);
        let order = if reset || self.baseline.resort {
            self.sorted(self.visible_slots())
        } else if self.dirty.is_empty() && self.freed.is_empty() {
            self.baseline.order.clone()
        } else {
            self.patched_order()
        };

        let mut shown = vec![false; self.slots.len()];
        for &slot in &order {
            shown[slot] = true;
        }
        let was_shown = |slot: usize| self.baseline.sent.get(slot).copied().unwrap_or(false);
        let dirty = |slot: usize| self.dirty_flag.get(slot).copied().unwrap_or(false);
        let rows: Vec<TeamRow> = order
            .iter()
            .filter(|&&slot| reset || !was_shown(slot) || dirty(slot))
            .filter_map(|&slot| self.row_at(slot))
            .collect();
        let mut removed = Vec::new();
        if !reset {
            removed.append(&mut self.baseline.removed);
            removed.extend(
                self.baseline
                    .order
                    .iter()
                    .filter(|&&slot| !shown.get(slot).copied().unwrap_or(false))
                    .filter_map(|&slot| self.slots.get(slot)?.as_ref())
                    .map(|entry| entry.member.login_id.clone()),
            );
        }
        let order_ids = (reset || order != self.baseline.order).then(|| {
            order
                .iter()
                .filter_map(|&slot| self.slots.get(slot)?.as_ref())
                .map(|entry| entry.member.login_id.clone())
                .collect()
        });
        let diff = TeamDiff {
            seq: self.baseline.seq,
            reset,
            header: (reset || self.baseline.header_changed).then(|| self.header()),
            view: (reset || self.baseline.view_changed).then(|| self.view.clone()),
            rows,
            removed,
            order: order_ids,
            counts: self.counts.view(order.len()),
        };
        self.commit(order, shown);
        diff
    }

    /// The new baseline: what the UI holds after this diff.
    fn commit(&mut self, order: Vec<usize>, shown: Vec<bool>) {
        for slot in self.dirty.drain(..) {
            if let Some(flag) = self.dirty_flag.get_mut(slot) {
                *flag = false;
            }
        }
        self.free.append(&mut self.freed);
        self.baseline.order = order;
        self.baseline.sent = shown;
        self.baseline.removed.clear();
        self.baseline.resort = false;
        self.baseline.header_changed = false;
        self.baseline.view_changed = false;
    }

    /// The last order minus rows the filters now hide, plus rows newly shown, re-sorted.
    fn patched_order(&self) -> Vec<usize> {
        let shows = |slot: usize| {
            self.slots
                .get(slot)
                .and_then(Option::as_ref)
                .is_some_and(|entry| self.filter.matches(entry))
        };
        let mut order: Vec<usize> = self
            .baseline
            .order
            .iter()
            .copied()
            .filter(|&slot| {
                if self.dirty_flag.get(slot).copied().unwrap_or(false) {
                    shows(slot)
                } else {
                    self.slots.get(slot).is_some_and(Option::is_some)
                }
            })
            .collect();
        let was_shown = |slot: usize| self.baseline.sent.get(slot).copied().unwrap_or(false);
        order.extend(
            self.dirty
                .iter()
                .copied()
                .filter(|&slot| !was_shown(slot) && shows(slot)),
        );
        self.sorted(order)
    }

    fn visible_slots(&self) -> Vec<usize> {
        self.slots
            .iter()
            .enumerate()
            .filter(|(_, entry)| entry.as_ref().is_some_and(|e| self.filter.matches(e)))
            .map(|(slot, _)| slot)
            .collect()
    }

    fn sorted(&self, mut order: Vec<usize>) -> Vec<usize> {
        let sort = self.view.sort;
        let entry = |slot: usize| -> Option<&MemberEntry> { self.slots.get(slot)?.as_ref() };
        order.sort_by(|&a, &b| match (entry(a), entry(b)) {
            (Some(a), Some(b)) => compare(a, b, sort),
            _ => Ordering::Equal,
        });
        order
    }

    fn row_at(&self, slot: usize) -> Option<TeamRow> {
        let entry = self.slots.get(slot)?.as_ref()?;
        let extension = entry.extension();
        Some(TeamRow {
            id: entry.member.login_id.clone(),
            name: entry.name.clone(),
            extension: extension.map(str::to_owned),
            state: entry.kind,
            group: entry.group,
            reason: entry.reason.clone(),
            state_since: entry.since,
            pending_state: entry.pending_kind(),
            call: entry.call_view(),
            actions: allowed_actions(&entry.member, &self.supervisor),
            busy: entry.pending.map(|p| p.action),
            error: entry.error.clone(),
            monitored: extension.is_some() && extension == self.supervisor.monitored_extension(),
        })
    }
}
