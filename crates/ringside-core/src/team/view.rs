//! What the Team tab receives and sends. These types cross into TypeScript with `ts-rs`
//! (`ui/src/lib/generated/`), like the desk's.
//!
//! Times are Unix milliseconds on this machine's clock (server stamps already corrected for
//! the client/server drift), so the UI only subtracts `now` to draw live timers.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::desk::{AgentStateKind, CallDirection, UiError};

/// One agent of the chosen team, as a row of the Team view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TeamRow {
    /// The agent's login id (the row's key).
    pub id: String,
    pub name: String,
    pub extension: Option<String>,
    pub state: AgentStateKind,
    /// The count/filter bucket of `state`.
    pub group: TeamStateGroup,
    /// Why the agent is Not Ready or signed out, in words.
    pub reason: Option<String>,
    /// When the agent entered the current state (Unix ms); `null` when Finesse did not say.
    #[ts(type = "number | null")]
    pub state_since: Option<i64>,
    /// What the agent becomes when the current call ends.
    pub pending_state: Option<AgentStateKind>,
    /// The agent's current call, while Talking or on Hold.
    pub call: Option<TeamCallView>,
    /// What the supervisor may do to this agent now (Finesse's supervisor rules).
    pub actions: Vec<TeamAction>,
    /// An action in flight on this agent (spinner until its event arrives).
    pub busy: Option<TeamAction>,
    /// Why the last action on this agent failed, until dismissed or another action starts.
    pub error: Option<UiError>,
    /// The supervisor is silently monitoring (or has barged into) this agent's call.
    pub monitored: bool,
}

/// An agent's current call as far as the supervisor can know it.
///
/// Finesse's team notifications carry no call details: `started` is when the agent entered
/// Talking (Hold does not restart it) unless better information was fed in; direction and
/// caller are known only for a call the supervisor monitors (from the monitor dialog) or when
/// the host feeds them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TeamCallView {
    pub direction: Option<CallDirection>,
    /// The other party's number; `null` when unknown.
    pub caller: Option<String>,
    /// When the call started (Unix ms).
    #[ts(type = "number | null")]
    pub started: Option<i64>,
    pub on_hold: bool,
}

/// The buckets the Team view counts and filters by (UI.md colours).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum TeamStateGroup {
    Ready,
    NotReady,
    /// Talking or on hold.
    Talking,
    Reserved,
    /// WORK or WORK_READY.
    WrapUp,
    LoggedOut,
    /// A state this client does not know (or none reported).
    Unknown,
}

impl TeamStateGroup {
    /// Every group, in the order the counts are shown.
    pub const ALL: [TeamStateGroup; 7] = [
        TeamStateGroup::Ready,
        TeamStateGroup::NotReady,
        TeamStateGroup::Talking,
        TeamStateGroup::Reserved,
        TeamStateGroup::WrapUp,
        TeamStateGroup::LoggedOut,
        TeamStateGroup::Unknown,
    ];

    pub(super) fn index(self) -> usize {
        self as usize
    }
}

impl From<AgentStateKind> for TeamStateGroup {
    fn from(state: AgentStateKind) -> Self {
        match state {
            AgentStateKind::Ready => TeamStateGroup::Ready,
            AgentStateKind::NotReady => TeamStateGroup::NotReady,
            AgentStateKind::Talking | AgentStateKind::Hold => TeamStateGroup::Talking,
            AgentStateKind::Reserved => TeamStateGroup::Reserved,
            AgentStateKind::Work | AgentStateKind::WorkReady => TeamStateGroup::WrapUp,
            AgentStateKind::LoggedOut => TeamStateGroup::LoggedOut,
            AgentStateKind::Unknown => TeamStateGroup::Unknown,
        }
    }
}

/// Agents per state group in the chosen team (all members, whatever the filters).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TeamCounts {
    pub ready: u32,
    pub not_ready: u32,
    /// Talking or on hold.
    pub talking: u32,
    pub reserved: u32,
    pub wrap_up: u32,
    pub logged_out: u32,
    pub unknown: u32,
    /// Every member of the team.
    pub total: u32,
    /// Rows that pass the filters (what the list shows).
    pub shown: u32,
}

impl TeamCounts {
    /// The count of one group.
    pub fn of(&self, group: TeamStateGroup) -> u32 {
        match group {
            TeamStateGroup::Ready => self.ready,
            TeamStateGroup::NotReady => self.not_ready,
            TeamStateGroup::Talking => self.talking,
            TeamStateGroup::Reserved => self.reserved,
            TeamStateGroup::WrapUp => self.wrap_up,
            TeamStateGroup::LoggedOut => self.logged_out,
            TeamStateGroup::Unknown => self.unknown,
        }
    }
}

/// What a supervisor can do to an agent from the Team view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum TeamAction {
    /// Set the agent READY.
    MakeReady,
    /// Set the agent NOT_READY (Finesse applies its own supervisor reason).
    MakeNotReady,
    /// Set the agent LOGOUT.
    SignOut,
    /// Listen to the agent's call.
    SilentMonitor,
    /// Join the monitored call (it becomes a conference).
    BargeIn,
    /// Remove the agent from the conference the supervisor barged into.
    DropParticipant,
    /// Hang up the monitor (or barge) call.
    EndMonitoring,
}

/// The sortable columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum TeamSortColumn {
    #[default]
    Name,
    /// Login id.
    Id,
    Extension,
    /// Ready, Reserved, Talking, Hold, Wrap-up, Not Ready, Signed out, Unknown.
    State,
    Reason,
    /// Ascending: least time in the state first.
    TimeInState,
    PendingState,
    /// Ascending: shortest call first; agents without a call last.
    Call,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SortDirection {
    #[default]
    Ascending,
    Descending,
}

/// A column and a direction. Ties are always broken by name, then login id (ascending), and
/// empty values sort last in either direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TeamSort {
    pub column: TeamSortColumn,
    pub direction: SortDirection,
}

/// The supervisor's choices for the list: sort, filters, logged-out toggle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TeamViewOptions {
    pub sort: TeamSort,
    /// Only these groups; empty shows every group.
    pub states: Vec<TeamStateGroup>,
    /// Case-insensitive text matched against name, login id and extension.
    pub text: String,
    /// Signed-out agents are hidden unless this is set.
    pub include_logged_out: bool,
}

/// A team the supervisor may pick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TeamChoice {
    pub id: String,
    pub name: String,
}

/// The switcher and status line above the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TeamHeader {
    /// The teams this user supervises.
    pub teams: Vec<TeamChoice>,
    /// The team shown.
    pub chosen: Option<String>,
    /// The chosen team's members have not arrived yet.
    pub loading: bool,
}

/// The change to the Team view since the previous diff (or, with `reset`, the whole view).
///
/// Apply in `seq` order: with `reset`, drop every row first; otherwise upsert `rows`, delete
/// `removed`, and when `order` is present it is the complete list of shown ids, top to
/// bottom. A diff whose `seq` is not one more than the last applied means one was missed:
/// ask for the whole view again (`get_team`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TeamDiff {
    #[ts(type = "number")]
    pub seq: u64,
    pub reset: bool,
    /// Present when the team list, the chosen team or loading changed (and on reset).
    pub header: Option<TeamHeader>,
    /// Present when the sort or filters changed (and on reset).
    pub view: Option<TeamViewOptions>,
    /// Rows that are new to the list or changed: one per agent, however many events.
    pub rows: Vec<TeamRow>,
    /// Ids no longer shown (left the team or filtered out).
    pub removed: Vec<String>,
    /// The shown ids in display order, when it changed.
    pub order: Option<Vec<String>>,
    pub counts: TeamCounts,
}

/// An action the supervisor picked in a row's menu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TeamActionRequest {
    /// The agent's login id.
    pub agent_id: String,
    pub action: TeamAction,
}
