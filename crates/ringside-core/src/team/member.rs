//! One agent of the chosen team: Finesse's last word about them plus what the board derives
//! once per update (state bucket, reason label, local times, sort and search keys), so that
//! sorting, filtering and row building never re-parse or re-lowercase anything.
use std::collections::HashMap;

use finesse::model::{AgentState, DeploymentType, ReasonCode, TeamMember};

use crate::desk::{system_reason_label, AgentStateKind, CallDirection, UiError};

use super::pending::PendingAction;
use super::view::{TeamCallView, TeamStateGroup};

/// Call details the board cannot learn from team events, fed by the host (e.g. from a CRM
/// or a call-recording feed) or taken from the supervisor's monitor call.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MemberCall {
    pub direction: Option<CallDirection>,
    /// The other party's number.
    pub caller: Option<String>,
    /// When the call started (Unix ms, this machine's clock).
    pub started: Option<i64>,
}

/// What turns reason codes into words.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct ReasonBook {
    /// Label by Finesse reason code id, from the supervisor's lookups.
    pub labels: HashMap<String, String>,
    pub deployment: Option<DeploymentType>,
}

impl ReasonBook {
    /// The label of the member's reason: the embedded label, a known system code, or the
    /// configured code with that id — whichever says something first.
    fn label_for(&self, member: &TeamMember) -> Option<String> {
        if !matches!(member.state, AgentState::NotReady | AgentState::Logout) {
            return None;
        }
        let embedded = member.reason_code.as_ref();
        embedded
            .map(|rc| rc.label.trim())
            .filter(|label| !label.is_empty())
            .map(str::to_owned)
            .or_else(|| {
                embedded
                    .and_then(|rc| rc.code)
                    .and_then(|code| system_reason_label(code, self.deployment.as_ref()))
                    .map(str::to_owned)
            })
            .or_else(|| {
                let id = member
                    .reason_code_id
                    .as_deref()
                    .or(embedded.map(|rc| rc.id.as_str()))?;
                self.labels.get(id).cloned()
            })
    }

    pub(super) fn from_codes(codes: &[ReasonCode], deployment: Option<DeploymentType>) -> Self {
        ReasonBook {
            labels: codes
                .iter()
                .filter(|rc| !rc.id.is_empty() && !rc.label.trim().is_empty())
                .map(|rc| (rc.id.clone(), rc.label.trim().to_owned()))
                .collect(),
            deployment,
        }
    }
}

/// A member with its derived fields.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct MemberEntry {
    pub member: TeamMember,
    pub kind: AgentStateKind,
    pub group: TeamStateGroup,
    pub name: String,
    /// Lower-case name, the name column's key and the first tie-break.
    pub sort_name: String,
    /// Lower-case name, login id and extension, one per line, for the text filter.
    pub haystack: String,
    pub reason: Option<String>,
    pub sort_reason: Option<String>,
    /// When the current state began (Unix ms, this machine's clock).
    pub since: Option<i64>,
    /// When the agent entered Talking from outside a call (Hold keeps it).
    pub call_started: Option<i64>,
    /// Call details fed by the host.
    pub fed_call: Option<MemberCall>,
    /// Call details from the supervisor's monitor call on this agent.
    pub monitor_call: Option<MemberCall>,
    pub pending: Option<PendingAction>,
    pub error: Option<UiError>,
    /// The held word came from a team notification. A team GET may be older than that:
    /// the GET that follows the subscription races the notifications, and its copy can
    /// reach the board after them (see [`MemberEntry::outdated_by_get`]).
    pub from_notification: bool,
}

/// A server timestamp on this machine's clock: `server − offset`.
pub(super) fn to_local(member: &TeamMember, offset_ms: i64) -> Option<i64> {
    member
        .state_changed_at()
        .map(|at| at.timestamp_millis().saturating_sub(offset_ms))
}

fn in_call(kind: AgentStateKind) -> bool {
    matches!(kind, AgentStateKind::Talking | AgentStateKind::Hold)
}

impl MemberEntry {
    /// A member seen for the first time.
    pub(super) fn new(member: TeamMember, offset_ms: i64, book: &ReasonBook) -> Self {
        let kind = AgentStateKind::from(&member.state);
        let since = to_local(&member, offset_ms);
        let mut entry = MemberEntry {
            kind,
            group: TeamStateGroup::from(kind),
            name: String::new(),
            sort_name: String::new(),
            haystack: String::new(),
            reason: None,
            sort_reason: None,
            since,
            call_started: since.filter(|_| in_call(kind)),
            fed_call: None,
            monitor_call: None,
            pending: None,
            error: None,
            from_notification: false,
            member,
        };
        entry.derive_texts(book);
        entry
    }

    /// Whether a team GET's copy of the member should replace the held word. A word from a
    /// notification is kept unless the GET's state is strictly later: the notifications
    /// arrive in order once the team is followed, so a GET that is not later may have been
    /// read before the change the notification reported.
    pub(super) fn outdated_by_get(&self, from_get: &TeamMember) -> bool {
        if !self.from_notification {
            return true;
        }
        match (from_get.state_changed_at(), self.member.state_changed_at()) {
            (Some(get), Some(held)) => get > held,
            _ => false,
        }
    }

    /// Takes a newer word about the member; `false` if it said nothing new.
    ///
    /// An update without `stateChangeTime` that changes the state starts the timer at `now`
    /// (the best anyone knows); one that keeps the state keeps the timer.
    pub(super) fn update(
        &mut self,
        member: TeamMember,
        now_ms: i64,
        offset_ms: i64,
        book: &ReasonBook,
    ) -> bool {
        if member == self.member {
            return false;
        }
        let kind = AgentStateKind::from(&member.state);
        let state_changed = member.state != self.member.state;
        let since = match to_local(&member, offset_ms) {
            Some(at) => Some(at),
            None if state_changed => Some(now_ms),
            None => self.since,
        };
        self.call_started = match (in_call(self.kind), in_call(kind)) {
            (true, true) => self.call_started.or(since),
            (false, true) => since,
            (_, false) => None,
        };
        if !in_call(kind) {
            self.fed_call = None;
        }
        let texts_changed = member.first_name != self.member.first_name
            || member.last_name != self.member.last_name
            || member.extension != self.member.extension;
        self.kind = kind;
        self.group = TeamStateGroup::from(kind);
        self.since = since;
        self.member = member;
        if texts_changed {
            self.derive_texts(book);
        } else {
            self.derive_reason(book);
        }
        true
    }

    /// Recomputes the reason label; `true` if it changed.
    pub(super) fn derive_reason(&mut self, book: &ReasonBook) -> bool {
        let reason = book.label_for(&self.member);
        if reason == self.reason {
            return false;
        }
        self.sort_reason = reason.as_ref().map(|r| r.to_lowercase());
        self.reason = reason;
        true
    }

    /// Recomputes the times from `stateChangeTime` after the clock offset changed.
    pub(super) fn rebase(&mut self, offset_ms: i64) -> bool {
        let Some(since) = to_local(&self.member, offset_ms) else {
            return false;
        };
        let shift = self.since.map(|old| since - old);
        self.since = Some(since);
        if let (Some(started), Some(shift)) = (self.call_started.as_mut(), shift) {
            *started += shift;
        }
        shift != Some(0)
    }

    fn derive_texts(&mut self, book: &ReasonBook) {
        self.name = self.member.full_name();
        self.sort_name = self.name.to_lowercase();
        let extension = self.member.extension.as_deref().unwrap_or("");
        self.haystack = format!(
            "{}\n{}\n{}",
            self.sort_name,
            self.member.login_id.to_lowercase(),
            extension.to_lowercase()
        );
        self.derive_reason(book);
    }

    /// The call to show: fed details first, then the monitor call's, then what the state
    /// says (`None` outside Talking and Hold).
    pub(super) fn call_view(&self) -> Option<TeamCallView> {
        if !in_call(self.kind) {
            return None;
        }
        let fed = self.fed_call.as_ref();
        let monitor = self.monitor_call.as_ref();
        let pick =
            |f: fn(&MemberCall) -> Option<String>| fed.and_then(f).or_else(|| monitor.and_then(f));
        Some(TeamCallView {
            direction: fed
                .and_then(|c| c.direction)
                .or_else(|| monitor.and_then(|c| c.direction)),
            caller: pick(|c| c.caller.clone()),
            started: self.call_start(),
            on_hold: self.kind == AgentStateKind::Hold,
        })
    }

    /// When the current call started, by the same preference as [`Self::call_view`].
    pub(super) fn call_start(&self) -> Option<i64> {
        if !in_call(self.kind) {
            return None;
        }
        self.fed_call
            .as_ref()
            .and_then(|c| c.started)
            .or_else(|| self.monitor_call.as_ref().and_then(|c| c.started))
            .or(self.call_started)
    }

    pub(super) fn extension(&self) -> Option<&str> {
        super::rules::member_extension(&self.member)
    }

    pub(super) fn pending_kind(&self) -> Option<AgentStateKind> {
        self.member
            .pending_state
            .as_ref()
            .filter(|s| !matches!(s, AgentState::Unknown) && !s.as_str().trim().is_empty())
            .map(AgentStateKind::from)
    }
}
