//! System reason codes in plain words (finesse-protocol.md §11).
//!
//! Finesse and the CTI server change an agent's state by themselves with reserved codes:
//! 255 after the desktop's presence went away for 60 s, 50002 on UCCE for a connection
//! failure, 999 for a supervisor, and so on. The agent should read *why*, not a number.
//! UCCE and UCCX reuse some numbers for different things (32767 is ring-no-answer on UCCE,
//! AGT_RELOGON on UCCX), so the deployment type decides.
use crate::model::{AgentState, DeploymentType};

/// What a system reason code means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SystemReason {
    pub code: u32,
    /// One sentence for the agent.
    pub explanation: &'static str,
    /// Caused by a lost or failed connection (of this desktop, of Finesse, of the phone
    /// system) rather than by a person or a call.
    pub connection_failure: bool,
}

const FORCED_LOGOUT: u32 = 255;

/// The meaning of `code` on `deployment` (UCCE when unknown), if it is a system code.
pub fn explain_system_reason(
    code: u32,
    deployment: Option<&DeploymentType>,
) -> Option<SystemReason> {
    let uccx = matches!(deployment, Some(DeploymentType::Uccx));
    let (explanation, connection_failure) = match code {
        FORCED_LOGOUT => (
            "Finesse signed you out because it lost contact with this desktop for more than 60 seconds.",
            true,
        ),
        _ if uccx => uccx_reason(code)?,
        _ => ucce_reason(code)?,
    };
    Some(SystemReason {
        code,
        explanation,
        connection_failure,
    })
}

fn ucce_reason(code: u32) -> Option<(&'static str, bool)> {
    Some(match code {
        50001 => (
            "The contact center lost contact with your desktop, so you were signed out.",
            true,
        ),
        50002 => (
            "The contact center lost contact with your desktop (connection failure), so your state was changed.",
            true,
        ),
        50003 => ("Your phone went out of service, so you were signed out.", true),
        50004 => ("You were signed out after a long time without activity.", false),
        50005 => ("You were made Not Ready because of a call that did not come from a queue.", false),
        50006 => ("You placed a call while Ready, so you were made Not Ready.", false),
        50010 => ("Two routed calls in a row did not reach you, so you were made Not Ready.", false),
        50020 => ("Your skill groups changed, so you were signed out.", false),
        50030 => ("Another device took over your extension, so you were signed out.", false),
        50040 => ("The call to your mobile agent number failed.", true),
        50041 => ("Your mobile agent line was busy.", false),
        50042 => ("The connection to your mobile agent phone dropped.", true),
        51004 => ("You signed in on an extension that was already on a call.", false),
        32767 => ("A call rang without being answered, so you were made Not Ready.", false),
        32762 => ("Your phone went off hook while you were Ready.", false),
        999 => ("Your supervisor changed your state.", false),
        20001..=20003 => ("Your state was changed by a forced request.", false),
        _ => return None,
    })
}

fn uccx_reason(code: u32) -> Option<(&'static str, bool)> {
    Some(match code {
        32767 => ("You were signed in again by the contact center.", true),
        32766 => ("The desktop was closed, so your state was changed.", true),
        32765 => ("The connection to the contact center went down.", true),
        32764 => ("The contact center failed over to its other server.", true),
        32763 => (
            "A call rang without being answered, so you were made Not Ready.",
            false,
        ),
        32762 => ("Your phone went off hook.", false),
        32761 => ("You were on a call that did not come from a queue.", false),
        32760 => ("You were made Not Ready as you signed in again.", true),
        32759 => ("Your phone went out of service.", true),
        32758 => ("Your wrap-up time ran out.", false),
        32757 => ("The phone system failed over to its other server.", true),
        32756 => ("Your phone came back into service.", true),
        32755 => ("The call ended.", false),
        32754 | 32753 => ("Your phone or line is restricted.", false),
        32752 => ("A reserved call was cancelled.", false),
        32751 => ("You skipped an outbound call.", false),
        32750 => ("Your extension was changed.", false),
        32749 => ("A consult call was cancelled.", false),
        32748 => ("Your agent account was deleted.", false),
        32747 | 32746 => ("You were reserved for an outbound call.", false),
        32745 => ("You are wrapping up an outbound call.", false),
        32743 => ("An email contact was not accepted.", false),
        32742 => ("A second line went off hook.", false),
        32741 => ("Another agent uses your extension.", false),
        22 => ("Your supervisor signed you out.", false),
        33 => ("Your supervisor made you Not Ready.", false),
        _ => return None,
    })
}

/// A sentence for a forced change that came without a known code.
pub(crate) fn generic_explanation(state: &AgentState) -> &'static str {
    match state {
        AgentState::Logout => "You were signed out of Finesse.",
        _ => "Your state was changed by the contact center.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_presence_logout_reads_the_same_on_both_platforms() {
        for deployment in [None, Some(DeploymentType::Ucce), Some(DeploymentType::Uccx)] {
            let reason = explain_system_reason(255, deployment.as_ref());
            assert!(reason
                .is_some_and(|r| r.connection_failure && r.explanation.contains("60 seconds")));
        }
    }

    #[test]
    fn the_same_number_means_different_things_on_ucce_and_uccx() {
        let ucce = explain_system_reason(32767, Some(&DeploymentType::Ucce));
        let uccx = explain_system_reason(32767, Some(&DeploymentType::Uccx));
        assert!(ucce.is_some_and(|r| r.explanation.contains("without being answered")));
        assert!(uccx.is_some_and(|r| r.explanation.contains("signed in again")));
    }

    #[test]
    fn a_connection_failure_is_told_apart_from_a_supervisor() {
        assert!(explain_system_reason(50002, None).is_some_and(|r| r.connection_failure));
        assert!(explain_system_reason(999, None).is_some_and(|r| !r.connection_failure));
        assert!(explain_system_reason(33, Some(&DeploymentType::Uccx))
            .is_some_and(|r| r.explanation.contains("supervisor")));
    }

    #[test]
    fn configured_codes_are_not_system_codes() {
        assert_eq!(explain_system_reason(1, None), None);
        assert_eq!(explain_system_reason(42, Some(&DeploymentType::Uccx)), None);
    }
}
