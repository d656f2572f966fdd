//! Why a request from the UI failed, in plain words with a stable code.
use finesse::model::ApiError;
use finesse::session::SessionError;

use crate::desk::{SignInDevice, UiError};
use crate::keychain::KeychainError;
use crate::team::TeamError;

/// A failed request. Every variant has a stable [`code`](AppError::code) the UI words by;
/// the `Display` text is the English fallback.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppError {
    /// A sign-in field is empty. The message starts with the field's name as the form
    /// spells it (`nodeA`, `user`, `password`, `extension`, `mobileAgent.dialNumber`,
    /// `mobileAgent.mode`) followed by `: `, so the UI can show it under that field.
    #[error("{field}: {what}")]
    FieldRequired {
        field: &'static str,
        what: &'static str,
    },
    /// Finesse refused the user and password. Never retried: five refusals lock the
    /// account for five minutes. (Finesse answers a wrong user the same way.)
    #[error("The user ID or password is not correct. After five failed attempts the account is locked for five minutes.")]
    WrongPassword,
    /// The account is locked after too many failed sign-ins.
    #[error("The account is locked after too many failed sign-ins. Try again in five minutes.")]
    AccountLocked,
    #[error("Finesse does not know this user.")]
    UnknownUser,
    /// Finesse refused the extension (not configured, or not a device the agent may use).
    #[error("The extension cannot be used: {detail}")]
    ExtensionInvalid { detail: String },
    #[error("The extension is already in use by another agent.")]
    ExtensionInUse,
    #[error("This agent may not sign in as a Mobile Agent.")]
    MobileAgentNotAllowed,
    /// The agent's line is shared by several phones (multi-line) and the form chose none of
    /// them. Nothing was sent to sign in; the phones are remembered for the sign-in screen
    /// (`SignInDefaults::devices`).
    #[error("Your line is shared by several phones. Choose the one you are using.")]
    DeviceChoiceRequired { devices: Vec<SignInDevice> },
    #[error("Finesse is out of service ({reason}); calls cannot be taken now.")]
    OutOfService { reason: String },
    /// The host does not resolve, refuses connections, or the session could not connect.
    #[error("Finesse cannot be reached: {detail}")]
    Unreachable { detail: String },
    /// The server's certificate is not trusted (the company CA may be missing).
    #[error("The Finesse server's certificate is not trusted: {detail}")]
    TlsUntrusted { detail: String },
    /// The CA file configured by IT (or `RINGSIDE_EXTRA_CA`) cannot be used.
    #[error("The certificate authority file cannot be used: {detail}")]
    CaFileInvalid { detail: String },
    #[error("Finesse did not answer in time.")]
    Timeout,
    #[error("Another Ringside or Finesse desktop signed in with this agent.")]
    SignedInElsewhere,
    #[error("Already signed in; sign out first.")]
    AlreadySignedIn,
    #[error("Not connected to Finesse right now.")]
    NotConnected,
    /// There is no call to write a wrap-up reason to.
    #[error("There is no call to wrap up.")]
    NoWrapUp,
    #[error("{message}")]
    InvalidRequest { message: String },
    /// Finesse wants a reason code for this state (reason codes are configured).
    #[error("Choose a reason first.")]
    ReasonRequired,
    #[error("No sound device was found, so the ringtone cannot be played.")]
    NoAudioDevice,
    #[error("The ringtone could not be played: {detail}")]
    RingtoneUnreadable { detail: String },
    #[error("The settings could not be saved: {detail}")]
    Settings { code: &'static str, detail: String },
    #[error(transparent)]
    Keychain(#[from] KeychainError),
    /// The Team view refused a supervisor's request; its `team_*` code passes through.
    #[error(transparent)]
    Team(#[from] TeamError),
    /// A command failed in the session; its own code passes through.
    #[error(transparent)]
    Session(SessionError),
}

impl AppError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::FieldRequired { .. } => "field_required",
            AppError::WrongPassword => "wrong_password",
            AppError::AccountLocked => "account_locked",
            AppError::UnknownUser => "unknown_user",
            AppError::ExtensionInvalid { .. } => "extension_invalid",
            AppError::ExtensionInUse => "extension_in_use",
            AppError::MobileAgentNotAllowed => "mobile_agent_not_allowed",
            AppError::DeviceChoiceRequired { .. } => "device_choice_required",
            AppError::OutOfService { .. } => "out_of_service",
            AppError::Unreachable { .. } => "unreachable",
            AppError::TlsUntrusted { .. } => "tls_untrusted",
            AppError::CaFileInvalid { .. } => "ca_file_invalid",
            AppError::Timeout => "timeout",
            AppError::SignedInElsewhere => "signed_in_elsewhere",
            AppError::AlreadySignedIn => "already_signed_in",
            AppError::NotConnected => "not_connected",
            AppError::NoWrapUp => "no_wrap_up",
            AppError::InvalidRequest { .. } => "invalid_request",
            AppError::ReasonRequired => "reason_required",
            AppError::NoAudioDevice => "no_audio_device",
            AppError::RingtoneUnreadable { .. } => "ringtone_unreadable",
            AppError::Settings { code, .. } => code,
            AppError::Keychain(e) => e.code(),
            AppError::Team(e) => e.code(),
            AppError::Session(e) => e.code(),
        }
    }

    pub(crate) fn field(field: &'static str, what: &'static str) -> Self {
        AppError::FieldRequired { field, what }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        AppError::InvalidRequest {
            message: message.into(),
        }
    }

    /// A failed command (not sign-in): `not_connected` stays itself, the rest pass through.
    pub(crate) fn from_command(error: SessionError) -> Self {
        let wants_reason = |errors: &[ApiError]| {
            errors.iter().any(|e| {
                let about_reason = e
                    .error_data
                    .as_deref()
                    .is_some_and(|d| d.trim().eq_ignore_ascii_case("reasonCodeId"));
                about_reason && has_type(e, "Parameter Missing")
            })
        };
        match error {
            SessionError::NotConnected { .. } => AppError::NotConnected,
            SessionError::Rejected { ref errors, .. } if wants_reason(errors) => {
                AppError::ReasonRequired
            }
            other => AppError::Session(other),
        }
    }

    /// Why the session could not connect during sign-in.
    pub(crate) fn from_connect(error: SessionError) -> Self {
        match error {
            SessionError::AuthenticationFailed { message } => {
                // Finesse's REST answers a locked account with the same 401; only XMPP
                // (SASL `account-disabled`) tells the difference.
                let lower = message.to_lowercase();
                if lower.contains("account-disabled") || lower.contains("locked") {
                    AppError::AccountLocked
                } else {
                    AppError::WrongPassword
                }
            }
            SessionError::Rejected { status, errors } => {
                let unknown = status == Some(404)
                    || errors.iter().any(|e| has_type(e, "User Not Found"))
                    || errors.iter().any(|e| has_message(e, "UNKNOWN_USER"));
                if unknown {
                    AppError::UnknownUser
                } else {
                    AppError::Session(SessionError::Rejected { status, errors })
                }
            }
            SessionError::OutOfService { reason } => AppError::OutOfService { reason },
            SessionError::Unreachable { message } => AppError::Unreachable { detail: message },
            SessionError::SignedInElsewhere => AppError::SignedInElsewhere,
            SessionError::CommandTimeout { .. } => AppError::Timeout,
            other => AppError::Session(other),
        }
    }

    /// Why Finesse refused the sign-in on the extension.
    pub(crate) fn from_sign_in(error: SessionError) -> Self {
        let Some(first) = error.api_error().cloned() else {
            return match error {
                SessionError::CommandTimeout { .. } => AppError::Timeout,
                SessionError::NotConnected { .. } | SessionError::ConnectionLost => {
                    AppError::Unreachable {
                        detail: error.to_string(),
                    }
                }
                other => AppError::from_connect(other),
            };
        };
        let errors = match &error {
            SessionError::Rejected { errors, .. } => errors.clone(),
            _ => vec![first.clone()],
        };
        if errors
            .iter()
            .any(|e| has_message(e, "CF_DEVICE_IN_USE") || has_message(e, "IN_USE"))
        {
            return AppError::ExtensionInUse;
        }
        if errors.iter().any(|e| has_type(e, "Mode Not Allowed")) {
            return AppError::MobileAgentNotAllowed;
        }
        let about_extension = errors.iter().any(|e| {
            has_type(e, "Invalid Device")
                || has_message(e, "CF_INVALID_LOGON_DEVICE_SPECIFIED")
                || e.error_message
                    .as_deref()
                    .is_some_and(|m| m.to_lowercase().contains("extension"))
        });
        if about_extension {
            return AppError::ExtensionInvalid {
                detail: describe_api_error(&first),
            };
        }
        if errors.iter().any(|e| has_type(e, "User Not Found")) {
            return AppError::UnknownUser;
        }
        AppError::Session(error)
    }
}

fn has_type(error: &ApiError, wanted: &str) -> bool {
    error
        .error_type
        .as_deref()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case(wanted))
}

fn has_message(error: &ApiError, wanted: &str) -> bool {
    error
        .error_message
        .as_deref()
        .is_some_and(|m| m.trim().to_uppercase().contains(wanted))
}

fn describe_api_error(error: &ApiError) -> String {
    error
        .peripheral_error_text
        .clone()
        .or_else(|| error.error_message.clone())
        .or_else(|| error.error_type.clone())
        .unwrap_or_else(|| "refused by Finesse".to_owned())
}

impl From<AppError> for UiError {
    fn from(error: AppError) -> Self {
        UiError {
            code: error.code().to_owned(),
            message: error.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_error(error_type: &str, message: &str) -> ApiError {
        ApiError {
            error_type: Some(error_type.to_owned()),
            error_message: Some(message.to_owned()),
            ..ApiError::default()
        }
    }

    fn rejected(error_type: &str, message: &str) -> SessionError {
        SessionError::Rejected {
            status: None,
            errors: vec![api_error(error_type, message)],
        }
    }

    #[test]
    fn refused_devices_name_the_extension_problem() {
        let in_use = AppError::from_sign_in(rejected("Invalid Device", "CF_DEVICE_IN_USE"));
        assert_eq!(in_use.code(), "extension_in_use");
        let unknown = AppError::from_sign_in(rejected(
            "Invalid Device",
            "CF_INVALID_LOGON_DEVICE_SPECIFIED",
        ));
        assert_eq!(unknown.code(), "extension_invalid");
        let mobile = AppError::from_sign_in(rejected("Mode Not Allowed", "CF_GENERIC"));
        assert_eq!(mobile.code(), "mobile_agent_not_allowed");
    }

    #[test]
    fn refused_credentials_are_a_wrong_password_unless_the_account_is_locked() {
        let wrong = AppError::from_connect(SessionError::AuthenticationFailed {
            message: "Finesse refused the credentials (HTTP 401)".to_owned(),
        });
        assert_eq!(wrong.code(), "wrong_password");
        let locked = AppError::from_connect(SessionError::AuthenticationFailed {
            message: "SASL failure: account-disabled [authentication_failed]".to_owned(),
        });
        assert_eq!(locked.code(), "account_locked");
        let unknown = AppError::from_connect(SessionError::Rejected {
            status: Some(404),
            errors: vec![api_error("User Not Found", "UNKNOWN_USER")],
        });
        assert_eq!(unknown.code(), "unknown_user");
    }

    #[test]
    fn a_missing_reason_code_asks_for_a_reason() {
        let missing = SessionError::Rejected {
            status: Some(400),
            errors: vec![ApiError {
                error_type: Some("Parameter Missing".to_owned()),
                error_message: Some("reasonCodeId is required".to_owned()),
                error_data: Some("reasonCodeId".to_owned()),
                ..ApiError::default()
            }],
        };
        assert_eq!(AppError::from_command(missing).code(), "reason_required");
        let other = rejected("Invalid State", "CF_INVALID_OBJECT_STATE");
        assert_eq!(AppError::from_command(other).code(), "rejected");
    }

    #[test]
    fn a_shared_line_asks_for_a_phone_in_plain_words() {
        let error = UiError::from(AppError::DeviceChoiceRequired {
            devices: vec![SignInDevice {
                id: "SEP001122331018".to_owned(),
                type_name: Some("Cisco 7821".to_owned()),
            }],
        });
        assert_eq!(error.code, "device_choice_required");
        assert_eq!(
            error.message,
            "Your line is shared by several phones. Choose the one you are using."
        );
    }

    #[test]
    fn ui_errors_carry_the_code_and_plain_words() {
        let error = UiError::from(AppError::field("extension", "enter your extension"));
        assert_eq!(error.code, "field_required");
        assert_eq!(error.message, "extension: enter your extension");
    }
}
