//! The lists the server configures for the agent: reason codes, wrap-up reasons, the layout.
use finesse::model::{MediaPropertiesLayout, ReasonCategory, ReasonCode, WrapUpReason};

use super::requests::{Lookups, ReasonOption};

/// What the desk looks labels up in; replaced whole whenever the server's lists are fetched.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct DeskLookups {
    pub(super) layout: Option<MediaPropertiesLayout>,
    pub(super) not_ready: Vec<ReasonCode>,
    pub(super) logout: Vec<ReasonCode>,
    pub(super) wrap_up: Vec<WrapUpReason>,
}

impl DeskLookups {
    /// The configured reason code with this Finesse id.
    pub(super) fn reason(&self, category: &ReasonCategory, id: &str) -> Option<&ReasonCode> {
        self.list(category)?.iter().find(|rc| rc.id == id)
    }

    pub(super) fn list(&self, category: &ReasonCategory) -> Option<&[ReasonCode]> {
        match category {
            ReasonCategory::NotReady => Some(&self.not_ready),
            ReasonCategory::Logout => Some(&self.logout),
            ReasonCategory::Other(_) => None,
        }
    }

    /// Replaces one category's list. System codes are kept out: agents never pick them.
    pub(super) fn set_reasons(&mut self, category: &ReasonCategory, codes: Vec<ReasonCode>) {
        let offered = codes
            .into_iter()
            .filter(|rc| !rc.system_code && !rc.id.is_empty())
            .collect();
        match category {
            ReasonCategory::NotReady => self.not_ready = offered,
            ReasonCategory::Logout => self.logout = offered,
            ReasonCategory::Other(_) => {}
        }
    }

    /// The lists as the searchable menus show them.
    pub(super) fn to_view(&self) -> Lookups {
        Lookups {
            not_ready_reasons: self.not_ready.iter().map(option).collect(),
            logout_reasons: self.logout.iter().map(option).collect(),
            wrap_up_reasons: self.wrap_up.iter().map(|w| w.label.clone()).collect(),
        }
    }
}

fn option(code: &ReasonCode) -> ReasonOption {
    ReasonOption {
        id: code.id.clone(),
        label: code.label.clone(),
        code: code.code,
    }
}
