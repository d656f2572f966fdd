//! Request bodies for `PUT /User/{id}`, `POST /User/{id}/Dialogs` and `PUT /Dialog/{id}`.
//!
//! Writers are strict: exactly the documented elements, in the documented order, no XML
//! declaration. [`UserRequest::validate`] and [`DialogRequest::validate`] reject requests that
//! break a limit Finesse documents, so the caller learns before Finesse (or CTI, silently)
//! rejects them.

use finesse_xml::XmlWriter;
use serde::{Deserialize, Serialize};

use super::{Action, AgentState, CallVariable, MobileAgent, MobileAgentMode, ModelError};

/// Longest wrap-up reason label Finesse accepts, in bytes.
pub const MAX_WRAP_UP_REASON_BYTES: usize = 39;
/// Longest value of a `callVariable1..10`, in bytes.
pub const MAX_CALL_VARIABLE_BYTES: usize = 40;
/// Total size of all ECC (`user.*`) values in one request, in bytes.
pub const MAX_ECC_TOTAL_BYTES: usize = 2000;
/// Characters Finesse accepts in a DTMF string (UCCE; UCCX rejects `A-D` asynchronously).
pub const DTMF_CHARACTERS: &str = "0123456789*#ABCD";

/// A change to a User (`PUT /finesse/api/User/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum UserRequest {
    /// Sign in on an extension (state `LOGIN`), optionally as a mobile agent or on a device.
    #[serde(rename_all = "camelCase")]
    SignIn {
        extension: String,
        mobile_agent: Option<MobileAgent>,
        active_device_id: Option<String>,
    },
    /// `READY`, `NOT_READY` or `LOGOUT`, with the reason code id (not the CTI code) when
    /// reason codes are configured for that category.
    #[serde(rename_all = "camelCase")]
    ChangeState {
        state: AgentState,
        reason_code_id: Option<String>,
    },
}

impl UserRequest {
    /// The body, e.g. `<User><state>NOT_READY</state><reasonCodeId>16</reasonCodeId></User>`.
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("User");
        match self {
            UserRequest::SignIn {
                extension,
                mobile_agent,
                active_device_id,
            } => {
                w.text_element("state", AgentState::Login.as_str())
                    .text_element("extension", extension);
                if let Some(mobile) = mobile_agent {
                    w.open("mobileAgent")
                        .text_element("mode", mobile.mode.as_str())
                        .text_element("dialNumber", &mobile.dial_number)
                        .close();
                }
                w.optional_element("activeDeviceId", active_device_id.as_deref());
            }
            UserRequest::ChangeState {
                state,
                reason_code_id,
            } => {
                w.text_element("state", state.as_str())
                    .optional_element("reasonCodeId", reason_code_id.as_deref());
            }
        }
        w.finish()
    }

    /// Rejects what Finesse would answer with `400`: an empty extension, an unknown mobile
    /// agent mode or missing dial number, a state an agent cannot request, an empty reason
    /// code id.
    pub fn validate(&self) -> Result<(), ModelError> {
        let invalid = |reason: &str| Err(ModelError::invalid("User", reason));
        match self {
            UserRequest::SignIn {
                extension,
                mobile_agent,
                active_device_id,
            } => {
                if extension.trim().is_empty() {
                    return invalid("sign-in needs an extension");
                }
                if let Some(mobile) = mobile_agent {
                    if matches!(mobile.mode, MobileAgentMode::Other(_)) {
                        return invalid(
                            "mobile agent mode must be CALL_BY_CALL or NAILED_CONNECTION",
                        );
                    }
                    if mobile.dial_number.trim().is_empty() {
                        return invalid("mobile agent sign-in needs a dial number");
                    }
                }
                if active_device_id
                    .as_deref()
                    .is_some_and(|d| d.trim().is_empty())
                {
                    return invalid("the active device id is empty");
                }
                Ok(())
            }
            UserRequest::ChangeState {
                state,
                reason_code_id,
            } => {
                if !state.is_agent_settable() {
                    return invalid(&format!(
                        "{state} cannot be requested; only READY, NOT_READY and LOGOUT can"
                    ));
                }
                if reason_code_id
                    .as_deref()
                    .is_some_and(|id| id.trim().is_empty())
                {
                    return invalid("the reason code id is empty");
                }
                Ok(())
            }
        }
    }
}

/// A dialog request: `POST /User/{id}/Dialogs` for [`MakeCall`](DialogRequest::MakeCall),
/// [`SilentMonitor`](DialogRequest::SilentMonitor) and [`BargeCall`](DialogRequest::BargeCall)
/// (see [`creates_dialog`](DialogRequest::creates_dialog)), `PUT /Dialog/{id}` for the rest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum DialogRequest {
    /// Place a call; call variables only on UCCE.
    #[serde(rename_all = "camelCase")]
    MakeCall {
        from_address: String,
        to_address: String,
        call_variables: Vec<CallVariable>,
    },
    /// A parameterless action on the agent's own participant: ANSWER, HOLD, RETRIEVE, DROP,
    /// TRANSFER, CONFERENCE (also START_RECORDING, ACCEPT, REJECT, CLOSE,
    /// CANCEL_SCHEDULED_CALLBACK).
    #[serde(rename_all = "camelCase")]
    Action {
        action: Action,
        target_media_address: String,
    },
    /// Consult from the active call; the original call is held.
    #[serde(rename_all = "camelCase")]
    ConsultCall {
        to_address: String,
        target_media_address: String,
    },
    /// Single-step (blind) transfer of the active call.
    #[serde(rename_all = "camelCase")]
    TransferSst {
        to_address: String,
        target_media_address: String,
    },
    #[serde(rename_all = "camelCase")]
    SendDtmf {
        dtmf: String,
        target_media_address: String,
    },
    /// Set call variables and/or the wrap-up reason (wrap-up is just call data).
    #[serde(rename_all = "camelCase")]
    UpdateCallData {
        wrap_up_reason: Option<String>,
        call_variables: Vec<CallVariable>,
    },
    /// Supervisor: monitor the agent on `to_address` from the extension `from_address`.
    #[serde(rename_all = "camelCase")]
    SilentMonitor {
        from_address: String,
        to_address: String,
    },
    /// Supervisor: barge into a call being silently monitored (`associated_dialog_uri` is the
    /// silent-monitor dialog).
    #[serde(rename_all = "camelCase")]
    BargeCall {
        from_address: String,
        to_address: String,
        associated_dialog_uri: String,
    },
    /// Remove a participant from a conference (`target_media_address` is that participant).
    #[serde(rename_all = "camelCase")]
    ParticipantDrop { target_media_address: String },
}

/// Actions that take no parameters besides the target participant.
const PLAIN_ACTIONS: &[Action] = &[
    Action::Answer,
    Action::Hold,
    Action::Retrieve,
    Action::Drop,
    Action::Transfer,
    Action::Conference,
    Action::StartRecording,
    Action::Accept,
    Action::Reject,
    Action::Close,
    Action::CancelScheduledCallback,
];

impl DialogRequest {
    /// The `requestedAction` this body carries.
    pub fn requested_action(&self) -> Action {
        match self {
            DialogRequest::MakeCall { .. } => Action::MakeCall,
            DialogRequest::Action { action, .. } => action.clone(),
            DialogRequest::ConsultCall { .. } => Action::ConsultCall,
            DialogRequest::TransferSst { .. } => Action::TransferSst,
            DialogRequest::SendDtmf { .. } => Action::SendDtmf,
            DialogRequest::UpdateCallData { .. } => Action::UpdateCallData,
            DialogRequest::SilentMonitor { .. } => Action::SilentMonitor,
            DialogRequest::BargeCall { .. } => Action::BargeCall,
            DialogRequest::ParticipantDrop { .. } => Action::ParticipantDrop,
        }
    }

    /// `true` for requests POSTed to the user's Dialogs collection (they create a dialog);
    /// `false` for requests PUT to an existing dialog.
    pub fn creates_dialog(&self) -> bool {
        matches!(
            self,
            DialogRequest::MakeCall { .. }
                | DialogRequest::SilentMonitor { .. }
                | DialogRequest::BargeCall { .. }
        )
    }

    /// The body, e.g. `<Dialog><requestedAction>HOLD</requestedAction>…</Dialog>`.
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("Dialog")
            .text_element("requestedAction", self.requested_action().as_str());
        match self {
            DialogRequest::MakeCall {
                from_address,
                to_address,
                call_variables,
            } => {
                w.text_element("fromAddress", from_address)
                    .text_element("toAddress", to_address);
                if !call_variables.is_empty() {
                    w.open("mediaProperties");
                    write_call_variables(&mut w, call_variables);
                    w.close();
                }
            }
            DialogRequest::Action {
                target_media_address,
                ..
            }
            | DialogRequest::ParticipantDrop {
                target_media_address,
            } => {
                w.text_element("targetMediaAddress", target_media_address);
            }
            DialogRequest::ConsultCall {
                to_address,
                target_media_address,
            }
            | DialogRequest::TransferSst {
                to_address,
                target_media_address,
            } => {
                w.text_element("toAddress", to_address)
                    .text_element("targetMediaAddress", target_media_address);
            }
            DialogRequest::SendDtmf {
                dtmf,
                target_media_address,
            } => {
                w.text_element("targetMediaAddress", target_media_address)
                    .open("actionParams")
                    .open("ActionParam")
                    .text_element("name", "dtmfString")
                    .text_element("value", dtmf)
                    .close()
                    .close();
            }
            DialogRequest::UpdateCallData {
                wrap_up_reason,
                call_variables,
            } => {
                w.open("mediaProperties")
                    .optional_element("wrapUpReason", wrap_up_reason.as_deref());
                if !call_variables.is_empty() {
                    write_call_variables(&mut w, call_variables);
                }
                w.close();
            }
            DialogRequest::SilentMonitor {
                from_address,
                to_address,
            } => {
                w.text_element("fromAddress", from_address)
                    .text_element("toAddress", to_address);
            }
            DialogRequest::BargeCall {
                from_address,
                to_address,
                associated_dialog_uri,
            } => {
                w.text_element("fromAddress", from_address)
                    .text_element("toAddress", to_address)
                    .text_element("associatedDialogUri", associated_dialog_uri);
            }
        }
        w.finish()
    }

    /// Rejects requests that break documented limits: empty addresses, calling oneself,
    /// DTMF outside `0-9*#A-D`, a wrap-up label over 39 bytes, `callVariableN` outside 1–10 or
    /// over 40 bytes, ECC values over 2000 bytes in total, an empty update, or a
    /// parameterised action sent through the plain [`Action`](DialogRequest::Action) form.
    pub fn validate(&self) -> Result<(), ModelError> {
        match self {
            DialogRequest::MakeCall {
                from_address,
                to_address,
                call_variables,
            } => {
                not_empty("fromAddress", from_address)?;
                not_empty("toAddress", to_address)?;
                if from_address.trim() == to_address.trim() {
                    return Err(invalid("a call cannot be made to the calling extension"));
                }
                validate_call_variables(call_variables)
            }
            DialogRequest::Action {
                action,
                target_media_address,
            } => {
                if !PLAIN_ACTIONS.contains(action) {
                    return Err(invalid(format!(
                        "{action} is not a plain participant action; use its own request"
                    )));
                }
                not_empty("targetMediaAddress", target_media_address)
            }
            DialogRequest::ConsultCall {
                to_address,
                target_media_address,
            }
            | DialogRequest::TransferSst {
                to_address,
                target_media_address,
            } => {
                not_empty("toAddress", to_address)?;
                not_empty("targetMediaAddress", target_media_address)
            }
            DialogRequest::SendDtmf {
                dtmf,
                target_media_address,
            } => {
                not_empty("dtmfString", dtmf)?;
                if let Some(bad) = dtmf.chars().find(|c| !DTMF_CHARACTERS.contains(*c)) {
                    return Err(invalid(format!(
                        "'{bad}' is not a DTMF digit (0-9 * # A-D)"
                    )));
                }
                not_empty("targetMediaAddress", target_media_address)
            }
            DialogRequest::UpdateCallData {
                wrap_up_reason,
                call_variables,
            } => {
                if wrap_up_reason.is_none() && call_variables.is_empty() {
                    return Err(invalid(
                        "the update sets neither a wrap-up reason nor call variables",
                    ));
                }
                if let Some(reason) = wrap_up_reason {
                    not_empty("wrapUpReason", reason)?;
                    if reason.len() > MAX_WRAP_UP_REASON_BYTES {
                        return Err(invalid(format!(
                            "the wrap-up reason is {} bytes; at most {MAX_WRAP_UP_REASON_BYTES} are allowed",
                            reason.len()
                        )));
                    }
                }
                validate_call_variables(call_variables)
            }
            DialogRequest::SilentMonitor {
                from_address,
                to_address,
            } => {
                not_empty("fromAddress", from_address)?;
                not_empty("toAddress", to_address)?;
                if from_address.trim() == to_address.trim() {
                    return Err(invalid("a supervisor cannot monitor their own extension"));
                }
                Ok(())
            }
            DialogRequest::BargeCall {
                from_address,
                to_address,
                associated_dialog_uri,
            } => {
                not_empty("fromAddress", from_address)?;
                not_empty("toAddress", to_address)?;
                not_empty("associatedDialogUri", associated_dialog_uri)
            }
            DialogRequest::ParticipantDrop {
                target_media_address,
            } => not_empty("targetMediaAddress", target_media_address),
        }
    }
}

fn write_call_variables(w: &mut XmlWriter, variables: &[CallVariable]) {
    w.open("callvariables");
    for variable in variables {
        w.open("CallVariable")
            .text_element("name", &variable.name)
            .text_element("value", &variable.value)
            .close();
    }
    w.close();
}

fn invalid(reason: impl Into<String>) -> ModelError {
    ModelError::invalid("Dialog", reason)
}

fn not_empty(field: &str, value: &str) -> Result<(), ModelError> {
    if value.trim().is_empty() {
        Err(invalid(format!("{field} is empty")))
    } else {
        Ok(())
    }
}

/// The `N` of `callVariableN` (any case), if the name has that shape.
fn call_variable_index(name: &str) -> Option<&str> {
    let prefix = "callvariable";
    let head = name.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &name[prefix.len()..])
        .filter(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
}

fn validate_call_variables(variables: &[CallVariable]) -> Result<(), ModelError> {
    let mut ecc_bytes = 0;
    for variable in variables {
        not_empty("call variable name", &variable.name)?;
        if let Some(index) = call_variable_index(&variable.name) {
            if !matches!(index.parse::<u8>(), Ok(1..=10)) {
                return Err(invalid(format!(
                    "{} does not exist; call variables are callVariable1 to callVariable10",
                    variable.name
                )));
            }
            if variable.value.len() > MAX_CALL_VARIABLE_BYTES {
                return Err(invalid(format!(
                    "{} is {} bytes; at most {MAX_CALL_VARIABLE_BYTES} are allowed",
                    variable.name,
                    variable.value.len()
                )));
            }
        } else if variable.is_ecc() {
            ecc_bytes += variable.value.len();
        }
    }
    if ecc_bytes > MAX_ECC_TOTAL_BYTES {
        return Err(invalid(format!(
            "ECC values total {ecc_bytes} bytes; at most {MAX_ECC_TOTAL_BYTES} are allowed"
        )));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn call_variable_names_are_recognised_without_case() {
        assert_eq!(call_variable_index("callVariable10"), Some("10"));
        assert_eq!(call_variable_index("CALLVARIABLE3"), Some("3"));
        assert_eq!(call_variable_index("callVariable"), None);
        assert_eq!(call_variable_index("user.callVariable1"), None);
        assert_eq!(call_variable_index("callVariableX"), None);
    }

    #[test]
    fn requests_serialize_with_a_kind_tag() {
        let request = DialogRequest::Action {
            action: Action::Hold,
            target_media_address: "1001001".into(),
        };
        let json = serde_json::to_value(&request).unwrap();
        assert_eq!(json["kind"], "action");
        assert_eq!(json["action"], "HOLD");
        assert_eq!(json["targetMediaAddress"], "1001001");
    }
}
