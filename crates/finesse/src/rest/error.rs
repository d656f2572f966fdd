//! What a REST call can end in, classified the way a session needs to react.

use std::fmt;

use crate::model::{ApiError, ModelError};
use crate::tls::TlsError;

/// A non-2xx answer: its status, a human message, and the `ApiErrors` of its body (if any).
#[derive(Debug, Clone, PartialEq)]
pub struct HttpFailure {
    pub status: u16,
    pub message: String,
    pub api_errors: Vec<ApiError>,
}

impl fmt::Display for HttpFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}: {}", self.status, self.message)
    }
}

/// Why a REST call failed.
#[derive(Debug, thiserror::Error)]
pub enum RestError {
    /// 401 `Authorization Failure` (or a bare 401): wrong id or password. Never retry: Finesse
    /// locks the account after five failures.
    #[error("Finesse refused the credentials ({0})")]
    AuthenticationFailed(HttpFailure),
    /// 401 `Invalid Authorization User Specified` / `Invalid Supervisor`: the signed-in user may
    /// not act on that resource.
    #[error("the signed-in user may not act on this resource ({0})")]
    ForbiddenUser(HttpFailure),
    /// 400/401 `Invalid State`: the request does not fit the agent's or call's current state.
    #[error("the request does not fit the current state ({0})")]
    InvalidState(HttpFailure),
    /// 503: Finesse is OUT_OF_SERVICE (CTI failover, dependent service down).
    #[error("Finesse is out of service ({0})")]
    OutOfService(HttpFailure),
    #[error("not found ({0})")]
    NotFound(HttpFailure),
    /// Any other 400; the `ApiErrors` say which parameter.
    #[error("Finesse rejected the request ({0})")]
    BadRequest(HttpFailure),
    /// 501: the feature does not exist on this deployment.
    #[error("not implemented on this Finesse ({0})")]
    NotImplemented(HttpFailure),
    #[error("Finesse server error ({0})")]
    ServerError(HttpFailure),
    #[error("unexpected answer ({0})")]
    UnexpectedStatus(HttpFailure),
    #[error("Finesse did not answer in time: {0}")]
    Timeout(String),
    /// DNS failure, connection refused or reset before the request was sent.
    #[error("cannot connect to Finesse: {0}")]
    Connect(String),
    /// The certificate is not trusted (or the handshake failed). There is no way to skip this.
    #[error("TLS failure talking to Finesse: {0}")]
    Tls(String),
    /// The connection dropped after the request was sent; its outcome is unknown.
    #[error("the connection to Finesse was lost mid-request: {0}")]
    ConnectionLost(String),
    /// A 2xx answer whose body is not the expected document.
    #[error("Finesse sent an unreadable answer: {0}")]
    MalformedResponse(String),
    /// The request was refused locally: sending it would only earn a 400.
    #[error("invalid request: {0}")]
    InvalidRequest(#[from] ModelError),
    /// The trust store could not be built.
    #[error(transparent)]
    Trust(#[from] TlsError),
}

impl RestError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            RestError::AuthenticationFailed(_) => "authentication_failed",
            RestError::ForbiddenUser(_) => "forbidden_user",
            RestError::InvalidState(_) => "invalid_state",
            RestError::OutOfService(_) => "out_of_service",
            RestError::NotFound(_) => "not_found",
            RestError::BadRequest(_) => "bad_request",
            RestError::NotImplemented(_) => "not_implemented",
            RestError::ServerError(_) => "server_error",
            RestError::UnexpectedStatus(_) => "unexpected_status",
            RestError::Timeout(_) => "timeout",
            RestError::Connect(_) => "connect",
            RestError::Tls(_) => "tls",
            RestError::ConnectionLost(_) => "connection_lost",
            RestError::MalformedResponse(_) => "malformed_response",
            RestError::InvalidRequest(_) => "invalid_request",
            RestError::Trust(e) => e.code(),
        }
    }

    /// The HTTP answer behind the error, if the server answered at all.
    pub fn http(&self) -> Option<&HttpFailure> {
        match self {
            RestError::AuthenticationFailed(h)
            | RestError::ForbiddenUser(h)
            | RestError::InvalidState(h)
            | RestError::OutOfService(h)
            | RestError::NotFound(h)
            | RestError::BadRequest(h)
            | RestError::NotImplemented(h)
            | RestError::ServerError(h)
            | RestError::UnexpectedStatus(h) => Some(h),
            _ => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        self.http().map(|h| h.status)
    }

    /// The `ApiErrors` Finesse sent (empty when there was no parsable body).
    pub fn api_errors(&self) -> &[ApiError] {
        self.http().map_or(&[], |h| h.api_errors.as_slice())
    }

    /// Refused credentials: nothing may retry with the same password.
    pub fn is_authentication_failure(&self) -> bool {
        matches!(self, RestError::AuthenticationFailed(_))
    }

    /// Worth trying again later (or on the other node): no answer in time, no connection, or
    /// Finesse out of service. Never true for refused credentials, TLS trust problems, or a
    /// connection lost mid-request (the request may have been applied).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            RestError::Timeout(_) | RestError::Connect(_) | RestError::OutOfService(_)
        )
    }
}

/// Classify a non-2xx answer by status and the `ErrorType`s of its `ApiErrors` body.
pub(crate) fn classify(status: u16, body: &str) -> RestError {
    let api_errors = if body.trim().is_empty() {
        Vec::new()
    } else {
        ApiError::list_from_xml(body).unwrap_or_default()
    };
    let has_type = |wanted: &str| {
        api_errors.iter().any(|e| {
            e.error_type
                .as_deref()
                .is_some_and(|t| t.trim().eq_ignore_ascii_case(wanted))
        })
    };
    let invalid_state = has_type("Invalid State");
    let wrong_user =
        has_type("Invalid Authorization User Specified") || has_type("Invalid Supervisor");
    let message = match api_errors.first() {
        Some(first) => first.to_string(),
        None => reason_phrase(status).to_owned(),
    };
    let failure = HttpFailure {
        status,
        message,
        api_errors,
    };
    match status {
        401 if wrong_user => RestError::ForbiddenUser(failure),
        401 | 400 if invalid_state => RestError::InvalidState(failure),
        401 => RestError::AuthenticationFailed(failure),
        400 => RestError::BadRequest(failure),
        404 => RestError::NotFound(failure),
        501 => RestError::NotImplemented(failure),
        503 => RestError::OutOfService(failure),
        500..=599 => RestError::ServerError(failure),
        _ => RestError::UnexpectedStatus(failure),
    }
}

fn reason_phrase(status: u16) -> &'static str {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("no reason given")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(error_type: &str, message: &str) -> String {
        format!(
            "<ApiErrors><ApiError><ErrorType>{error_type}</ErrorType><ErrorMessage>{message}</ErrorMessage>\
             <ErrorData>1001001</ErrorData></ApiError></ApiErrors>"
        )
    }

    #[test]
    fn statuses_and_error_types_map_to_codes() {
        let cases = [
            (
                401,
                body("Authorization Failure", "UNAUTHORIZED"),
                "authentication_failed",
            ),
            (401, String::new(), "authentication_failed"),
            (
                401,
                body("Invalid Authorization User Specified", "x"),
                "forbidden_user",
            ),
            (401, body("Invalid Supervisor", "x"), "forbidden_user"),
            (401, body("Invalid State", "x"), "invalid_state"),
            (400, body("Invalid State", "x"), "invalid_state"),
            (400, body("Parameter Missing", "extension"), "bad_request"),
            (404, body("User Not Found", "x"), "not_found"),
            (405, String::new(), "unexpected_status"),
            (501, body("Not Implemented", "x"), "not_implemented"),
            (
                503,
                body("Service Unavailable", "SERVER_OUT_OF_SERVICE"),
                "out_of_service",
            ),
            (500, "<html>boom</html>".to_owned(), "server_error"),
        ];
        for (status, body, code) in cases {
            assert_eq!(classify(status, &body).code(), code, "{status} {body}");
        }
    }

    #[test]
    fn only_transient_failures_are_retryable() {
        assert!(classify(503, "").is_retryable());
        assert!(!classify(401, "").is_retryable());
        assert!(classify(401, "").is_authentication_failure());
        assert!(RestError::Timeout("t".into()).is_retryable());
        assert!(!RestError::Tls("untrusted".into()).is_retryable());
        assert!(!RestError::ConnectionLost("reset".into()).is_retryable());
    }
}
