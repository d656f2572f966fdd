//! Passwords in the OS keychain, never in a file.
//!
//! [`SecretStore`] is what the app needs from a keychain; [`OsKeychain`] is the real one
//! (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows, through the
//! `keyring` crate) and [`MemoryKeychain`] keeps secrets in memory for tests of the app.
//!
//! Entries live under the service [`SERVICE`] with the account `<user>@<host>` (see
//! [`account_for`]), so one agent ID on two contact centers keeps two passwords.
use std::collections::HashMap;
use std::sync::Mutex;

/// The keychain service name every Ringside entry is filed under.
pub const SERVICE: &str = "ringside";

/// Why the keychain could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeychainError {
    /// No keychain service answers (e.g. no Secret Service on the D-Bus session bus).
    #[error("the system keychain is not available: {detail}")]
    Unavailable { detail: String },
    /// The keychain exists but is locked or access was refused.
    #[error("the system keychain is locked or refused access: {detail}")]
    Locked { detail: String },
    /// The stored secret is not text.
    #[error("the saved password could not be read as text")]
    BadEncoding,
    /// The account name does not fit the keychain's rules.
    #[error("the keychain refused the account name: {detail}")]
    InvalidAccount { detail: String },
    /// Several entries match one account.
    #[error("the keychain holds several entries for this account")]
    Ambiguous,
}

impl KeychainError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            KeychainError::Unavailable { .. } => "keychain_unavailable",
            KeychainError::Locked { .. } => "keychain_locked",
            KeychainError::BadEncoding => "keychain_bad_encoding",
            KeychainError::InvalidAccount { .. } => "keychain_invalid_account",
            KeychainError::Ambiguous => "keychain_ambiguous",
        }
    }
}

/// The keychain account for a user on a Finesse host: `<user>@<host>`, both lower-cased
/// (Finesse IDs and host names are case-insensitive), the host without a port.
pub fn account_for(user: &str, host: &str) -> String {
    format!(
        "{}@{}",
        user.trim().to_lowercase(),
        host_without_port(host.trim()).to_lowercase()
    )
}

fn host_without_port(host: &str) -> &str {
    if host.starts_with('[') {
        // A bracketed IPv6 literal, with or without a port after it.
        return host.find(']').map_or(host, |end| &host[..=end]);
    }
    match host.split_once(':') {
        Some((name, port)) if !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    }
}

/// Where passwords are kept. Calls block (the OS keychain talks D-Bus or a system API), so
/// async callers run them on a blocking thread.
pub trait SecretStore: Send + Sync {
    /// The saved secret of `account`, or `None` when there is none.
    fn get(&self, account: &str) -> Result<Option<String>, KeychainError>;
    /// Save (or replace) the secret of `account`.
    fn set(&self, account: &str, secret: &str) -> Result<(), KeychainError>;
    /// Forget the secret of `account`; forgetting one that is not there is not an error.
    fn delete(&self, account: &str) -> Result<(), KeychainError>;
}

/// The operating system's keychain, through the `keyring` crate.
#[derive(Debug, Clone)]
pub struct OsKeychain {
    service: String,
}

impl Default for OsKeychain {
    fn default() -> Self {
        OsKeychain::new()
    }
}

impl OsKeychain {
    /// Entries under the service [`SERVICE`].
    pub fn new() -> Self {
        OsKeychain::with_service(SERVICE)
    }

    /// Entries under another service name (tests keep theirs apart this way).
    pub fn with_service(service: impl Into<String>) -> Self {
        OsKeychain {
            service: service.into(),
        }
    }

    fn entry(&self, account: &str) -> Result<keyring::Entry, KeychainError> {
        keyring::Entry::new(&self.service, account).map_err(map_error)
    }
}

impl SecretStore for OsKeychain {
    fn get(&self, account: &str) -> Result<Option<String>, KeychainError> {
        match self.entry(account)?.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(other) => Err(map_error(other)),
        }
    }

    fn set(&self, account: &str, secret: &str) -> Result<(), KeychainError> {
        self.entry(account)?.set_password(secret).map_err(map_error)
    }

    fn delete(&self, account: &str) -> Result<(), KeychainError> {
        match self.entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(other) => Err(map_error(other)),
        }
    }
}

fn map_error(error: keyring::Error) -> KeychainError {
    match error {
        keyring::Error::NoStorageAccess(detail) => KeychainError::Locked {
            detail: detail.to_string(),
        },
        keyring::Error::PlatformFailure(detail) => KeychainError::Unavailable {
            detail: detail.to_string(),
        },
        keyring::Error::BadEncoding(_) => KeychainError::BadEncoding,
        keyring::Error::TooLong(attribute, limit) => KeychainError::InvalidAccount {
            detail: format!("{attribute} is longer than {limit}"),
        },
        keyring::Error::Invalid(attribute, reason) => KeychainError::InvalidAccount {
            detail: format!("{attribute}: {reason}"),
        },
        keyring::Error::Ambiguous(_) => KeychainError::Ambiguous,
        keyring::Error::NoEntry => KeychainError::Unavailable {
            detail: "no entry".to_owned(),
        },
        other => KeychainError::Unavailable {
            detail: other.to_string(),
        },
    }
}

/// Secrets in memory only, for tests of the app (never used by the product).
#[derive(Debug, Default)]
pub struct MemoryKeychain {
    secrets: Mutex<HashMap<String, String>>,
}

impl MemoryKeychain {
    pub fn new() -> Self {
        MemoryKeychain::default()
    }

    /// The accounts that hold a secret, sorted.
    pub fn accounts(&self) -> Vec<String> {
        let mut accounts: Vec<String> = self.lock().keys().cloned().collect();
        accounts.sort();
        accounts
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.secrets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl SecretStore for MemoryKeychain {
    fn get(&self, account: &str) -> Result<Option<String>, KeychainError> {
        Ok(self.lock().get(account).cloned())
    }

    fn set(&self, account: &str, secret: &str) -> Result<(), KeychainError> {
        self.lock().insert(account.to_owned(), secret.to_owned());
        Ok(())
    }

    fn delete(&self, account: &str) -> Result<(), KeychainError> {
        self.lock().remove(account);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_joins_user_and_host_without_port_in_lower_case() {
        assert_eq!(
            account_for("Agent1001", "FIN-A.example.com:8445"),
            "agent1001@fin-a.example.com"
        );
        assert_eq!(account_for(" jdoe ", "fin-b"), "jdoe@fin-b");
        assert_eq!(account_for("jdoe", "[::1]:8445"), "jdoe@[::1]");
        assert_eq!(account_for("jdoe", "::1"), "jdoe@::1");
    }

    #[test]
    fn memory_keychain_forgets_what_is_deleted() {
        let keychain = MemoryKeychain::new();
        keychain.set("a@h", "secret").unwrap();
        assert_eq!(keychain.get("a@h").unwrap().as_deref(), Some("secret"));
        keychain.delete("a@h").unwrap();
        keychain.delete("a@h").unwrap();
        assert_eq!(keychain.get("a@h").unwrap(), None);
    }
}
