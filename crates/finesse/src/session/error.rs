//! Session errors with stable codes the UI chooses its wording by.
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::model::ApiError;

/// Why a command or the session itself failed.
///
/// Serialises as `{ "code": …, "message": … }` (plus `errors` for Finesse rejections): the
/// UI picks its wording by `code`, never by matching `message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    /// The session is not connected (connecting, reconnecting, out of service, or ended), so
    /// the command was refused instead of queued.
    #[error("not connected to Finesse ({state})")]
    NotConnected { state: String },
    /// The agent's participant in this dialog does not list the action right now.
    #[error("{action} is not allowed on dialog {dialog_id} right now")]
    ActionNotAllowed { action: String, dialog_id: String },
    /// The dialog is not (or no longer) one of the agent's dialogs.
    #[error("dialog {dialog_id} is not one of the agent's dialogs")]
    DialogNotFound { dialog_id: String },
    /// The command needs the agent to be signed in on an extension.
    #[error("the agent is not signed in on an extension")]
    NotSignedIn,
    /// Supervisor commands need the Supervisor role.
    #[error("this command needs the Supervisor role")]
    NotSupervisor,
    /// The command breaks a rule Finesse documents, so it was not sent.
    #[error("invalid request: {message}")]
    InvalidRequest { message: String },
    /// Finesse (or the CTI server behind it) refused the request.
    #[error("refused by Finesse: {}", describe(errors, *status))]
    Rejected {
        /// HTTP status for a synchronous refusal; `None` for an asynchronous `apiErrors` event.
        status: Option<u16>,
        errors: Vec<ApiError>,
    },
    /// No confirming event and no error arrived in time; the outcome is unknown.
    #[error("no answer from Finesse within {seconds} s")]
    CommandTimeout { seconds: u64 },
    /// The connection dropped while the command was in flight; its outcome is unknown and the
    /// resync that follows shows the real state.
    #[error("the connection to Finesse was lost before the outcome was known")]
    ConnectionLost,
    /// Finesse did not accept the credentials. Retrying would only lock the account.
    #[error("authentication failed: {message}")]
    AuthenticationFailed { message: String },
    /// The node reports OUT_OF_SERVICE (or answered 503).
    #[error("Finesse is out of service: {reason}")]
    OutOfService { reason: String },
    /// A node could not be reached or did not complete a connection.
    #[error("Finesse unreachable: {message}")]
    Unreachable { message: String },
    /// Another session signed in with the same XMPP identity.
    #[error("signed in elsewhere: another session took over this identity")]
    SignedInElsewhere,
    /// The session was shut down or failed for good.
    #[error("the session has ended")]
    SessionClosed,
    /// The session configuration cannot work.
    #[error("invalid configuration: {message}")]
    InvalidConfig { message: String },
    /// Finesse answered something the session cannot use.
    #[error("unexpected answer from Finesse: {message}")]
    Protocol { message: String },
}

impl SessionError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            SessionError::NotConnected { .. } => "not_connected",
            SessionError::ActionNotAllowed { .. } => "action_not_allowed",
            SessionError::DialogNotFound { .. } => "dialog_not_found",
            SessionError::NotSignedIn => "not_signed_in",
            SessionError::NotSupervisor => "not_supervisor",
            SessionError::InvalidRequest { .. } => "invalid_request",
            SessionError::Rejected { .. } => "rejected",
            SessionError::CommandTimeout { .. } => "command_timeout",
            SessionError::ConnectionLost => "connection_lost",
            SessionError::AuthenticationFailed { .. } => "authentication_failed",
            SessionError::OutOfService { .. } => "out_of_service",
            SessionError::Unreachable { .. } => "unreachable",
            SessionError::SignedInElsewhere => "signed_in_elsewhere",
            SessionError::SessionClosed => "session_closed",
            SessionError::InvalidConfig { .. } => "invalid_config",
            SessionError::Protocol { .. } => "protocol_error",
        }
    }

    /// The `{ code, message }` pair for the UI.
    pub fn to_body(&self) -> ErrorBody {
        ErrorBody {
            code: self.code(),
            message: self.to_string(),
        }
    }

    /// The first Finesse error of a rejection (its CTI `errorType`/`errorMessage`/`errorData`).
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            SessionError::Rejected { errors, .. } => errors.first(),
            _ => None,
        }
    }
}

fn describe(errors: &[ApiError], status: Option<u16>) -> String {
    let listed: Vec<String> = errors.iter().map(ToString::to_string).collect();
    let text = if listed.is_empty() {
        "no error details".to_owned()
    } else {
        listed.join("; ")
    };
    match status {
        Some(status) => format!("HTTP {status}: {text}"),
        None => text,
    }
}

/// `{ code, message }`, what the UI and `ringside-cli --json` print for an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorBody {
    pub code: &'static str,
    pub message: String,
}

impl Serialize for SessionError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let errors = match self {
            SessionError::Rejected { errors, .. } => Some(errors),
            _ => None,
        };
        let mut s =
            serializer.serialize_struct("SessionError", if errors.is_some() { 3 } else { 2 })?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("message", &self.to_string())?;
        if let Some(errors) = errors {
            s.serialize_field("errors", errors)?;
        }
        s.end()
    }
}
