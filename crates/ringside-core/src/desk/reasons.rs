//! Reason labels for Not Ready and Logout: what the agent reads next to the state pill.
//!
//! Finesse says why an agent is Not Ready or logged out with an embedded reason code (label
//! included), or only with a `reasonCodeId` to look up, or — for codes the platform applies
//! itself — with a bare CTI code that no list carries. The label is taken from the first of
//! those that says something.
use finesse::model::{DeploymentType, ReasonCategory, ReasonCode, User};

use super::lookups::DeskLookups;
use super::view::{AgentStateKind, ReasonView};

/// Finesse's own code for the forced logout 60 s after the desktop's presence went away.
const PRESENCE_LOST: u32 = 255;

/// The label of a reason code the platform applies itself (never listed by the reason-code
/// APIs), in plain words. `deployment` decides the codes UCCE and UCCX give different
/// meanings (32767 is ring-no-answer on UCCE, a re-logon on UCCX); when it is unknown the UCCE
/// meaning wins, as the more common platform.
pub fn system_reason_label(code: u32, deployment: Option<&DeploymentType>) -> Option<&'static str> {
    let shared = match code {
        PRESENCE_LOST => Some("Connection lost (forced logout)"),
        999 => Some("Supervisor"),
        32762 => Some("Off hook"),
        _ => None,
    };
    if shared.is_some() {
        return shared;
    }
    match deployment {
        Some(DeploymentType::Uccx) => uccx_label(code),
        Some(DeploymentType::Ucce) => ucce_label(code),
        _ => ucce_label(code).or_else(|| uccx_label(code)),
    }
}

fn ucce_label(code: u32) -> Option<&'static str> {
    Some(match code {
        32767 => "Ring no answer",
        50001 => "Desktop disconnected",
        50002 => "Connection failure",
        50003 => "Device out of service",
        50004 => "Inactivity timeout",
        50005 => "Non-ACD call",
        50006 => "Making a call",
        50010 => "Call overlap",
        50020 => "Skill group changed",
        50030 => "Device conflict",
        50040 => "Mobile agent call failed",
        50041 => "Mobile agent line busy",
        50042 => "Mobile agent connection dropped",
        51004 => "Extension already on a call",
        20001 => "Forced Not Ready",
        20003 => "Forced logout",
        _ => return None,
    })
}

fn uccx_label(code: u32) -> Option<&'static str> {
    Some(match code {
        32767 => "Agent signed in again",
        32766 => "Desktop closed",
        32765 => "Connection down",
        32764 => "Contact center failure",
        32763 => "Ring no answer",
        32761 => "Non-ICD call",
        32760 => "Agent logon",
        32759 => "Phone down",
        32758 => "Wrap-up timer expired",
        32757 => "Call manager failover",
        32756 => "Phone up",
        32755 => "Call ended",
        32754 => "Device restricted",
        32753 => "Line restricted",
        32752 => "Reservation cancelled",
        32751 => "Contact skipped",
        32750 => "Extension changed",
        32749 => "Consult cancelled",
        32748 => "Agent deleted",
        32747 => "Reserved for outbound",
        32746 => "Reserved for direct preview",
        32745 => "Outbound wrap-up",
        32743 => "Email not accepted",
        32742 => "Second line off hook",
        32741 => "Extension conflict",
        22 | 33 => "Supervisor",
        _ => return None,
    })
}

/// Why the agent is in `state`, when it is Not Ready or logged out and Finesse said why.
pub(super) fn current_reason(
    user: &User,
    state: AgentStateKind,
    lookups: &DeskLookups,
    deployment: Option<&DeploymentType>,
) -> Option<ReasonView> {
    let category = category_of(state)?;
    let embedded = user.reason_code.as_ref();
    let id = user
        .reason_code_id
        .clone()
        .or_else(|| embedded.map(|rc| rc.id.clone()).filter(|id| !id.is_empty()));
    let listed = id.as_deref().and_then(|id| lookups.reason(&category, id));
    let code = embedded
        .and_then(|rc| rc.code)
        .or(listed.and_then(|rc| rc.code));
    let system = embedded.is_some_and(|rc| rc.system_code)
        || (listed.is_none()
            && code
                .and_then(|c| system_reason_label(c, deployment))
                .is_some());

    let label = embedded
        .map(|rc| rc.label.trim())
        .filter(|label| !label.is_empty())
        .map(str::to_owned)
        .or_else(|| listed.map(|rc| rc.label.clone()))
        .or_else(|| {
            code.and_then(|c| system_reason_label(c, deployment))
                .map(str::to_owned)
        })
        .or_else(|| code.map(|c| format!("Code {c}")))
        .or_else(|| id.as_ref().map(|id| format!("Reason {id}")))?;
    Some(ReasonView {
        id,
        code,
        label,
        system,
    })
}

/// The label of the reason the agent asked for, by its Finesse id.
pub(super) fn requested_reason_label(
    state: AgentStateKind,
    reason_id: &str,
    lookups: &DeskLookups,
) -> Option<String> {
    let category = category_of(state)?;
    lookups
        .reason(&category, reason_id)
        .map(|rc: &ReasonCode| rc.label.clone())
}

fn category_of(state: AgentStateKind) -> Option<ReasonCategory> {
    match state {
        AgentStateKind::NotReady => Some(ReasonCategory::NotReady),
        AgentStateKind::LoggedOut => Some(ReasonCategory::Logout),
        _ => None,
    }
}
