use super::wire_enum;

wire_enum! {
    /// An agent's state as Finesse reports it (`User/state`, `pendingState`).
    ///
    /// Serialized as the wire string (`"NOT_READY"`).
    AgentState {
        /// Request-only: signing in. Finesse answers with `NOT_READY`.
        Login => "LOGIN",
        Logout => "LOGOUT",
        NotReady => "NOT_READY",
        Ready => "READY",
        Reserved => "RESERVED",
        ReservedOutbound => "RESERVED_OUTBOUND",
        ReservedOutboundPreview => "RESERVED_OUTBOUND_PREVIEW",
        Talking => "TALKING",
        Hold => "HOLD",
        /// Wrap-up that ends in NOT_READY.
        Work => "WORK",
        /// Wrap-up that ends in READY (UCCE only).
        WorkReady => "WORK_READY",
        Unknown => "UNKNOWN",
    }
}

impl AgentState {
    /// States an agent may request for themselves with a state change.
    pub fn is_agent_settable(&self) -> bool {
        matches!(
            self,
            AgentState::Ready | AgentState::NotReady | AgentState::Logout
        )
    }

    /// Wrap-up after a call (`WORK` or `WORK_READY`).
    pub fn is_wrap_up(&self) -> bool {
        matches!(self, AgentState::Work | AgentState::WorkReady)
    }

    /// Signed in, whatever the state (not `LOGOUT`, `LOGIN` or `UNKNOWN`).
    pub fn is_signed_in(&self) -> bool {
        !matches!(
            self,
            AgentState::Logout | AgentState::Login | AgentState::Unknown
        )
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn wire_strings_round_trip_without_case() {
        for state in AgentState::KNOWN {
            assert_eq!(&AgentState::from_wire(state.as_str()), state);
            assert_eq!(
                &AgentState::from_wire(&state.as_str().to_ascii_lowercase()),
                state
            );
        }
        assert_eq!(
            " not_ready ".parse::<AgentState>().unwrap(),
            AgentState::NotReady
        );
    }

    #[test]
    fn unknown_states_are_kept_verbatim() {
        let state = AgentState::from_wire("ON_BREAK");
        assert_eq!(state, AgentState::Other("ON_BREAK".into()));
        assert_eq!(state.as_str(), "ON_BREAK");
        assert!(!state.is_known());
    }

    #[test]
    fn serializes_as_the_wire_string() {
        let json = serde_json::to_string(&AgentState::NotReady).unwrap();
        assert_eq!(json, "\"NOT_READY\"");
        let back: AgentState = serde_json::from_str("\"work_ready\"").unwrap();
        assert_eq!(back, AgentState::WorkReady);
    }
}
