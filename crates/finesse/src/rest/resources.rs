//! Typed Finesse resources on top of the generic client.

use super::client::{Accepted, RestClient};
use super::error::RestError;
use crate::model::request::{DialogRequest, UserRequest};
use crate::model::{
    Contact, Dialog, MediaPropertiesLayout, ModelError, PhoneBook, Queue, ReasonCategory,
    ReasonCode, SystemInfo, Team, User, WrapUpReason,
};

const API: &str = "/finesse/api";

/// Percent-encode one path segment (ids can be alphanumeric, login names can hold `.` or `@`).
fn segment(value: &str) -> String {
    // "." and ".." would be resolved away by URL normalisation.
    let only_dots = value.bytes().all(|b| b == b'.');
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'_' | b'~')
            || (byte == b'.' && !only_dots);
        if keep {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn query_value(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

fn user_path(user_id: &str) -> String {
    format!("{API}/User/{}", segment(user_id))
}

fn team_resource_path(team_id: &str) -> String {
    format!("{API}/TeamResource/{}", segment(team_id))
}

/// Read a 2xx body, turning a model error into `malformed_response`.
fn read<T>(
    path: &str,
    body: &str,
    reader: fn(&str) -> Result<T, ModelError>,
) -> Result<T, RestError> {
    reader(body).map_err(|e| RestError::MalformedResponse(format!("GET {path}: {e}")))
}

/// The answers that mean "this Finesse has no TeamResource API": try the per-user API instead.
fn team_resource_missing(error: &RestError) -> bool {
    matches!(error.status(), Some(404 | 405 | 501))
}

impl RestClient {
    async fn get_typed<T>(
        &self,
        path: &str,
        reader: fn(&str) -> Result<T, ModelError>,
    ) -> Result<T, RestError> {
        let body = self.get_xml(path).await?;
        read(path, &body, reader)
    }

    /// GET the TeamResource variant (12.5+, valid for every team member) when a team is known,
    /// falling back to the per-user variant on 404/405/501 (older releases, UCCX).
    async fn get_team_or_user<T>(
        &self,
        team_path: Option<String>,
        user_path: String,
        reader: fn(&str) -> Result<T, ModelError>,
    ) -> Result<T, RestError> {
        if let Some(team_path) = team_path {
            match self.get_xml(&team_path).await {
                Ok(body) => return read(&team_path, &body, reader),
                Err(e) if team_resource_missing(&e) => {
                    tracing::debug!(path = %team_path, code = e.code(), "no TeamResource API; using the per-user one");
                }
                Err(e) => return Err(e),
            }
        }
        self.get_typed(&user_path, reader).await
    }

    /// `GET /finesse/api/SystemInfo`.
    pub async fn system_info(&self) -> Result<SystemInfo, RestError> {
        self.get_typed(&format!("{API}/SystemInfo"), SystemInfo::from_xml)
            .await
    }

    /// `GET /finesse/api/User/{id}`.
    pub async fn user(&self, user_id: &str) -> Result<User, RestError> {
        self.get_typed(&user_path(user_id), User::from_xml).await
    }

    /// The User for a UCCE login name (12.5+): same path, the name in place of the id. The
    /// returned `loginId` is what every later call must use.
    pub async fn user_by_login_name(&self, login_name: &str) -> Result<User, RestError> {
        self.user(login_name).await
    }

    /// `GET /finesse/api/User/{id}/Dialogs`.
    pub async fn dialogs(&self, user_id: &str) -> Result<Vec<Dialog>, RestError> {
        self.get_typed(
            &format!("{}/Dialogs", user_path(user_id)),
            Dialog::list_from_xml,
        )
        .await
    }

    /// `GET /finesse/api/Dialog/{id}`.
    pub async fn dialog(&self, dialog_id: &str) -> Result<Dialog, RestError> {
        self.get_typed(
            &format!("{API}/Dialog/{}", segment(dialog_id)),
            Dialog::from_xml,
        )
        .await
    }

    /// `PUT /finesse/api/User/{id}`: sign in, change state, sign out.
    pub async fn put_user(
        &self,
        user_id: &str,
        request: &UserRequest,
    ) -> Result<Accepted, RestError> {
        request.validate()?;
        self.put_xml(&user_path(user_id), &request.to_xml()).await
    }

    /// `POST /finesse/api/User/{id}/Dialogs`: make a call.
    pub async fn post_dialog(
        &self,
        user_id: &str,
        request: &DialogRequest,
    ) -> Result<Accepted, RestError> {
        request.validate()?;
        self.post_xml(
            &format!("{}/Dialogs", user_path(user_id)),
            &request.to_xml(),
        )
        .await
    }

    /// `PUT /finesse/api/Dialog/{id}`: act on a call.
    pub async fn put_dialog(
        &self,
        dialog_id: &str,
        request: &DialogRequest,
    ) -> Result<Accepted, RestError> {
        request.validate()?;
        self.put_xml(
            &format!("{API}/Dialog/{}", segment(dialog_id)),
            &request.to_xml(),
        )
        .await
    }

    /// Not Ready or Logout reason codes; `None` asks for every category (`ALL`).
    pub async fn reason_codes(
        &self,
        user_id: &str,
        team_id: Option<&str>,
        category: Option<&ReasonCategory>,
    ) -> Result<Vec<ReasonCode>, RestError> {
        let query = format!(
            "?category={}",
            query_value(category.map_or("ALL", ReasonCategory::as_str))
        );
        self.get_team_or_user(
            team_id.map(|t| format!("{}/ReasonCodes{query}", team_resource_path(t))),
            format!("{}/ReasonCodes{query}", user_path(user_id)),
            ReasonCode::list_from_xml,
        )
        .await
    }

    /// Wrap-up reasons.
    pub async fn wrap_up_reasons(
        &self,
        user_id: &str,
        team_id: Option<&str>,
    ) -> Result<Vec<WrapUpReason>, RestError> {
        self.get_team_or_user(
            team_id.map(|t| format!("{}/WrapUpReasons", team_resource_path(t))),
            format!("{}/WrapUpReasons", user_path(user_id)),
            WrapUpReason::list_from_xml,
        )
        .await
    }

    /// The call-variable layout. The TeamResource variant lists the team's layouts; the first
    /// is the one assigned to the team. An empty team list falls back to the per-user layout.
    pub async fn media_properties_layout(
        &self,
        user_id: &str,
        team_id: Option<&str>,
    ) -> Result<MediaPropertiesLayout, RestError> {
        let layouts = self
            .get_team_or_user(
                team_id.map(|t| format!("{}/MediaPropertiesLayouts", team_resource_path(t))),
                format!("{}/MediaPropertiesLayout", user_path(user_id)),
                MediaPropertiesLayout::list_from_xml,
            )
            .await?;
        match layouts.into_iter().next() {
            Some(layout) => Ok(layout),
            None => {
                self.get_typed(
                    &format!("{}/MediaPropertiesLayout", user_path(user_id)),
                    MediaPropertiesLayout::from_xml,
                )
                .await
            }
        }
    }

    /// Phone books (the TeamResource variant embeds their contacts).
    pub async fn phone_books(
        &self,
        user_id: &str,
        team_id: Option<&str>,
    ) -> Result<Vec<PhoneBook>, RestError> {
        self.get_team_or_user(
            team_id.map(|t| format!("{}/PhoneBooks", team_resource_path(t))),
            format!("{}/PhoneBooks", user_path(user_id)),
            PhoneBook::list_from_xml,
        )
        .await
    }

    /// `GET /finesse/api/PhoneBook/{id}/Contacts`.
    pub async fn contacts(&self, phone_book_id: &str) -> Result<Vec<Contact>, RestError> {
        self.get_typed(
            &format!("{API}/PhoneBook/{}/Contacts", segment(phone_book_id)),
            Contact::list_from_xml,
        )
        .await
    }

    /// `GET /finesse/api/User/{id}/Queues`.
    pub async fn queues(&self, user_id: &str) -> Result<Vec<Queue>, RestError> {
        self.get_typed(
            &format!("{}/Queues", user_path(user_id)),
            Queue::list_from_xml,
        )
        .await
    }

    /// `GET /finesse/api/Queue/{id}`.
    pub async fn queue(&self, queue_id: &str) -> Result<Queue, RestError> {
        self.get_typed(
            &format!("{API}/Queue/{}", segment(queue_id)),
            Queue::from_xml,
        )
        .await
    }

    /// `GET /finesse/api/Team/{id}`, with `?includeLoggedOutAgents=true` when asked.
    pub async fn team(&self, team_id: &str, include_logged_out: bool) -> Result<Team, RestError> {
        let mut path = format!("{API}/Team/{}", segment(team_id));
        if include_logged_out {
            path.push_str("?includeLoggedOutAgents=true");
        }
        self.get_typed(&path, Team::from_xml).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_percent_encoded() {
        assert_eq!(segment("1001001"), "1001001");
        assert_eq!(segment("j.smith@corp"), "j.smith%40corp");
        assert_eq!(segment("a/../b c"), "a%2F..%2Fb%20c");
        assert_eq!(segment(".."), "%2E%2E");
    }
}
