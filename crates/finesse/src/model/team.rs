use chrono::{DateTime, Utc};
use finesse_xml::Element;
use serde::{Deserialize, Serialize};

use super::read::{self, xml_object};
use super::user::{display_name, identity, reason_code_id};
use super::{parse_timestamp, AgentState, ModelError, ReasonCategory, ReasonCode};

/// A team member as a supervisor sees it: a summary of the agent's User.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamMember {
    pub uri: String,
    pub login_id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub extension: Option<String>,
    /// `UNKNOWN` when the summary carried no state.
    pub state: AgentState,
    pub pending_state: Option<AgentState>,
    pub reason_code: Option<ReasonCode>,
    /// `None` when absent or `-1`.
    pub reason_code_id: Option<String>,
    pub state_change_time: Option<String>,
    pub dialogs_uri: Option<String>,
    /// UCCX only: `BUSY`/`IDLE` for manual outbound calls from NOT_READY.
    pub media_state: Option<String>,
}

xml_object!(TeamMember, root = "User");

impl TeamMember {
    /// Reads a `<User>` (Team GET) or `<user>` (team notification) summary; requires an
    /// identity (`loginId` or `uri`).
    pub fn from_element(element: &Element) -> Result<Self, ModelError> {
        read::expect_root(element, "User")?;
        let (uri, login_id) = identity(element, "User")?;
        let state = element
            .child_text("state")
            .map(AgentState::from_wire)
            .unwrap_or(AgentState::Unknown);
        let fallback_category = match state {
            AgentState::NotReady => Some(ReasonCategory::NotReady),
            AgentState::Logout => Some(ReasonCategory::Logout),
            _ => None,
        };
        Ok(TeamMember {
            uri,
            login_id,
            first_name: read::text(element, "firstName"),
            last_name: read::text(element, "lastName"),
            extension: read::text(element, "extension"),
            state,
            pending_state: element
                .child_text("pendingState")
                .map(AgentState::from_wire),
            reason_code: element
                .child("ReasonCode")
                .and_then(|rc| ReasonCode::from_embedded(rc, fallback_category)),
            reason_code_id: reason_code_id(element),
            state_change_time: read::text(element, "stateChangeTime"),
            dialogs_uri: read::text(element, "dialogs"),
            media_state: read::text(element, "mediaState"),
        })
    }

    /// "First Last", or the login id.
    pub fn full_name(&self) -> String {
        display_name(
            self.first_name.as_deref(),
            self.last_name.as_deref(),
            &self.login_id,
        )
    }

    /// `stateChangeTime` as UTC.
    pub fn state_changed_at(&self) -> Option<DateTime<Utc>> {
        self.state_change_time.as_deref().and_then(parse_timestamp)
    }
}

/// A team and its members (`GET /finesse/api/Team/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Team {
    pub id: String,
    pub uri: String,
    pub name: Option<String>,
    pub users: Vec<TeamMember>,
}

xml_object!(Team, root = "Team", list = "Teams");

impl Team {
    /// Reads a `<Team>`/`<team>` element; requires an id (or a uri to take it from).
    pub fn from_element(element: &Element) -> Result<Self, ModelError> {
        read::expect_root(element, "Team")?;
        let id = read::id_or_uri_tail(element).ok_or(ModelError::missing("Team", "id"))?;
        let users = match element.child("users") {
            Some(list) => list
                .children_named("User")
                .map(TeamMember::from_element)
                .collect::<Result<_, _>>()?,
            None => Vec::new(),
        };
        Ok(Team {
            uri: read::text(element, "uri").unwrap_or_else(|| format!("/finesse/api/Team/{id}")),
            id,
            name: read::text(element, "name"),
            users,
        })
    }

    /// The member with this login id.
    pub fn member(&self, login_id: &str) -> Option<&TeamMember> {
        self.users.iter().find(|m| m.login_id == login_id)
    }

    /// Replaces the member with the same login id, or adds it; `true` if anything changed.
    pub fn upsert_member(&mut self, member: TeamMember) -> bool {
        match self
            .users
            .iter_mut()
            .find(|m| m.login_id == member.login_id)
        {
            Some(existing) if *existing == member => false,
            Some(existing) => {
                *existing = member;
                true
            }
            None => {
                self.users.push(member);
                true
            }
        }
    }
}
