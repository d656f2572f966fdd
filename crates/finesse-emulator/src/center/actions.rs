//! Which actions each participant may take (§4.3). Dialog PUTs are accepted only when
//! the target participant's list contains the requested action.
use super::calls::{Action, Call, CallKind, Participant, ParticipantState};
use super::ContactCenter;
use crate::config::{DropParticipantFor, Flavour};

impl ContactCenter {
    /// The `actions` of one participant, in the order real servers list them.
    pub(super) fn participant_actions(&self, call: &Call, p: &Participant) -> Vec<Action> {
        use ParticipantState as S;
        if p.passive {
            return Vec::new();
        }
        let Some(agent) = p.agent.as_deref() else {
            // "Actions on non-agent participants may not always be accurate" (§4.1).
            return match p.state {
                S::Dropped | S::Failed | S::WrapUp => Vec::new(),
                _ => vec![Action::UpdateCallData, Action::Drop],
            };
        };
        if call.kind == CallKind::Monitor {
            return match p.state {
                S::Active => vec![Action::BargeCall, Action::Drop],
                _ => Vec::new(),
            };
        }
        match p.state {
            S::Alerting => vec![Action::Answer],
            S::Initiating | S::Initiated => vec![Action::UpdateCallData, Action::Drop],
            S::Active => {
                let mut actions = Vec::new();
                let consulting =
                    call.kind == CallKind::Consult || self.holds_another_call(agent, call);
                if !consulting {
                    actions.extend([Action::TransferSst, Action::ConsultCall]);
                }
                actions.extend([
                    Action::Hold,
                    Action::UpdateCallData,
                    Action::SendDtmf,
                    Action::Drop,
                ]);
                if self.may_drop_participants(call, agent) {
                    actions.push(Action::ParticipantDrop);
                }
                actions
            }
            S::Held => {
                let mut actions = Vec::new();
                if let Some(consult) = self.consult_call_from(call, agent) {
                    let agent_state = consult.agent_participant(agent).map(|x| x.state);
                    let agent_on_it = matches!(agent_state, Some(S::Active | S::Initiated));
                    let agent_active = agent_state == Some(S::Active);
                    let destination = consult
                        .participants
                        .iter()
                        .find(|x| !x.is_agent(agent) && x.state.is_live())
                        .map(|x| x.state);
                    if agent_on_it && matches!(destination, Some(S::Alerting | S::Active)) {
                        actions.push(Action::Transfer);
                    }
                    if agent_active && destination == Some(S::Active) {
                        actions.push(Action::Conference);
                    }
                }
                actions.extend([Action::Retrieve, Action::UpdateCallData, Action::Drop]);
                actions
            }
            S::Failed => vec![Action::Drop],
            S::WrapUp => vec![Action::UpdateCallData],
            S::Dropped => Vec::new(),
        }
    }

    /// The consult call an agent placed from `call`, if still up.
    pub(super) fn consult_call_from(&self, call: &Call, agent: &str) -> Option<&Call> {
        self.st.calls.values().find(|c| {
            c.consult_of == Some(call.id)
                && c.agent_participant(agent)
                    .is_some_and(|p| p.state.is_live())
        })
    }

    fn holds_another_call(&self, agent: &str, except: &Call) -> bool {
        self.st.calls.values().any(|c| {
            c.id != except.id
                && c.agent_participant(agent)
                    .is_some_and(|p| p.state == ParticipantState::Held)
        })
    }

    /// PARTICIPANT_DROP (UCCE only) on a conference, per `enableDropParticipantFor`.
    fn may_drop_participants(&self, call: &Call, agent: &str) -> bool {
        if self.cfg.flavour != Flavour::Ucce || call.live_count() < 3 {
            return false;
        }
        let supervisor = self
            .agent_index(agent)
            .is_some_and(|i| self.is_supervisor(i));
        let controller = call
            .conference_controller
            .as_deref()
            .is_some_and(|c| c.eq_ignore_ascii_case(agent));
        match self.cfg.drop_participant_for {
            DropParticipantFor::SupervisorOnly => supervisor,
            DropParticipantFor::ConferenceControllerAndSupervisor => supervisor || controller,
            DropParticipantFor::All => true,
        }
    }
}
