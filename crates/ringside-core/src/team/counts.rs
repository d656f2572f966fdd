//! Members per state group, kept current one update at a time.
use super::view::{TeamCounts, TeamStateGroup};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct GroupCounts([u32; TeamStateGroup::ALL.len()]);

impl GroupCounts {
    pub(super) fn add(&mut self, group: TeamStateGroup) {
        self.0[group.index()] += 1;
    }

    pub(super) fn remove(&mut self, group: TeamStateGroup) {
        let count = &mut self.0[group.index()];
        *count = count.saturating_sub(1);
    }

    pub(super) fn moved(&mut self, from: TeamStateGroup, to: TeamStateGroup) {
        if from != to {
            self.remove(from);
            self.add(to);
        }
    }

    /// The counts the view shows; `shown` is the number of rows passing the filters.
    pub(super) fn view(&self, shown: usize) -> TeamCounts {
        let of = |group: TeamStateGroup| self.0[group.index()];
        TeamCounts {
            ready: of(TeamStateGroup::Ready),
            not_ready: of(TeamStateGroup::NotReady),
            talking: of(TeamStateGroup::Talking),
            reserved: of(TeamStateGroup::Reserved),
            wrap_up: of(TeamStateGroup::WrapUp),
            logged_out: of(TeamStateGroup::LoggedOut),
            unknown: of(TeamStateGroup::Unknown),
            total: self.0.iter().sum(),
            shown: u32::try_from(shown).unwrap_or(u32::MAX),
        }
    }
}
