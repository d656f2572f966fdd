//! Credentials: Basic authentication and the 5-strikes / 5-minutes lockout (§2.2).
use std::time::Duration;

use base64::Engine as _;

use super::{AuthFailure, ContactCenter};
use crate::clock::SimTime;

/// Consecutive wrong passwords that lock an account.
pub(crate) const MAX_FAILED_LOGINS: u32 = 5;
/// How long a locked account stays locked.
pub(crate) const LOCKOUT: Duration = Duration::from_secs(5 * 60);

impl ContactCenter {
    /// Check a user's credentials (REST Basic auth and XMPP SASL PLAIN). `id` is the agent
    /// id or the login name, without case. Returns the canonical agent id.
    ///
    /// Five consecutive wrong passwords lock the account for five minutes of simulated
    /// time; while locked even the right password is refused.
    pub fn authenticate(
        &mut self,
        now: SimTime,
        id: &str,
        password: &str,
    ) -> Result<String, AuthFailure> {
        let idx = self
            .agent_index_by_name(id)
            .ok_or(AuthFailure::UnknownUser)?;
        let expected_matches = self.cfg.agents[idx].password == password;
        let agent = &mut self.st.agents[idx];
        if let Some(until) = agent.locked_until {
            if now < until {
                return Err(AuthFailure::LockedOut);
            }
            agent.locked_until = None;
            agent.failed_logins = 0;
        }
        if expected_matches {
            agent.failed_logins = 0;
            return Ok(self.cfg.agents[idx].id.clone());
        }
        agent.failed_logins += 1;
        if agent.failed_logins >= MAX_FAILED_LOGINS {
            agent.locked_until = Some(now.plus(LOCKOUT));
            agent.failed_logins = 0;
        }
        Err(AuthFailure::WrongPassword)
    }
}

/// `(user, password)` from an `Authorization: Basic …` header.
pub(crate) fn parse_basic(header: &str) -> Option<(String, String)> {
    let (scheme, value) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(value.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_header_is_decoded() {
        let header = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode("1001:pa:ss")
        );
        assert_eq!(parse_basic(&header), Some(("1001".into(), "pa:ss".into())));
        assert_eq!(parse_basic("Bearer abc"), None);
        assert_eq!(parse_basic("Basic !!!"), None);
    }
}
