//! Where the password comes from: stdin, the environment, or the OS keychain — never argv.
use std::io::BufRead;

use finesse::rest::Secret;

use super::error::CliError;
use crate::keychain::{account_for, OsKeychain, SecretStore};

/// The environment variable holding the password.
pub const PASSWORD_ENV: &str = "RINGSIDE_PASSWORD";

/// The password for `user` on `host`, from the first source that has one.
pub fn password(from_stdin: bool, user: &str, host: &str) -> Result<Secret, CliError> {
    if from_stdin {
        return read_stdin();
    }
    if let Ok(value) = std::env::var(PASSWORD_ENV) {
        if !value.is_empty() {
            return Ok(Secret::new(value));
        }
    }
    let account = account_for(user, host);
    match OsKeychain::new().get(&account) {
        Ok(Some(secret)) if !secret.is_empty() => Ok(Secret::new(secret)),
        Ok(_) => Err(CliError::NoPassword {
            account,
            detail: None,
        }),
        Err(error) => Err(CliError::NoPassword {
            account,
            detail: Some(error.to_string()),
        }),
    }
}

fn read_stdin() -> Result<Secret, CliError> {
    let mut first = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut first)
        .map_err(|e| CliError::Usage(format!("cannot read the password from stdin: {e}")))?;
    let password = first.trim_end_matches(['\r', '\n']);
    if password.is_empty() {
        return Err(CliError::Usage(
            "--password-stdin: standard input has no password".to_owned(),
        ));
    }
    Ok(Secret::new(password))
}
