//! Writing results: plain sentences or one JSON object per line, flushed at once.
use std::io::Write;

use finesse::model::User;
use serde::Serialize;

use super::error::CliError;

/// Writes one line to stdout and flushes it, so a reader sees each line as it happens.
pub fn line(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(|e| CliError::Output(e.to_string()))
}

/// Writes one value as a single JSON line.
pub fn json_line(value: &impl Serialize) -> Result<(), CliError> {
    let text = serde_json::to_string(value).map_err(|e| CliError::Output(e.to_string()))?;
    line(&text)
}

/// Reports an error on stderr: `{code, message}` in JSON mode, a sentence otherwise.
pub fn error(json: bool, error: &CliError) {
    let mut err = std::io::stderr().lock();
    let written = if json {
        let body = serde_json::json!({ "code": error.code(), "message": error.to_string() });
        writeln!(err, "{body}")
    } else {
        writeln!(err, "ringside-cli: {error}")
    };
    // Nothing sensible remains to be done if stderr itself is gone.
    drop(written.and_then(|()| err.flush()));
}

/// "Ada Lovelace (1001) is NOT_READY on extension 2001".
pub fn describe_user(user: &User) -> String {
    let mut text = format!("{} ({}) is {}", user.full_name(), user.login_id, user.state);
    if let Some(reason) = &user.reason_code {
        if !reason.label.is_empty() {
            text.push_str(&format!(" ({})", reason.label));
        }
    }
    if let Some(pending) = &user.pending_state {
        text.push_str(&format!(", then {pending}"));
    }
    if let Some(extension) = &user.extension {
        text.push_str(&format!(" on extension {extension}"));
    }
    text
}
