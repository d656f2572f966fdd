//! Synchronous errors and their `ApiErrors` bodies (§8.1).
//!
//! ErrorType strings and the documented ErrorMessages (`UNAUTHORIZED`, `UNKNOWN_USER`,
//! `SERVER_OUT_OF_SERVICE`, "Invalid State specified for user", "Invalid dialogId specified
//! for dialog", "The user specified in the authentication credentials and the uri don't
//! match") are Finesse's; the other messages are this emulator's wording. Children are
//! written ErrorType, ErrorData, ErrorMessage (the order of the §3.3 and 503 examples;
//! real servers vary).
use finesse_xml::XmlWriter;

use crate::center::render::rest_body;
use crate::center::RestReply;

/// A request refused before anything changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RestError {
    pub status: u16,
    pub error_type: &'static str,
    pub message: String,
    pub data: String,
    pub headers: Vec<(String, String)>,
}

impl RestError {
    fn new(
        status: u16,
        error_type: &'static str,
        message: impl Into<String>,
        data: impl Into<String>,
    ) -> Self {
        RestError {
            status,
            error_type,
            message: message.into(),
            data: data.into(),
            headers: Vec::new(),
        }
    }

    /// Missing, malformed or wrong credentials, or a locked account.
    pub fn unauthorized(user: &str) -> Self {
        let mut e = RestError::new(401, "Authorization Failure", "UNAUTHORIZED", user);
        e.headers.push((
            "WWW-Authenticate".into(),
            "Basic realm=\"Cisco Finesse\"".into(),
        ));
        e
    }

    /// The authenticated user may not act on the user in the URI.
    pub fn user_mismatch(uri_user: &str) -> Self {
        RestError::new(
            401,
            "Invalid Authorization User Specified",
            "The user specified in the authentication credentials and the uri don't match",
            uri_user,
        )
    }

    pub fn invalid_supervisor(agent: &str) -> Self {
        RestError::new(
            401,
            "Invalid Supervisor",
            "The supervisor does not supervise the team of this agent",
            agent,
        )
    }

    /// A dialog action the target participant may not take now (§4.5).
    pub fn action_not_allowed(action: &str, participant_state: &str) -> Self {
        RestError::new(
            401,
            "Invalid State",
            format!("{action} is not allowed for a participant in state {participant_state}"),
            action,
        )
    }

    /// A state change or call request the user's current state does not allow.
    pub fn invalid_state(data: &str, message: impl Into<String>) -> Self {
        RestError::new(400, "Invalid State", message, data)
    }

    pub fn invalid_input(data: &str, message: impl Into<String>) -> Self {
        RestError::new(400, "Invalid Input", message, data)
    }

    /// An unknown or unsettable `state` value (§3.3 example).
    pub fn invalid_user_state() -> Self {
        RestError::invalid_input("state", "Invalid State specified for user")
    }

    pub fn missing(parameter: &str) -> Self {
        RestError::new(
            400,
            "Parameter Missing",
            format!("{parameter} is required"),
            parameter,
        )
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        RestError::new(400, "Bad Request", message, "")
    }

    pub fn invalid_destination(address: &str) -> Self {
        RestError::new(
            400,
            "Invalid Destination",
            "Invalid destination address specified",
            address,
        )
    }

    pub fn user_not_found(id: &str) -> Self {
        RestError::new(404, "User Not Found", "UNKNOWN_USER", id)
    }

    pub fn not_found(message: impl Into<String>, data: &str) -> Self {
        RestError::new(404, "Not Found", message, data)
    }

    /// Dialog GET: 404 `Not Found` (§3.4).
    pub fn dialog_unknown(id: &str) -> Self {
        RestError::not_found("Invalid dialogId specified for dialog", id)
    }

    /// Dialog PUT: 404 `Dialog Not Found` (§4.5).
    pub fn dialog_not_found(id: &str) -> Self {
        RestError::new(
            404,
            "Dialog Not Found",
            "Invalid dialogId specified for dialog",
            id,
        )
    }

    pub fn team_not_found(id: &str) -> Self {
        RestError::new(404, "TeamId Not Found", "Invalid teamId specified", id)
    }

    pub fn method_not_allowed(allow: &str) -> Self {
        let mut e = RestError::new(405, "Method Not Allowed", "HTTP 405 Method Not Allowed", "");
        e.headers.push(("Allow".into(), allow.into()));
        e
    }

    /// A PUT/POST body that is not `application/xml` (JAX-RS answers 415).
    pub fn unsupported_media_type(content_type: &str) -> Self {
        RestError::new(
            415,
            "Unsupported Media Type",
            "The request body must be sent as application/xml",
            content_type,
        )
    }

    pub fn not_implemented(message: impl Into<String>, data: &str) -> Self {
        RestError::new(501, "Not Implemented", message, data)
    }

    pub fn out_of_service() -> Self {
        RestError::new(503, "Service Unavailable", "SERVER_OUT_OF_SERVICE", "")
    }

    /// The HTTP reply with the `ApiErrors` body.
    pub fn into_reply(self) -> RestReply {
        let mut w = XmlWriter::new();
        w.open("ApiErrors")
            .open("ApiError")
            .text_element("ErrorType", self.error_type)
            .text_element("ErrorData", &self.data)
            .text_element("ErrorMessage", &self.message);
        let mut headers = vec![("Content-Type".to_owned(), "application/xml".to_owned())];
        headers.extend(self.headers);
        RestReply {
            status: self.status,
            headers,
            body: rest_body(&w.finish()),
        }
    }
}
