use finesse_xml::Element;
use serde::{Deserialize, Serialize};

use super::{Notification, NotificationError, UpdateEvent};
use crate::model::{ApiError, Dialog, ModelError, Queue, SystemInfo, Team, TeamMember, User};

/// What a notification means for the client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "data")]
pub enum FinesseEvent {
    /// The signed-in user changed (state, reason, extension…).
    UserUpdated(User),
    /// Dialogs were added to the user's Dialogs collection (a call arrived or was placed).
    DialogsAdded(Vec<Dialog>),
    /// One dialog changed (a PUT whose source is the dialog). A DROPPED dialog stays until
    /// it is removed.
    DialogUpdated(Dialog),
    /// Dialogs left the collection (the call ended for this user).
    DialogsRemoved(Vec<Dialog>),
    /// A member of a supervised team changed (node `/finesse/api/Team/{id}/Users`).
    #[serde(rename_all = "camelCase")]
    TeamMemberUpdated { team_id: String, member: TeamMember },
    /// A whole team was published.
    TeamUpdated(Team),
    /// Queue statistics changed.
    QueueUpdated(Queue),
    /// The node's status changed (e.g. OUT_OF_SERVICE during CTI failover).
    SystemInfoUpdated(SystemInfo),
    /// CTI rejected a request on `source` (correlate by the notification's request id).
    #[serde(rename_all = "camelCase")]
    ApiErrors {
        source: String,
        errors: Vec<ApiError>,
    },
    /// Anything this client does not handle (nonvoice media, team messages, queue list
    /// changes…). Ignored, never an error.
    Other { node: String, source: String },
}

impl Notification {
    /// Interprets the update by its payload root (any case), its event and its node.
    ///
    /// Nonvoice notifications (nodes with a `Media` segment) are [`FinesseEvent::Other`]:
    /// this client is voice only. Errors are reported whatever the node, so a request's
    /// failure is never lost.
    pub fn classify(&self) -> Result<FinesseEvent, NotificationError> {
        let other = || FinesseEvent::Other {
            node: self.node.clone(),
            source: self.update.source.clone(),
        };
        let Some(payload) = self.update.payload() else {
            return Ok(other());
        };
        let root = payload.name.to_ascii_lowercase();
        if root == "apierrors" || root == "apierror" {
            return Ok(FinesseEvent::ApiErrors {
                source: self.update.source.clone(),
                errors: read(payload, ApiError::list_from_element)?,
            });
        }
        if node_segments(&self.node).any(|s| s.eq_ignore_ascii_case("Media")) {
            return Ok(other());
        }
        let event = &self.update.event;
        let event = match root.as_str() {
            "user" => match team_users_node(&self.node) {
                Some(team_id) => FinesseEvent::TeamMemberUpdated {
                    team_id: team_id.to_owned(),
                    member: read(payload, TeamMember::from_element)?,
                },
                None => FinesseEvent::UserUpdated(read(payload, User::from_element)?),
            },
            "dialogs" => {
                let dialogs = read(payload, Dialog::list_from_element)?;
                match event {
                    UpdateEvent::Delete => FinesseEvent::DialogsRemoved(dialogs),
                    UpdateEvent::Post | UpdateEvent::Put => FinesseEvent::DialogsAdded(dialogs),
                    UpdateEvent::Other(_) => other(),
                }
            }
            "dialog" => {
                let dialog = read(payload, Dialog::from_element)?;
                match event {
                    UpdateEvent::Put => FinesseEvent::DialogUpdated(dialog),
                    UpdateEvent::Post => FinesseEvent::DialogsAdded(vec![dialog]),
                    UpdateEvent::Delete => FinesseEvent::DialogsRemoved(vec![dialog]),
                    UpdateEvent::Other(_) => other(),
                }
            }
            "team" => FinesseEvent::TeamUpdated(read(payload, Team::from_element)?),
            "queue" => FinesseEvent::QueueUpdated(read(payload, Queue::from_element)?),
            "systeminfo" => {
                FinesseEvent::SystemInfoUpdated(read(payload, SystemInfo::from_element)?)
            }
            _ => other(),
        };
        Ok(event)
    }
}

fn read<T>(
    payload: &Element,
    reader: impl Fn(&Element) -> Result<T, ModelError>,
) -> Result<T, NotificationError> {
    reader(payload).map_err(|source| NotificationError::Payload {
        object: payload.name.clone(),
        source,
    })
}

fn node_segments(node: &str) -> impl Iterator<Item = &str> {
    node.split('/').filter(|segment| !segment.is_empty())
}

/// The team id of a `/finesse/api/Team/{id}/Users` node.
fn team_users_node(node: &str) -> Option<&str> {
    let segments: Vec<&str> = node_segments(node).collect();
    match segments.as_slice() {
        [.., team, id, users]
            if team.eq_ignore_ascii_case("Team") && users.eq_ignore_ascii_case("Users") =>
        {
            Some(id)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn team_user_nodes_name_their_team() {
        assert_eq!(
            team_users_node("/finesse/api/Team/5005/Users"),
            Some("5005")
        );
        assert_eq!(team_users_node("/finesse/api/team/7/users/"), Some("7"));
        assert_eq!(team_users_node("/finesse/api/User/5005"), None);
        assert_eq!(team_users_node("/finesse/api/Team/5005"), None);
    }
}
