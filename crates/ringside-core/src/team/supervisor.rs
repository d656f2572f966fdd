//! What the supervisor rules need to know about the supervisor: state, extension, platform,
//! and the monitor or barge call they are on — read from the session's snapshot.
use chrono::{DateTime, Utc};
use finesse::model::{
    Action, AgentState, DeploymentType, Dialog, DialogState, ParticipantState, Snapshot,
};

use crate::desk::{customer, customer_call_direction, monitored_agent, CallDirection};

/// The supervisor as the rules see them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SupervisorContext {
    /// The supervisor's login id (their own row offers nothing).
    pub supervisor_id: Option<String>,
    /// The supervisor's own agent state.
    pub state: Option<AgentState>,
    /// The extension the supervisor is signed in on.
    pub extension: Option<String>,
    pub deployment: Option<DeploymentType>,
    /// The session is connected (commands would be refused otherwise).
    pub connected: bool,
    /// The supervisor's monitor call, or the call they barged into.
    pub monitoring: Option<MonitoredCall>,
}

/// The supervisor's call on an agent's call.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MonitoredCall {
    /// The monitored agent's extension.
    pub agent_extension: String,
    /// The monitor dialog, or after a barge the conference the supervisor joined.
    pub dialog_id: String,
    /// The supervisor barged in (the call is a conference with the supervisor in it).
    pub barged: bool,
    /// What the supervisor's participant may do on that dialog.
    pub actions: Vec<Action>,
    /// Media addresses of the other active participants.
    pub participants: Vec<String>,
    /// The customer's number on the agent's call, when the dialog shows it.
    pub caller: Option<String>,
    /// Which way the agent's call with the customer goes, when the dialog shows it.
    pub direction: Option<CallDirection>,
    /// When the agent's call started (server clock), when the dialog shows it.
    pub started_at: Option<DateTime<Utc>>,
}

impl SupervisorContext {
    /// Reads the context from the session's snapshot.
    ///
    /// A `SUPERVISOR_MONITOR` dialog is a monitor call on the agent it was placed to. After a
    /// barge Finesse replaces it with the agent's own call (now a conference), which nothing
    /// marks as a barge: it is recognised as the live call that has `previously_monitored`
    /// (the extension monitored before) among its participants.
    pub fn from_snapshot(
        snapshot: &Snapshot,
        connected: bool,
        previously_monitored: Option<&str>,
    ) -> SupervisorContext {
        let Some(user) = snapshot.user.as_ref() else {
            return SupervisorContext {
                connected,
                ..SupervisorContext::default()
            };
        };
        let extension = user
            .extension
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty() && user.state.is_signed_in())
            .map(str::to_owned);
        let monitoring = extension.as_deref().and_then(|own| {
            let live = || snapshot.dialogs.values().filter(|d| is_live(d, own));
            live()
                .find(|d| d.is_silent_monitor())
                .and_then(|d| monitor_call(d, own))
                .or_else(|| {
                    let agent = previously_monitored?;
                    live()
                        .filter(|d| !d.is_silent_monitor())
                        .find(|d| has_active(d, agent))
                        .map(|d| barge_call(d, own, agent))
                })
        });
        SupervisorContext {
            supervisor_id: Some(user.login_id.clone()),
            state: Some(user.state.clone()),
            extension,
            deployment: snapshot
                .system_info
                .as_ref()
                .and_then(|info| info.deployment_type.clone()),
            connected,
            monitoring,
        }
    }

    /// Whether `login_id` is the supervisor themself.
    pub fn is_self(&self, login_id: &str) -> bool {
        self.supervisor_id.as_deref() == Some(login_id)
    }

    /// The extension of the agent being monitored (or barged into).
    pub fn monitored_extension(&self) -> Option<&str> {
        self.monitoring.as_ref().map(|m| m.agent_extension.as_str())
    }
}

/// A dialog the supervisor is still on.
fn is_live(dialog: &Dialog, own: &str) -> bool {
    !matches!(dialog.state, DialogState::Dropped | DialogState::Failed)
        && dialog
            .participant_for(own)
            .is_some_and(|p| p.state != ParticipantState::Dropped)
}

fn has_active(dialog: &Dialog, extension: &str) -> bool {
    dialog
        .participant_for(extension)
        .is_some_and(|p| matches!(p.state, ParticipantState::Active | ParticipantState::Held))
}

fn monitor_call(dialog: &Dialog, own: &str) -> Option<MonitoredCall> {
    let agent = monitored_agent(dialog, own)?;
    Some(call_on(dialog, own, agent, false))
}

fn barge_call(dialog: &Dialog, own: &str, agent: &str) -> MonitoredCall {
    call_on(dialog, own, agent, true)
}

fn call_on(dialog: &Dialog, own: &str, agent: &str, barged: bool) -> MonitoredCall {
    let customer = customer(dialog, own, agent);
    let started_at = customer
        .and_then(|p| p.started_at())
        .or_else(|| dialog.participant_for(agent).and_then(|p| p.started_at()));
    MonitoredCall {
        agent_extension: agent.to_owned(),
        dialog_id: dialog.id.clone(),
        barged,
        actions: dialog.actions_for(own).to_vec(),
        participants: dialog
            .participants
            .iter()
            .filter(|p| p.media_address != own && p.state != ParticipantState::Dropped)
            .map(|p| p.media_address.clone())
            .collect(),
        caller: customer.map(|p| p.media_address.clone()),
        direction: customer_call_direction(dialog, own, agent),
        started_at,
    }
}
