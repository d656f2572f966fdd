//! Which members the list shows: the logged-out toggle, the state groups and the text.
use super::member::MemberEntry;
use super::view::{TeamStateGroup, TeamViewOptions};

/// [`TeamViewOptions`] prepared for testing thousands of rows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct ViewFilter {
    /// Lower-case needle; empty matches everything.
    text: String,
    /// One bit per [`TeamStateGroup`]; 0 accepts every group.
    groups: u8,
    include_logged_out: bool,
}

impl ViewFilter {
    pub(super) fn new(options: &TeamViewOptions) -> Self {
        ViewFilter {
            // The haystack separates fields with newlines; a needle never spans two.
            text: options
                .text
                .trim()
                .chars()
                .filter(|c| !c.is_control())
                .collect::<String>()
                .to_lowercase(),
            groups: options
                .states
                .iter()
                .fold(0, |bits, group| bits | bit(*group)),
            include_logged_out: options.include_logged_out,
        }
    }

    /// Whether the row is shown. The logged-out toggle wins over the state filter.
    pub(super) fn matches(&self, entry: &MemberEntry) -> bool {
        if entry.group == TeamStateGroup::LoggedOut && !self.include_logged_out {
            return false;
        }
        if self.groups != 0 && self.groups & bit(entry.group) == 0 {
            return false;
        }
        self.text.is_empty() || entry.haystack.contains(&self.text)
    }
}

fn bit(group: TeamStateGroup) -> u8 {
    1 << group.index()
}
