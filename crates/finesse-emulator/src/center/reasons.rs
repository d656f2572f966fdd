//! Reason codes: configured ones (as a given agent sees them) and the system codes the
//! center applies by itself (§11).
//!
//! System codes are never listed by the ReasonCode APIs, but they appear in User payloads
//! with `systemCode` true. They get ids from [`crate::config::RESERVED_REASON_ID_RANGE`] so a
//! client can still treat `reasonCodeId` as a number.
use crate::config::{Flavour, ReasonCategory, ReasonCodeConfig};

use super::model::Reason;

/// Situations in which the center picks the reason code itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SystemReason {
    /// Ring-no-answer: UCCE 32767, UCCX 32763 (AGT_RNA).
    RingNoAnswer,
    /// UCCE 12.5+: MAKE_CALL from READY puts the agent NOT_READY with 50006.
    CallFromReady,
    /// A supervisor made the agent NOT_READY: UCCE 999, UCCX 33.
    SupervisorNotReady,
    /// A supervisor logged the agent out: UCCE 999, UCCX 22.
    SupervisorLogout,
    /// Presence-driven forced logout, UCCE LOAD = not ready: 50002 "Connection Failure".
    ConnectionFailure,
    /// Presence-driven forced logout that logs out: Finesse's 255.
    ForcedLogout,
}

impl SystemReason {
    pub fn reason(self, flavour: Flavour) -> Reason {
        use ReasonCategory::{Logout, NotReady};
        let (id, code, label, category) = match (flavour, self) {
            (Flavour::Ucce, SystemReason::RingNoAnswer) => {
                (9001, 32767, "Call Not Answered", NotReady)
            }
            (Flavour::Ucce, SystemReason::CallFromReady) => {
                (9002, 50006, "Outbound Call", NotReady)
            }
            (Flavour::Ucce, SystemReason::SupervisorNotReady) => {
                (9003, 999, "Supervisor Initiated", NotReady)
            }
            (Flavour::Ucce, SystemReason::SupervisorLogout) => {
                (9004, 999, "Supervisor Initiated", Logout)
            }
            (Flavour::Ucce, SystemReason::ConnectionFailure) => {
                (9005, 50002, "Connection Failure", NotReady)
            }
            (Flavour::Ucce, SystemReason::ForcedLogout) => (9006, 255, "Forced Logout", Logout),
            (Flavour::Uccx, SystemReason::RingNoAnswer) => {
                (9101, 32763, "Ring No Answer", NotReady)
            }
            (Flavour::Uccx, SystemReason::CallFromReady) => (9102, 32761, "Non-ICD Call", NotReady),
            (Flavour::Uccx, SystemReason::SupervisorNotReady) => {
                (9103, 33, "Supervisor Not Ready", NotReady)
            }
            (Flavour::Uccx, SystemReason::SupervisorLogout) => {
                (9104, 22, "Supervisor Logout", Logout)
            }
            (Flavour::Uccx, SystemReason::ConnectionFailure) => {
                (9105, 32765, "Connection Down", NotReady)
            }
            (Flavour::Uccx, SystemReason::ForcedLogout) => (9106, 255, "Forced Logout", Logout),
        };
        Reason {
            id: id.to_string(),
            code,
            label: label.to_owned(),
            category,
            for_all: true,
            system: true,
        }
    }
}

/// A configured code as applied to an agent.
pub(crate) fn configured(code: &ReasonCodeConfig) -> Reason {
    Reason {
        id: code.id.clone(),
        code: code.code,
        label: code.label.clone(),
        category: code.category,
        for_all: code.for_all,
        system: false,
    }
}

/// Whether an agent of `team` may use a code assigned with `for_all` / `teams`.
pub(crate) fn visible_to_team(for_all: bool, teams: &[String], team: Option<&str>) -> bool {
    for_all || team.is_some_and(|t| teams.iter().any(|x| x == t))
}
