//! POST `/finesse/api/User/{id}/Dialogs` (MAKE_CALL, SILENT_MONITOR, BARGE_CALL) and
//! PUT `/finesse/api/Dialog/{id}` (every participant action), §4.4, §4.5, §6.3.
//!
//! A dialog action is accepted only when the target participant — the one whose
//! `mediaAddress` is `targetMediaAddress`, which must be the requester's own extension —
//! lists it in its `actions`; otherwise 401 Invalid State. UPDATE_CALL_DATA needs no target
//! (the requester's own participant is used); PARTICIPANT_DROP targets the party to remove
//! and needs the action on the requester's own participant.
use finesse_xml::Element;

use super::user::valid_dial_string;
use super::{expect_root, required, RestError};
use crate::center::calls::{call_variable_index, Action, Call, CallKind, ParticipantState};
use crate::center::control::CallDataUpdate;
use crate::center::model::AgentState;
use crate::center::publish::AsyncError;
use crate::center::{CallId, ContactCenter};
use crate::clock::SimTime;
use crate::config::{Flavour, Role};

/// Limits from DG12.5 p90: 40 bytes per call variable, 2000 bytes of ECC per call, 39
/// bytes of wrap-up reason.
const MAX_CALL_VARIABLE: usize = 40;
const MAX_ECC_TOTAL: usize = 2000;
const MAX_WRAP_UP_REASON: usize = 39;

impl ContactCenter {
    pub(super) fn post_dialogs(
        &mut self,
        now: SimTime,
        requester: usize,
        uri_id: &str,
        body: &Element,
    ) -> Result<(), RestError> {
        let target = self.readable_user(requester, uri_id, false)?;
        if target != requester {
            return Err(RestError::user_mismatch(uri_id));
        }
        expect_root(body, "Dialog")?;
        match Action::parse(required(body, "requestedAction")?) {
            Some(Action::MakeCall) => self.request_make_call(now, requester, body),
            Some(Action::SilentMonitor) => self.request_silent_monitor(now, requester, body),
            Some(Action::BargeCall) => self.request_barge(now, requester, body),
            _ => Err(RestError::invalid_input(
                "requestedAction",
                "Invalid requestedAction specified",
            )),
        }
    }

    fn request_make_call(
        &mut self,
        now: SimTime,
        idx: usize,
        body: &Element,
    ) -> Result<(), RestError> {
        if !self.cfg.agents[idx].has_role(Role::Agent) {
            return Err(RestError::user_mismatch(&self.agent_id(idx)));
        }
        let from = required(body, "fromAddress")?;
        let to = required(body, "toAddress")?;
        self.require_own_extension(
            idx,
            from,
            "fromAddress must be the extension the user is signed in on",
        )?;
        check_destination(to, from)?;
        let variables = match body.child("mediaProperties") {
            None => Vec::new(),
            Some(_) if self.flavour() == Flavour::Uccx => {
                return Err(RestError::invalid_input(
                    "mediaProperties",
                    "Call variables cannot be set when making a call on UCCX",
                ))
            }
            Some(mp) => {
                let update = parse_call_data(mp, self.flavour(), None)?;
                if update.wrap_up_reason.is_some() || update.wrap_up_items.is_some() {
                    return Err(RestError::invalid_input(
                        "wrapUpReason",
                        "Wrap-up cannot be set when making a call",
                    ));
                }
                update.variables
            }
        };
        let state = self.st.agents[idx].state();
        let ready_allowed = self.flavour() == Flavour::Ucce;
        let state_allows =
            state == AgentState::NotReady || (state == AgentState::Ready && ready_allowed);
        if self.is_busy(idx) || !state_allows {
            return Err(RestError::invalid_state(
                "state",
                format!("A call cannot be made in state {}", state.as_str()),
            ));
        }
        self.make_call(now, idx, to, &variables);
        Ok(())
    }

    fn request_silent_monitor(
        &mut self,
        now: SimTime,
        supervisor: usize,
        body: &Element,
    ) -> Result<(), RestError> {
        if !self.is_supervisor(supervisor) {
            return Err(RestError::user_mismatch(&self.agent_id(supervisor)));
        }
        let from = required(body, "fromAddress")?;
        let to = required(body, "toAddress")?;
        self.require_own_extension(
            supervisor,
            from,
            "fromAddress must be the supervisor's extension",
        )?;
        let agent = self.agent_on_extension(to).ok_or_else(|| {
            RestError::invalid_input("toAddress", "No agent is signed in on this extension")
        })?;
        if !self.supervises(supervisor, agent) {
            return Err(RestError::invalid_supervisor(&self.agent_id(agent)));
        }
        // The CTI server's checks: refused asynchronously.
        if self.st.agents[supervisor].state() != AgentState::NotReady || self.is_busy(supervisor) {
            self.publish_request_error(&AsyncError::invalid_object_state());
            return Ok(());
        }
        let agent_id = self.agent_id(agent);
        let target = self.st.calls.values().find(|c| {
            c.kind != CallKind::Monitor
                && c.agent_participant(&agent_id)
                    .is_some_and(|p| p.state == ParticipantState::Active && !p.passive)
        });
        let target = target
            .map(|c| c.id)
            .filter(|&c| self.monitor_of_call(c).is_none());
        let agent_state = self.st.agents[agent].state();
        let state_ok = match self.flavour() {
            Flavour::Ucce => agent_state == AgentState::Talking,
            Flavour::Uccx => matches!(agent_state, AgentState::Talking | AgentState::NotReady),
        };
        match target {
            Some(call) if state_ok => {
                self.start_monitor(now, supervisor, agent, call);
            }
            _ => {
                let error = match self.flavour() {
                    Flavour::Ucce
                        if matches!(
                            agent_state,
                            AgentState::Ready | AgentState::Work | AgentState::WorkReady
                        ) =>
                    {
                        AsyncError::invalid_object_state()
                    }
                    Flavour::Ucce => {
                        AsyncError::new("13145", "CF_SILENT_MONITOR_FAILED", "Generic Error")
                    }
                    Flavour::Uccx => {
                        AsyncError::new("88049", "CF_SILENT_MONITOR_FAILED", "Generic Error")
                    }
                };
                self.publish_request_error(&error);
            }
        }
        Ok(())
    }

    fn request_barge(
        &mut self,
        now: SimTime,
        supervisor: usize,
        body: &Element,
    ) -> Result<(), RestError> {
        if !self.is_supervisor(supervisor) {
            return Err(RestError::user_mismatch(&self.agent_id(supervisor)));
        }
        let from = required(body, "fromAddress")?;
        let to = required(body, "toAddress")?;
        let uri = required(body, "associatedDialogUri")?;
        let not_monitor = || {
            RestError::invalid_input(
                "associatedDialogUri",
                "Not a silent monitor call of this supervisor",
            )
        };
        let id: u64 = uri
            .rsplit_once("/Dialog/")
            .and_then(|(_, id)| id.parse().ok())
            .ok_or_else(not_monitor)?;
        let sup_id = self.agent_id(supervisor);
        let monitor = self
            .st
            .calls
            .get(&CallId(id))
            .filter(|c| {
                c.kind == CallKind::Monitor
                    && c.agent_participant(&sup_id).is_some_and(|p| !p.passive)
            })
            .ok_or_else(not_monitor)?;
        let sup_address = monitor
            .agent_participant(&sup_id)
            .map(|p| p.address.clone());
        if sup_address.as_deref() != Some(from) {
            return Err(RestError::invalid_input(
                "fromAddress",
                "fromAddress must be the supervisor's extension",
            ));
        }
        let monitored = monitor
            .participants
            .iter()
            .find(|p| p.passive)
            .map(|p| p.address.clone());
        if monitored.as_deref() != Some(to) {
            return Err(RestError::invalid_input(
                "toAddress",
                "toAddress must be the monitored agent's extension",
            ));
        }
        let monitor = monitor.id;
        self.barge(now, monitor);
        Ok(())
    }

    pub(super) fn put_dialog(
        &mut self,
        now: SimTime,
        requester: usize,
        id: &str,
        body: &Element,
    ) -> Result<(), RestError> {
        let requester_id = self.agent_id(requester);
        let call: Call = id
            .parse::<u64>()
            .ok()
            .and_then(|n| self.st.calls.get(&CallId(n)))
            .filter(|c| c.is_posted_to(&requester_id))
            .cloned()
            .ok_or_else(|| RestError::dialog_not_found(id))?;
        expect_root(body, "Dialog")?;
        let action_text = required(body, "requestedAction")?;
        let action = Action::parse(action_text)
            .filter(|a| {
                !matches!(
                    a,
                    Action::MakeCall | Action::SilentMonitor | Action::BargeCall
                )
            })
            .ok_or_else(|| {
                RestError::invalid_input("requestedAction", "Invalid requestedAction specified")
            })?;
        let own = call.agent_participant(&requester_id).cloned();
        let require = |me: &ContactCenter, participant: &crate::center::calls::Participant| {
            if me.participant_actions(&call, participant).contains(&action) {
                Ok(())
            } else {
                Err(RestError::action_not_allowed(
                    action.as_str(),
                    participant.state.as_str(),
                ))
            }
        };
        match action {
            Action::UpdateCallData => {
                let own =
                    own.ok_or_else(|| RestError::action_not_allowed(action.as_str(), "DROPPED"))?;
                require(self, &own)?;
                let mp = body
                    .child("mediaProperties")
                    .ok_or_else(|| RestError::missing("mediaProperties"))?;
                let update = parse_call_data(mp, self.flavour(), Some(&call))?;
                self.update_call_data(call.id, update);
                return Ok(());
            }
            Action::StartRecording if self.flavour() == Flavour::Ucce => {
                return Err(RestError::not_implemented(
                    "START_RECORDING is not available on UCCE",
                    action_text,
                ));
            }
            Action::ParticipantDrop if self.flavour() == Flavour::Uccx => {
                return Err(RestError::not_implemented(
                    "PARTICIPANT_DROP is available on UCCE only",
                    action_text,
                ));
            }
            _ => {}
        }
        let target = required(body, "targetMediaAddress")?;
        let no_party =
            || RestError::invalid_input("targetMediaAddress", "No participant with this address");
        if action == Action::ParticipantDrop {
            let own =
                own.ok_or_else(|| RestError::action_not_allowed(action.as_str(), "DROPPED"))?;
            require(self, &own)?;
            let party = call
                .participant(target)
                .filter(|p| p.state.is_live())
                .ok_or_else(no_party)?;
            if party.address == own.address {
                return Err(RestError::invalid_input(
                    "targetMediaAddress",
                    "Use DROP to leave the call",
                ));
            }
            self.participant_drop(now, call.id, target);
            return Ok(());
        }
        let participant = call.participant(target).ok_or_else(no_party)?;
        if !participant.is_agent(&requester_id) {
            return Err(RestError::invalid_input(
                "targetMediaAddress",
                "targetMediaAddress must be the user's own extension",
            ));
        }
        require(self, participant)?;
        match action {
            Action::Answer => self.answer(now, call.id, target),
            Action::Hold => self.hold(now, call.id, target),
            Action::Retrieve => self.retrieve(now, call.id, target),
            Action::Drop => self.drop_party(now, call.id, target),
            Action::Transfer => self.transfer(now, call.id, target),
            Action::Conference => self.conference(now, call.id, target),
            Action::ConsultCall | Action::TransferSst => {
                let to = required(body, "toAddress")?;
                check_destination(to, target)?;
                if action == Action::ConsultCall {
                    self.consult(now, call.id, target, to);
                } else {
                    self.single_step_transfer(now, call.id, target, to);
                }
            }
            Action::SendDtmf => {
                let digits = body
                    .child("actionParams")
                    .into_iter()
                    .flat_map(|p| p.children_named("ActionParam"))
                    .find(|p| p.child_text("name") == Some("dtmfString"))
                    .and_then(|p| p.child_text("value"))
                    .ok_or_else(|| RestError::missing("dtmfString"))?;
                let allowed = match self.flavour() {
                    Flavour::Ucce => "0123456789*#ABCD",
                    Flavour::Uccx => "0123456789*#",
                };
                if digits.len() > 32 || !digits.chars().all(|c| allowed.contains(c)) {
                    self.publish_request_error(&AsyncError::new(
                        "3",
                        "CF_VALUE_OUT_OF_RANGE",
                        "Invalid Input",
                    ));
                } else {
                    self.send_dtmf(call.id, digits);
                }
            }
            _ => {
                return Err(RestError::action_not_allowed(
                    action.as_str(),
                    participant.state.as_str(),
                ))
            }
        }
        Ok(())
    }

    /// A call or monitor request must come from the extension the requester is signed in on.
    fn require_own_extension(
        &self,
        idx: usize,
        from: &str,
        mismatch: &str,
    ) -> Result<(), RestError> {
        match self.st.agents[idx].extension.as_deref() {
            None => Err(RestError::invalid_state(
                "state",
                "The user is not signed in",
            )),
            Some(extension) if extension != from => {
                Err(RestError::invalid_input("fromAddress", mismatch))
            }
            Some(_) => Ok(()),
        }
    }
}

/// A number the agent on `own` may dial: not its own, and a valid dial string.
fn check_destination(to: &str, own: &str) -> Result<(), RestError> {
    if to == own {
        return Err(RestError::invalid_destination(to));
    }
    if !valid_dial_string(to) {
        return Err(RestError::invalid_input(
            "toAddress",
            "Invalid toAddress specified",
        ));
    }
    Ok(())
}

/// `mediaProperties` of UPDATE_CALL_DATA / MAKE_CALL, validated (DG12.5 p90-91).
fn parse_call_data(
    mp: &Element,
    flavour: Flavour,
    call: Option<&Call>,
) -> Result<CallDataUpdate, RestError> {
    let mut update = CallDataUpdate::default();
    if let Some(variables) = mp.child("callvariables") {
        for cv in variables.children_named("CallVariable") {
            let name = required(cv, "name")?;
            let value = cv.child_text("value").unwrap_or("");
            let numbered = call_variable_index(name).is_some();
            let ecc = name.len() > 5
                && name.starts_with("user.")
                && name.chars().all(|c| c.is_ascii_graphic());
            if !numbered && !ecc {
                return Err(RestError::invalid_input(name, "Invalid call variable name"));
            }
            if !value.is_ascii() {
                return Err(RestError::invalid_input(
                    name,
                    "Call variable values must be ASCII",
                ));
            }
            if numbered && value.len() > MAX_CALL_VARIABLE {
                return Err(RestError::invalid_input(
                    name,
                    "Call variable value is too long",
                ));
            }
            if ecc && call.is_some_and(|c| shape_conflict(c, name)) {
                return Err(RestError::invalid_input(
                    name,
                    "Scalar and array use of the same ECC variable",
                ));
            }
            update.variables.push((name.to_owned(), value.to_owned()));
        }
    }
    if let Some(reason) = mp.child("wrapUpReason") {
        let reason = reason.text.trim();
        if reason.len() > MAX_WRAP_UP_REASON || !reason.is_ascii() {
            return Err(RestError::invalid_input(
                "wrapUpReason",
                "Wrap-up reason is too long",
            ));
        }
        update.wrap_up_reason = Some(reason.to_owned());
    }
    if let Some(items) = mp.child("wrapUpItems") {
        if flavour != Flavour::Uccx {
            return Err(RestError::invalid_input(
                "wrapUpItems",
                "wrapUpItems are available on UCCX only",
            ));
        }
        let items: Vec<String> = items
            .children_named("wrapUpItem")
            .filter_map(|i| i.text_trimmed().map(str::to_owned))
            .collect();
        if items.iter().any(|i| i.len() > MAX_WRAP_UP_REASON) {
            return Err(RestError::invalid_input(
                "wrapUpItems",
                "Wrap-up item is too long",
            ));
        }
        update.wrap_up_items = Some(items);
    }
    let ecc_total: usize = merged_ecc(call, &update.variables)
        .iter()
        .map(|(_, v)| v.len())
        .sum();
    if ecc_total > MAX_ECC_TOTAL {
        return Err(RestError::invalid_input(
            "callvariables",
            "ECC variables exceed 2000 bytes",
        ));
    }
    Ok(update)
}

/// `user.x` vs `user.x[n]`: a name cannot be both a scalar and an array.
fn shape_conflict(call: &Call, name: &str) -> bool {
    let base = |n: &str| n.split('[').next().unwrap_or(n).to_owned();
    let is_array = name.contains('[');
    call.ecc
        .iter()
        .any(|(existing, _)| base(existing) == base(name) && existing.contains('[') != is_array)
}

fn merged_ecc(call: Option<&Call>, variables: &[(String, String)]) -> Vec<(String, String)> {
    let mut ecc: Vec<(String, String)> = call.map(|c| c.ecc.clone()).unwrap_or_default();
    for (name, value) in variables.iter().filter(|(n, _)| n.starts_with("user.")) {
        match ecc.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value.clone(),
            None => ecc.push((name.clone(), value.clone())),
        }
    }
    ecc
}
