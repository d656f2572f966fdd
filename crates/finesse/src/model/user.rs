use chrono::{DateTime, Utc};
use finesse_xml::Element;
use serde::{Deserialize, Serialize};

use super::read::{self, xml_object};
use super::{parse_timestamp, wire_enum, AgentState, ModelError, ReasonCategory, ReasonCode};

wire_enum! {
    /// A desktop role (`roles/role`).
    Role {
        Agent => "Agent",
        Supervisor => "Supervisor",
    }
}

wire_enum! {
    /// Whether wrap-up follows a call (`settings/wrapUpOnIncoming|Outgoing`).
    WrapUpMode {
        Required => "REQUIRED",
        RequiredWithWrapUpData => "REQUIRED_WITH_WRAP_UP_DATA",
        Optional => "OPTIONAL",
        NotAllowed => "NOT_ALLOWED",
    }
}

wire_enum! {
    /// How a mobile agent's remote phone is connected.
    MobileAgentMode {
        CallByCall => "CALL_BY_CALL",
        NailedConnection => "NAILED_CONNECTION",
    }
}

/// `settings/deviceSelection`: documented as `enabled`, seen as booleans elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DeviceSelection {
    /// `true`/`enabled` or `false`/`disabled`.
    Flag(bool),
    /// Any other value, verbatim.
    Text(String),
}

impl DeviceSelection {
    /// Reads the wire value, ignoring case.
    pub fn from_wire(value: &str) -> Self {
        match value.trim().to_ascii_lowercase().as_str() {
            "true" | "enabled" => DeviceSelection::Flag(true),
            "false" | "disabled" => DeviceSelection::Flag(false),
            _ => DeviceSelection::Text(value.trim().to_owned()),
        }
    }

    /// Whether multi-line device selection is on, when the value says so.
    pub fn is_enabled(&self) -> Option<bool> {
        match self {
            DeviceSelection::Flag(on) => Some(*on),
            DeviceSelection::Text(_) => None,
        }
    }
}

/// A user's desktop settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserSettings {
    pub wrap_up_on_incoming: Option<WrapUpMode>,
    pub wrap_up_on_outgoing: Option<WrapUpMode>,
    pub device_selection: Option<DeviceSelection>,
}

/// Mobile agent sign-in details (present only on the node the agent signed in on).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MobileAgent {
    pub mode: MobileAgentMode,
    pub dial_number: String,
}

/// A team the user supervises (`teams/Team`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamRef {
    pub id: String,
    pub name: Option<String>,
    pub uri: Option<String>,
}

/// A phone device the user may sign in on (12.x multi-line).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    pub device_id: String,
    pub device_type: Option<String>,
    pub device_type_name: Option<String>,
}

/// The signed-in agent or supervisor (`GET /finesse/api/User/{id}`, User notifications).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub uri: String,
    /// The agent id used in REST paths and the XMPP JID.
    pub login_id: String,
    pub login_name: Option<String>,
    pub roles: Vec<Role>,
    pub state: AgentState,
    /// Raw `stateChangeTime`; see [`User::state_changed_at`].
    pub state_change_time: Option<String>,
    /// The state the agent moves to when the current call ends.
    pub pending_state: Option<AgentState>,
    /// `None` when absent or `-1` (no code: just signed in, none configured, lost on failover).
    pub reason_code_id: Option<String>,
    pub reason_code: Option<ReasonCode>,
    pub settings: UserSettings,
    /// Empty (`None`) while logged out.
    pub extension: Option<String>,
    pub mobile_agent: Option<MobileAgent>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub team_id: Option<String>,
    pub team_name: Option<String>,
    pub skill_target_id: Option<String>,
    pub media_type: Option<String>,
    pub dialogs_uri: Option<String>,
    /// Teams this user supervises (supervisors only).
    pub teams: Vec<TeamRef>,
    pub services: Vec<String>,
    /// Seconds.
    pub wrap_up_timer: Option<u32>,
    pub active_device_id: Option<String>,
    pub devices: Vec<Device>,
}

xml_object!(User, root = "User", list = "Users");

impl User {
    /// Reads a `<User>`/`<user>` element. Requires `state` and an identity (`loginId`, or a
    /// `uri` to take it from).
    pub fn from_element(element: &Element) -> Result<Self, ModelError> {
        read::expect_root(element, "User")?;
        let (uri, login_id) = identity(element, "User")?;
        let state = AgentState::from_wire(&read::required(element, "state", "User")?);
        let fallback_category = match state {
            AgentState::NotReady => Some(ReasonCategory::NotReady),
            AgentState::Logout => Some(ReasonCategory::Logout),
            _ => None,
        };
        Ok(User {
            uri,
            login_id,
            login_name: read::text(element, "loginName"),
            roles: read::texts(element, "roles", "role")
                .iter()
                .map(|r| Role::from_wire(r))
                .collect(),
            state,
            state_change_time: read::text(element, "stateChangeTime"),
            pending_state: element
                .child_text("pendingState")
                .map(AgentState::from_wire),
            reason_code_id: reason_code_id(element),
            reason_code: element
                .child("ReasonCode")
                .and_then(|rc| ReasonCode::from_embedded(rc, fallback_category)),
            settings: element.child("settings").map(settings).unwrap_or_default(),
            extension: read::text(element, "extension"),
            mobile_agent: element.child("mobileAgent").and_then(mobile_agent),
            first_name: read::text(element, "firstName"),
            last_name: read::text(element, "lastName"),
            team_id: read::text(element, "teamId"),
            team_name: read::text(element, "teamName"),
            skill_target_id: read::text(element, "skillTargetId"),
            media_type: read::text(element, "mediaType"),
            dialogs_uri: read::text(element, "dialogs"),
            teams: element
                .child("teams")
                .map(|t| t.children_named("Team").filter_map(team_ref).collect())
                .unwrap_or_default(),
            services: read::texts(element, "services", "service"),
            wrap_up_timer: element.child_parse("wrapUpTimer"),
            active_device_id: read::text(element, "activeDeviceId"),
            devices: element
                .child("devices")
                .map(|d| d.children_named("device").filter_map(device).collect())
                .unwrap_or_default(),
        })
    }

    /// Has the Supervisor role.
    pub fn is_supervisor(&self) -> bool {
        self.roles.contains(&Role::Supervisor)
    }

    /// "First Last"; falls back to the login name, then the login id.
    pub fn full_name(&self) -> String {
        display_name(
            self.first_name.as_deref(),
            self.last_name.as_deref(),
            self.login_name.as_deref().unwrap_or(&self.login_id),
        )
    }

    /// `stateChangeTime` as UTC, when present and readable.
    pub fn state_changed_at(&self) -> Option<DateTime<Utc>> {
        self.state_change_time.as_deref().and_then(parse_timestamp)
    }

    /// Signed in as a mobile agent on this node.
    pub fn is_mobile_agent(&self) -> bool {
        self.mobile_agent.is_some()
    }
}

/// `(uri, loginId)` of a user-shaped element, each derived from the other when absent.
pub(crate) fn identity(
    element: &Element,
    object: &'static str,
) -> Result<(String, String), ModelError> {
    let uri = read::text(element, "uri");
    let login_id = read::text(element, "loginId")
        .or_else(|| uri.as_deref().and_then(read::uri_tail).map(str::to_owned))
        .ok_or(ModelError::missing(object, "loginId"))?;
    let uri = uri.unwrap_or_else(|| format!("/finesse/api/User/{login_id}"));
    Ok((uri, login_id))
}

/// `reasonCodeId`, with Finesse's `-1` ("no reason code") read as absent.
pub(crate) fn reason_code_id(element: &Element) -> Option<String> {
    read::text(element, "reasonCodeId").filter(|id| id != "-1")
}

pub(crate) fn display_name(first: Option<&str>, last: Option<&str>, fallback: &str) -> String {
    let joined = [first, last]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if joined.is_empty() {
        fallback.to_owned()
    } else {
        joined
    }
}

fn settings(element: &Element) -> UserSettings {
    UserSettings {
        wrap_up_on_incoming: element
            .child_text("wrapUpOnIncoming")
            .map(WrapUpMode::from_wire),
        wrap_up_on_outgoing: element
            .child_text("wrapUpOnOutgoing")
            .map(WrapUpMode::from_wire),
        device_selection: element
            .child_text("deviceSelection")
            .map(DeviceSelection::from_wire),
    }
}

fn mobile_agent(element: &Element) -> Option<MobileAgent> {
    let mode = element.child_text("mode");
    let dial_number = element.child_text("dialNumber");
    if mode.is_none() && dial_number.is_none() {
        return None;
    }
    Some(MobileAgent {
        mode: MobileAgentMode::from_wire(mode.unwrap_or_default()),
        dial_number: dial_number.unwrap_or_default().to_owned(),
    })
}

fn team_ref(element: &Element) -> Option<TeamRef> {
    Some(TeamRef {
        id: read::id_or_uri_tail(element)?,
        name: read::text(element, "name"),
        uri: read::text(element, "uri"),
    })
}

fn device(element: &Element) -> Option<Device> {
    Some(Device {
        device_id: read::text(element, "deviceId")?,
        device_type: read::text(element, "deviceType"),
        device_type_name: read::text(element, "deviceTypeName"),
    })
}
