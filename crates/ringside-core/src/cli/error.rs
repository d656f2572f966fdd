//! CLI failures, their `{code, message}` and their exit codes.
use finesse::session::SessionError;

use crate::keychain::KeychainError;

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: the command line is wrong (or no password source).
pub const EXIT_USAGE: u8 = 2;
/// Exit code: Finesse refused the credentials.
pub const EXIT_AUTH: u8 = 3;
/// Exit code: Finesse could not be reached (or the connection failed).
pub const EXIT_UNREACHABLE: u8 = 4;
/// Exit code: Finesse refused the request (or its rules forbid it).
pub const EXIT_REFUSED: u8 = 5;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Usage(String),
    #[error("no password: use --password-stdin, set RINGSIDE_PASSWORD, or save it in the keychain (service `ringside`, account `{account}`){}", detail.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    NoPassword {
        account: String,
        detail: Option<String>,
    },
    #[error("no call allows {action} right now")]
    NoCallFor { action: String },
    #[error("not connected within {seconds} s (last state: {state})")]
    ConnectTimeout { seconds: u64, state: String },
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error("the doctor found problems: {0}")]
    Doctor(String),
    #[error("cannot write the output: {0}")]
    Output(String),
}

impl CliError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            CliError::Usage(_) => "usage",
            CliError::NoPassword { .. } => "no_password",
            CliError::NoCallFor { .. } => "action_not_allowed",
            CliError::ConnectTimeout { .. } => "unreachable",
            CliError::Session(error) => error.code(),
            CliError::Doctor(_) => "doctor_failed",
            CliError::Output(_) => "output_failed",
        }
    }

    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) | CliError::NoPassword { .. } => EXIT_USAGE,
            CliError::NoCallFor { .. } => EXIT_REFUSED,
            CliError::ConnectTimeout { .. } | CliError::Doctor(_) | CliError::Output(_) => {
                EXIT_UNREACHABLE
            }
            CliError::Session(error) => session_exit_code(error),
        }
    }
}

fn session_exit_code(error: &SessionError) -> u8 {
    match error {
        SessionError::AuthenticationFailed { .. } => EXIT_AUTH,
        SessionError::InvalidConfig { .. } => EXIT_USAGE,
        SessionError::Rejected { .. }
        | SessionError::ActionNotAllowed { .. }
        | SessionError::DialogNotFound { .. }
        | SessionError::NotSignedIn
        | SessionError::NotSupervisor
        | SessionError::InvalidRequest { .. } => EXIT_REFUSED,
        SessionError::NotConnected { .. }
        | SessionError::CommandTimeout { .. }
        | SessionError::ConnectionLost
        | SessionError::OutOfService { .. }
        | SessionError::Unreachable { .. }
        | SessionError::SignedInElsewhere
        | SessionError::SessionClosed
        | SessionError::Protocol { .. } => EXIT_UNREACHABLE,
    }
}

impl From<KeychainError> for CliError {
    fn from(error: KeychainError) -> Self {
        CliError::Usage(error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_documented_contract() {
        let auth = CliError::from(SessionError::AuthenticationFailed {
            message: "401".into(),
        });
        assert_eq!(
            (auth.code(), auth.exit_code()),
            ("authentication_failed", 3)
        );
        let unreachable = CliError::from(SessionError::Unreachable {
            message: "refused".into(),
        });
        assert_eq!(unreachable.exit_code(), 4);
        let refused = CliError::from(SessionError::Rejected {
            status: Some(400),
            errors: vec![],
        });
        assert_eq!(refused.exit_code(), 5);
        assert_eq!(CliError::Usage("bad".into()).exit_code(), 2);
        let no_call = CliError::NoCallFor {
            action: "HOLD".into(),
        };
        assert_eq!(
            (no_call.code(), no_call.exit_code()),
            ("action_not_allowed", 5)
        );
    }
}
