//! States the system imposed: tell the agent why, and undo a connection failure the agent
//! did not cause.
//!
//! Finesse forces an agent out 60 s after their desktop's presence went away (255, or
//! NOT_READY 50002 on UCCE); when the session already moved to the other node, the old
//! node's timer can still fire (finesse-protocol.md §10.2). An agent who was READY before
//! the outage is put READY again, as the [EF] connector does — only when the change came
//! from a connection failure, soon after the outage, and the agent was still READY.
use super::pending::Expect;
use super::SessionMachine;
use crate::model::{AgentState, User};
use crate::session::command::Command;
use crate::session::event::{AppliedChoice, SessionEvent};
use crate::session::system_reason::{explain_system_reason, generic_explanation};

impl SessionMachine {
    /// Looks at a user change (event or resync) for a state nobody here asked for.
    pub(super) fn notice_forced_change(&mut self, previous: Option<&User>, user: &User) {
        let Some(previous) = previous else {
            return;
        };
        let code = user.reason_code.as_ref().and_then(|r| r.code);
        let unchanged = previous.state == user.state
            && previous.reason_code.as_ref().and_then(|r| r.code) == code;
        if unchanged {
            return;
        }
        let deployment = self.system_info().and_then(|i| i.deployment_type.clone());
        let explained = code.and_then(|c| explain_system_reason(c, deployment.as_ref()));
        let system_code =
            user.reason_code.as_ref().is_some_and(|r| r.system_code) || explained.is_some();
        let forced = match user.state {
            AgentState::Logout => previous.state.is_signed_in() && !self.logout_requested(),
            AgentState::NotReady => system_code,
            _ => false,
        };
        if !forced {
            return;
        }
        let explanation = explained
            .map(|r| r.explanation)
            .unwrap_or_else(|| generic_explanation(&user.state))
            .to_owned();
        tracing::warn!(state = %user.state, code = ?code, "the agent's state was forced: {explanation}");
        self.publish(SessionEvent::StateForced {
            state: user.state.clone(),
            reason_code: code,
            label: user.reason_code.as_ref().map(|r| r.label.clone()),
            explanation,
        });
        let connection_failure = explained.is_some_and(|r| r.connection_failure);
        if user.state == AgentState::NotReady
            && connection_failure
            && previous.state == AgentState::Ready
            && self.may_restore_ready()
        {
            self.outage.restore_ready_until = None;
            let what = AppliedChoice::RestoreReady { forced_code: code };
            let command = Command::ChangeState {
                state: AgentState::Ready,
                reason_code_id: None,
            };
            self.run_for_choice(what, command);
        }
    }

    fn may_restore_ready(&self) -> bool {
        self.is_connected()
            && self.outage.ready_before
            && self
                .outage
                .restore_ready_until
                .is_some_and(|until| self.now <= until)
    }

    fn logout_requested(&self) -> bool {
        self.pending.iter().any(|p| {
            matches!(&p.expect, Expect::UserState(choice) if choice.state == AgentState::Logout)
        })
    }
}
