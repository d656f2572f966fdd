//! Row order: one comparator per column over the keys [`MemberEntry`] precomputes.
//!
//! Ties are broken by name, then login id, always ascending, so rows never swap places when
//! only the direction flips; empty values (no extension, no reason, no call) sort last in
//! either direction.
use std::cmp::Ordering;

use crate::desk::AgentStateKind;

use super::member::MemberEntry;
use super::view::{SortDirection, TeamSort, TeamSortColumn};

/// Compares two rows for `sort`.
pub(super) fn compare(a: &MemberEntry, b: &MemberEntry, sort: TeamSort) -> Ordering {
    let primary = match sort.column {
        TeamSortColumn::Name => Some(a.sort_name.cmp(&b.sort_name)),
        TeamSortColumn::Id => Some(natural(&a.member.login_id, &b.member.login_id)),
        TeamSortColumn::Extension => optional(a.extension(), b.extension(), natural),
        TeamSortColumn::State => Some(state_rank(a.kind).cmp(&state_rank(b.kind))),
        TeamSortColumn::Reason => optional(
            a.sort_reason.as_deref(),
            b.sort_reason.as_deref(),
            |x: &str, y: &str| x.cmp(y),
        ),
        // Less time in the state means a later start.
        TeamSortColumn::TimeInState => optional(a.since, b.since, |x: i64, y: i64| y.cmp(&x)),
        TeamSortColumn::PendingState => optional(
            a.pending_kind().map(state_rank),
            b.pending_kind().map(state_rank),
            |x: u8, y: u8| x.cmp(&y),
        ),
        TeamSortColumn::Call => {
            optional(a.call_start(), b.call_start(), |x: i64, y: i64| y.cmp(&x))
        }
    };
    let primary = match primary {
        Some(order) if sort.direction == SortDirection::Descending => order.reverse(),
        Some(order) => order,
        // Exactly one side is empty: the empty one goes last whatever the direction.
        None => empty_last(a, b, sort.column),
    };
    primary
        .then_with(|| a.sort_name.cmp(&b.sort_name))
        .then_with(|| a.member.login_id.cmp(&b.member.login_id))
}

/// `Some(order)` when both sides have a value or neither has; `None` when only one has.
fn optional<T>(a: Option<T>, b: Option<T>, cmp: impl Fn(T, T) -> Ordering) -> Option<Ordering> {
    match (a, b) {
        (Some(a), Some(b)) => Some(cmp(a, b)),
        (None, None) => Some(Ordering::Equal),
        _ => None,
    }
}

fn empty_last(a: &MemberEntry, b: &MemberEntry, column: TeamSortColumn) -> Ordering {
    let has = |e: &MemberEntry| match column {
        TeamSortColumn::Extension => e.extension().is_some(),
        TeamSortColumn::Reason => e.sort_reason.is_some(),
        TeamSortColumn::TimeInState => e.since.is_some(),
        TeamSortColumn::PendingState => e.pending_kind().is_some(),
        TeamSortColumn::Call => e.call_start().is_some(),
        TeamSortColumn::Name | TeamSortColumn::Id | TeamSortColumn::State => true,
    };
    has(b).cmp(&has(a))
}

/// The order of the State column: available first, then busy, then away.
fn state_rank(kind: AgentStateKind) -> u8 {
    match kind {
        AgentStateKind::Ready => 0,
        AgentStateKind::Reserved => 1,
        AgentStateKind::Talking => 2,
        AgentStateKind::Hold => 3,
        AgentStateKind::Work => 4,
        AgentStateKind::WorkReady => 5,
        AgentStateKind::NotReady => 6,
        AgentStateKind::LoggedOut => 7,
        AgentStateKind::Unknown => 8,
    }
}

/// Digit strings by numeric value (`999` before `1000`), anything else case-insensitively.
fn natural(a: &str, b: &str) -> Ordering {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    if digits(a) && digits(b) {
        let (a, b) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
        a.len().cmp(&b.len()).then_with(|| a.cmp(b))
    } else {
        a.bytes()
            .map(|c| c.to_ascii_lowercase())
            .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
    }
}
