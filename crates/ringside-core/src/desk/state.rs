//! [`Desk`]: what Finesse last said plus what the agent did locally, and the views of it.
//!
//! Pure: no I/O and no clock reads. The shell feeds it the session's snapshot and connection
//! state with the current time (Unix ms) and reads views back after each change.
use std::collections::{BTreeMap, BTreeSet};

use finesse::model::{
    AgentState, DeploymentType, MediaPropertiesLayout, ReasonCategory, ReasonCode, Snapshot,
    WrapUpReason,
};
use finesse::session::ConnectionState;

use super::agent::{agent_view, AgentInputs};
use super::alerts::Alerts;
use super::calls::{call_state, call_views, my_participant, offered_actions, CallInputs};
use super::clock::ServerClock;
use super::connection::connection_view;
use super::lookups::DeskLookups;
use super::requests::{Lookups, StateRequest, WrapUpRequest};
use super::view::{AgentStateKind, AlertLevel, CallAction, CallState, CallView, DeskView};
use super::wrap_up::{latest_call, wrap_up_view, LastCall, WrapUpChoice, WrapUpInputs};

/// The desk's state. Create one per app; feed it inputs; read views.
#[derive(Debug, Clone, PartialEq)]
pub struct Desk {
    pub(super) snapshot: Snapshot,
    pub(super) connection: ConnectionState,
    /// When the current connection status began.
    pub(super) connection_since: Option<i64>,
    pub(super) lookups: DeskLookups,
    pub(super) clock: ServerClock,
    /// The state change in flight.
    pub(super) state_request: Option<StateRequest>,
    /// The last state change asked for; names the reason of a pending state.
    pub(super) last_state_request: Option<StateRequest>,
    /// Call actions in flight by dialog id.
    pub(super) pending_actions: BTreeMap<String, CallAction>,
    pub(super) wrap_up_choice: WrapUpChoice,
    pub(super) last_call: Option<LastCall>,
    /// The agent state last seen and when this desk first saw it.
    pub(super) state_seen: Option<(AgentState, i64)>,
    pub(super) alerts: Alerts,
    pub(super) dismissed_pop_ups: BTreeSet<String>,
}

impl Default for Desk {
    fn default() -> Self {
        Desk {
            snapshot: Snapshot::default(),
            connection: ConnectionState::Disconnected,
            connection_since: None,
            lookups: DeskLookups::default(),
            clock: ServerClock::default(),
            state_request: None,
            last_state_request: None,
            pending_actions: BTreeMap::new(),
            wrap_up_choice: WrapUpChoice::default(),
            last_call: None,
            state_seen: None,
            alerts: Alerts::default(),
            dismissed_pop_ups: BTreeSet::new(),
        }
    }
}

impl Desk {
    /// A signed-out desk with no lookups and no alerts.
    pub fn new() -> Self {
        Self::default()
    }

    // ----- inputs -------------------------------------------------------------------------

    /// Takes Finesse's latest word. Requests and actions it shows done stop being in flight;
    /// local choices stay until the agent is idle again (so a reconnect keeps them).
    pub fn apply_snapshot(&mut self, snapshot: &Snapshot, now_ms: i64) {
        self.snapshot = snapshot.clone();
        let Some(user) = self.snapshot.user.as_ref() else {
            self.state_seen = None;
            self.forget_calls();
            return;
        };
        if self.state_seen.as_ref().map(|(state, _)| state) != Some(&user.state) {
            self.state_seen = Some((user.state.clone(), now_ms));
        }

        let state = AgentStateKind::from(&user.state);
        let pending = user.pending_state.as_ref().map(AgentStateKind::from);
        let reason_id = user.reason_code_id.as_deref();
        // Only a Not Ready → Not Ready change needs the reason to tell "done" from "not yet";
        // a state reached without a reason id (Finesse's -1) counts as reached.
        let done = |request: &StateRequest| {
            let reason_matches = request.state != AgentStateKind::NotReady
                || request.reason_id.is_none()
                || reason_id.is_none()
                || request.reason_id.as_deref() == reason_id;
            (request.state == state && reason_matches) || pending == Some(request.state)
        };
        if self.state_request.as_ref().is_some_and(done) {
            self.state_request = None;
        }
        if pending.is_none() && self.state_request.is_none() {
            self.last_state_request = None;
        }

        let extension = user.extension.as_deref();
        let dialogs = &self.snapshot.dialogs;
        self.pending_actions.retain(|id, action| {
            dialogs.get(id).is_some_and(|dialog| {
                offered_actions(my_participant(dialog, extension)).contains(action)
            })
        });
        self.dismissed_pop_ups.retain(|id| dialogs.contains_key(id));
        if let Some(call) = latest_call(dialogs, extension) {
            self.last_call = Some(call);
        }

        let idle = matches!(
            user.state,
            AgentState::Ready | AgentState::NotReady | AgentState::Logout
        );
        let on_a_call = self.snapshot.calls().any(|dialog| {
            let state = call_state(dialog, my_participant(dialog, extension));
            !matches!(state, CallState::Ended | CallState::Failed)
        });
        if idle && !on_a_call {
            self.wrap_up_choice = WrapUpChoice::default();
            self.last_call = None;
        }
    }

    /// Takes the session's connection state. Leaving `connected` ends every request in flight
    /// (its outcome is unknown; the resync shows the truth); `disconnected` (signed out)
    /// forgets the session altogether. Alerts and the clock offset stay.
    pub fn apply_connection(&mut self, state: &ConnectionState, now_ms: i64) {
        if self.connection.name() != state.name() || self.connection_since.is_none() {
            self.connection_since = Some(now_ms);
        }
        if !state.is_connected() {
            self.state_request = None;
            self.pending_actions.clear();
        }
        if *state == ConnectionState::Disconnected {
            self.snapshot = Snapshot::default();
            self.lookups = DeskLookups::default();
            self.last_state_request = None;
            self.state_seen = None;
            self.wrap_up_choice = WrapUpChoice::default();
            self.forget_calls();
        }
        self.connection = state.clone();
    }

    /// The server's layout for labelling call data (`None`: label by key).
    pub fn set_layout(&mut self, layout: Option<MediaPropertiesLayout>) {
        self.lookups.layout = layout;
    }

    /// The reason codes of one category (`NOT_READY` or `LOGOUT`); system codes are dropped.
    pub fn set_reason_codes(&mut self, category: &ReasonCategory, codes: Vec<ReasonCode>) {
        self.lookups.set_reasons(category, codes);
    }

    pub fn set_wrap_up_reasons(&mut self, reasons: Vec<WrapUpReason>) {
        self.lookups.wrap_up = reasons;
    }

    /// The server said `server_ms` (SystemInfo `currentTimestamp`) when this machine's clock
    /// read `local_ms`; from now on server stamps are shown on this machine's clock.
    pub fn set_server_time(&mut self, server_ms: i64, local_ms: i64) {
        self.clock.measure(server_ms, local_ms);
    }

    /// A state change was sent: the switch shows a spinner until Finesse shows the state (or
    /// the pending state), or [`clear_request`](Self::clear_request).
    pub fn request_state(&mut self, request: StateRequest) {
        self.last_state_request = Some(request.clone());
        self.state_request = Some(request);
    }

    /// The state change failed or timed out.
    pub fn clear_request(&mut self) {
        self.state_request = None;
    }

    /// An action was sent on a call: its button spins until Finesse no longer offers it (it
    /// happened), the call ends, or [`clear_action`](Self::clear_action).
    pub fn mark_action(&mut self, call_id: &str, action: CallAction) {
        self.pending_actions.insert(call_id.to_owned(), action);
    }

    pub fn clear_action(&mut self, call_id: &str) {
        self.pending_actions.remove(call_id);
    }

    /// The agent's wrap-up choices (`None` fields keep the earlier choice).
    pub fn choose_wrap_up(&mut self, choice: &WrapUpRequest) {
        if let Some(reason) = &choice.reason {
            self.wrap_up_choice.reason = Some(reason.clone());
        }
        if let Some(then) = choice.then {
            self.wrap_up_choice.then = Some(then);
        }
    }

    /// Adds a message for the agent; returns its id for [`dismiss_alert`](Self::dismiss_alert).
    pub fn push_alert(
        &mut self,
        level: AlertLevel,
        code: impl Into<String>,
        message: impl Into<String>,
        now_ms: i64,
    ) -> u64 {
        self.alerts.push(level, code.into(), message.into(), now_ms)
    }

    /// `false` if no alert had this id.
    pub fn dismiss_alert(&mut self, id: u64) -> bool {
        self.alerts.dismiss(id)
    }

    /// The agent closed the pop-up of this call; it stays closed while the call rings.
    pub fn dismiss_pop_up(&mut self, call_id: &str) {
        self.dismissed_pop_ups.insert(call_id.to_owned());
    }

    // ----- outputs ------------------------------------------------------------------------

    /// Everything the main window shows.
    pub fn view(&self, now_ms: i64) -> DeskView {
        let agent = self.snapshot.user.as_ref().map(|user| {
            agent_view(&AgentInputs {
                user,
                lookups: &self.lookups,
                deployment: self.deployment(),
                clock: self.clock,
                requested: self.state_request.as_ref(),
                last_request: self.last_state_request.as_ref(),
                state_seen_at: self.state_seen.as_ref().map(|(_, at)| *at),
                now_ms,
            })
        });
        let wrap_up = self.snapshot.user.as_ref().and_then(|user| {
            wrap_up_view(&WrapUpInputs {
                user,
                state_since: agent.as_ref().and_then(|a| a.state_since),
                dialogs: &self.snapshot.dialogs,
                last_call: self.last_call.as_ref(),
                choice: &self.wrap_up_choice,
            })
        });
        DeskView {
            connection: connection_view(&self.connection, self.connection_since),
            agent,
            calls: self.calls(now_ms),
            wrap_up,
            alerts: self.alerts.to_view(),
        }
    }

    /// The lists for the searchable menus.
    pub fn lookups(&self) -> Lookups {
        self.lookups.to_view()
    }

    /// Finesse's last word, as applied.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// The session's connection state, as applied.
    pub fn connection(&self) -> &ConnectionState {
        &self.connection
    }

    pub(super) fn calls(&self, now_ms: i64) -> Vec<CallView> {
        call_views(self.snapshot.dialogs.values(), &self.call_inputs(now_ms))
    }

    pub(super) fn call_inputs(&self, now_ms: i64) -> CallInputs<'_> {
        CallInputs {
            extension: self.extension(),
            layout: self.lookups.layout.as_ref(),
            clock: self.clock,
            pending_actions: &self.pending_actions,
            now_ms,
        }
    }

    pub(super) fn extension(&self) -> Option<&str> {
        self.snapshot.user.as_ref()?.extension.as_deref()
    }

    pub(super) fn deployment(&self) -> Option<&DeploymentType> {
        self.snapshot.system_info.as_ref()?.deployment_type.as_ref()
    }

    fn forget_calls(&mut self) {
        self.pending_actions.clear();
        self.dismissed_pop_ups.clear();
        self.last_call = None;
    }
}
