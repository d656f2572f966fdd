use chrono::{DateTime, Utc};
use finesse_xml::Element;
use serde::{Deserialize, Serialize};

use super::read::{self, xml_object};
use super::{parse_timestamp, wire_enum, Action, ModelError};

wire_enum! {
    /// The state of the dialog as a whole (voice).
    DialogState {
        /// Off hook.
        Initiating => "INITIATING",
        /// Dialing.
        Initiated => "INITIATED",
        /// Ringing.
        Alerting => "ALERTING",
        Active => "ACTIVE",
        Failed => "FAILED",
        /// No active participants left; a DELETE follows.
        Dropped => "DROPPED",
        /// An outbound preview reservation was accepted.
        Accepted => "ACCEPTED",
    }
}

wire_enum! {
    /// One participant's state in a dialog.
    ParticipantState {
        Initiating => "INITIATING",
        Initiated => "INITIATED",
        Alerting => "ALERTING",
        Active => "ACTIVE",
        Held => "HELD",
        Failed => "FAILED",
        Dropped => "DROPPED",
        WrapUp => "WRAP_UP",
        Accepted => "ACCEPTED",
    }
}

wire_enum! {
    /// `mediaProperties/callType`. Finesse's list is long and grows; `NULL` (seen after a
    /// failover) is read as no call type at all.
    CallType {
        AcdIn => "ACD_IN",
        PrerouteAcdIn => "PREROUTE_ACD_IN",
        PrerouteDirectAgent => "PREROUTE_DIRECT_AGENT",
        Transfer => "TRANSFER",
        OtherIn => "OTHER_IN",
        Out => "OUT",
        OverflowIn => "OVERFLOW_IN",
        AutoOut => "AUTO_OUT",
        AgentOut => "AGENT_OUT",
        AgentInside => "AGENT_INSIDE",
        AssistCall => "ASSIST_CALL",
        BargeInConsult => "BARGE_IN_CONSULT",
        Consult => "CONSULT",
        Conference => "CONFERENCE",
        Emergency => "EMERGENCY",
        SupervisorMonitor => "SUPERVISOR_MONITOR",
        Outbound => "OUTBOUND",
        OutboundPreview => "OUTBOUND_PREVIEW",
        OutboundCallback => "OUTBOUND_CALLBACK",
        OutboundPersonalCallback => "OUTBOUND_PERSONAL_CALLBACK",
    }
}

/// A call variable: `callVariable1..10`, an ECC variable `user.<name>` or an array element
/// `user.<name>[n]`, or an Outbound Option `BA*` variable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallVariable {
    pub name: String,
    /// Exactly as sent (not trimmed: CTI values may be padded); may be empty.
    pub value: String,
}

impl CallVariable {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        CallVariable {
            name: name.into(),
            value: value.into(),
        }
    }

    /// An Expanded Call Context variable (`user.` prefix).
    pub fn is_ecc(&self) -> bool {
        self.name.starts_with("user.")
    }
}

/// The call data of a dialog.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaProperties {
    pub dialed_number: Option<String>,
    pub dnis: Option<String>,
    pub call_type: Option<CallType>,
    pub queue_number: Option<String>,
    pub queue_name: Option<String>,
    pub media_id: Option<String>,
    pub call_key_call_id: Option<String>,
    pub call_key_sequence_num: Option<String>,
    pub call_key_prefix: Option<String>,
    pub wrap_up_reason: Option<String>,
    /// UCCX only.
    pub wrap_up_items: Vec<String>,
    pub outbound_classification: Option<String>,
    /// In document order.
    pub call_variables: Vec<CallVariable>,
}

/// One party of a dialog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Participant {
    /// The party's extension or number; empty if Finesse sent none (withheld caller id).
    pub media_address: String,
    /// `AGENT_DEVICE` for agent phones; usually absent for external parties.
    pub media_address_type: Option<String>,
    pub state: ParticipantState,
    /// Why a participant FAILED or DROPPED (`BUSY`, `BAD_DESTINATION`, `OTHER`…).
    pub state_cause: Option<String>,
    pub start_time: Option<String>,
    pub state_change_time: Option<String>,
    /// What this participant may do now.
    pub actions: Vec<Action>,
}

impl Participant {
    /// Reads a `<Participant>` element; `state` is required.
    pub fn from_element(element: &Element) -> Result<Self, ModelError> {
        read::expect_root(element, "Participant")?;
        Ok(Participant {
            media_address: read::text(element, "mediaAddress").unwrap_or_default(),
            media_address_type: read::text(element, "mediaAddressType"),
            state: ParticipantState::from_wire(&read::required(element, "state", "Participant")?),
            state_cause: read::text(element, "stateCause"),
            start_time: read::text(element, "startTime"),
            state_change_time: read::text(element, "stateChangeTime"),
            actions: read::texts(element, "actions", "action")
                .iter()
                .map(|a| Action::from_wire(a))
                .collect(),
        })
    }

    /// A participant on an agent's phone.
    pub fn is_agent_device(&self) -> bool {
        self.media_address_type
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case("AGENT_DEVICE"))
    }

    /// `startTime` as UTC.
    pub fn started_at(&self) -> Option<DateTime<Utc>> {
        self.start_time.as_deref().and_then(parse_timestamp)
    }

    /// `stateChangeTime` as UTC.
    pub fn state_changed_at(&self) -> Option<DateTime<Utc>> {
        self.state_change_time.as_deref().and_then(parse_timestamp)
    }
}

/// Outbound Option scheduled callback details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScheduledCallbackInfo {
    /// `YYYY-MM-DDTHH:MM`.
    pub callback_time: Option<String>,
    pub callback_number: Option<String>,
}

/// A voice call as Finesse reports it (`GET /finesse/api/Dialog/{id}`, Dialog notifications).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dialog {
    pub id: String,
    pub uri: String,
    pub associated_dialog_uri: Option<String>,
    pub secondary_id: Option<String>,
    pub media_type: Option<String>,
    /// The originator of the original call.
    pub from_address: Option<String>,
    /// The number dialed for the original call.
    pub to_address: Option<String>,
    pub state: DialogState,
    pub media_properties: MediaProperties,
    pub participants: Vec<Participant>,
    pub scheduled_callback_info: Option<ScheduledCallbackInfo>,
    pub call_guid: Option<String>,
}

xml_object!(Dialog, root = "Dialog", list = "Dialogs");

/// Media properties that are not call variables but can be named by a layout entry.
const BUILT_IN_PROPERTIES: &[&str] = &[
    "DNIS",
    "dialedNumber",
    "callType",
    "fromAddress",
    "toAddress",
    "queueName",
    "queueNumber",
    "wrapUpReason",
    "callKeyCallId",
    "callKeySequenceNum",
    "callKeyPrefix",
    "mediaId",
    "outboundClassification",
];

impl Dialog {
    /// Reads a `<Dialog>`/`<dialog>` element. Requires an id (or a uri to take it from) and
    /// a state; participants without a state are an error too.
    pub fn from_element(element: &Element) -> Result<Self, ModelError> {
        read::expect_root(element, "Dialog")?;
        let id = read::id_or_uri_tail(element).ok_or(ModelError::missing("Dialog", "id"))?;
        let state = DialogState::from_wire(&read::required(element, "state", "Dialog")?);
        let participants = match element.child("participants") {
            Some(list) => list
                .children_named("Participant")
                .map(Participant::from_element)
                .collect::<Result<Vec<_>, _>>()?,
            None => Vec::new(),
        };
        Ok(Dialog {
            uri: read::text(element, "uri").unwrap_or_else(|| format!("/finesse/api/Dialog/{id}")),
            id,
            associated_dialog_uri: read::text(element, "associatedDialogUri"),
            secondary_id: read::text(element, "secondaryId"),
            media_type: read::text(element, "mediaType"),
            from_address: read::text(element, "fromAddress"),
            to_address: read::text(element, "toAddress"),
            state,
            media_properties: element
                .child("mediaProperties")
                .map(media_properties)
                .unwrap_or_default(),
            participants,
            scheduled_callback_info: element
                .child("scheduledCallbackInfo")
                .and_then(scheduled_callback),
            call_guid: read::text(element, "callGUID"),
        })
    }

    /// The participant on this extension — the one whose actions drive the agent's buttons.
    pub fn participant_for(&self, extension: &str) -> Option<&Participant> {
        let extension = extension.trim();
        self.participants
            .iter()
            .find(|p| !extension.is_empty() && p.media_address == extension)
    }

    /// The actions the participant on this extension may take (empty if not a participant).
    pub fn actions_for(&self, extension: &str) -> &[Action] {
        self.participant_for(extension)
            .map(|p| p.actions.as_slice())
            .unwrap_or(&[])
    }

    /// Whether the participant on this extension may take `action` now.
    pub fn allows(&self, extension: &str, action: &Action) -> bool {
        self.actions_for(extension).contains(action)
    }

    /// A call variable's value by exact name (`callVariable3`, `user.acct`, `user.arr[2]`),
    /// falling back to a case-insensitive match. Empty values read as absent.
    pub fn call_variable(&self, name: &str) -> Option<&str> {
        let variables = &self.media_properties.call_variables;
        variables
            .iter()
            .find(|v| v.name == name)
            .or_else(|| variables.iter().find(|v| v.name.eq_ignore_ascii_case(name)))
            .map(|v| v.value.as_str())
            .filter(|value| !value.trim().is_empty())
    }

    /// The ECC (`user.*`) variables, in document order.
    pub fn ecc_variables(&self) -> impl Iterator<Item = &CallVariable> + '_ {
        self.media_properties
            .call_variables
            .iter()
            .filter(|v| v.is_ecc())
    }

    /// A supervisor's silent-monitor call (call type `SUPERVISOR_MONITOR`).
    pub fn is_silent_monitor(&self) -> bool {
        self.media_properties.call_type == Some(CallType::SupervisorMonitor)
    }

    /// The value a layout entry's `mediaProperty` names: a built-in property (`DNIS`,
    /// `dialedNumber`, `callType`, `fromAddress`, `toAddress`, `queueName`, `queueNumber`,
    /// `wrapUpReason`, the call keys…) or else a call variable. Empty values read as absent.
    pub fn media_property(&self, name: &str) -> Option<&str> {
        let name = name.trim();
        match BUILT_IN_PROPERTIES
            .iter()
            .find(|built_in| built_in.eq_ignore_ascii_case(name))
        {
            Some(built_in) => self.built_in_property(built_in),
            None => self.call_variable(name),
        }
    }

    fn built_in_property(&self, name: &str) -> Option<&str> {
        let mp = &self.media_properties;
        let value = match name {
            "DNIS" => mp.dnis.as_deref(),
            "dialedNumber" => mp.dialed_number.as_deref(),
            "callType" => mp.call_type.as_ref().map(CallType::as_str),
            "fromAddress" => self.from_address.as_deref(),
            "toAddress" => self.to_address.as_deref(),
            "queueName" => mp.queue_name.as_deref(),
            "queueNumber" => mp.queue_number.as_deref(),
            "wrapUpReason" => mp.wrap_up_reason.as_deref(),
            "callKeyCallId" => mp.call_key_call_id.as_deref(),
            "callKeySequenceNum" => mp.call_key_sequence_num.as_deref(),
            "callKeyPrefix" => mp.call_key_prefix.as_deref(),
            "mediaId" => mp.media_id.as_deref(),
            "outboundClassification" => mp.outbound_classification.as_deref(),
            _ => None,
        };
        value.filter(|v| !v.is_empty())
    }
}

fn media_properties(element: &Element) -> MediaProperties {
    MediaProperties {
        dialed_number: read::text(element, "dialedNumber"),
        dnis: read::text(element, "DNIS"),
        call_type: element
            .child_text("callType")
            .filter(|t| !t.eq_ignore_ascii_case("NULL"))
            .map(CallType::from_wire),
        queue_number: read::text(element, "queueNumber"),
        queue_name: read::text(element, "queueName"),
        media_id: read::text(element, "mediaId"),
        call_key_call_id: read::text(element, "callKeyCallId"),
        call_key_sequence_num: read::text(element, "callKeySequenceNum"),
        call_key_prefix: read::text(element, "callKeyPrefix"),
        wrap_up_reason: read::text(element, "wrapUpReason"),
        wrap_up_items: read::texts(element, "wrapUpItems", "wrapUpItem"),
        outbound_classification: read::text(element, "outboundClassification"),
        call_variables: element
            .child("callvariables")
            .map(|list| {
                list.children_named("CallVariable")
                    .filter_map(call_variable)
                    .collect()
            })
            .unwrap_or_default(),
    }
}

fn call_variable(element: &Element) -> Option<CallVariable> {
    Some(CallVariable {
        name: read::text(element, "name")?,
        value: element
            .child("value")
            .map(|v| v.text.clone())
            .unwrap_or_default(),
    })
}

fn scheduled_callback(element: &Element) -> Option<ScheduledCallbackInfo> {
    let info = ScheduledCallbackInfo {
        callback_time: read::text(element, "callbackTime"),
        callback_number: read::text(element, "callbackNumber"),
    };
    (info.callback_time.is_some() || info.callback_number.is_some()).then_some(info)
}
