//! [`TeamBoard`]: the supervisor's teams, the chosen team's members, and the list options.
//!
//! Members live in slots (a slab) indexed by login id: an update is one hash lookup, one
//! entry rewrite, a count adjustment and a dirty mark — nothing is sorted or rendered until
//! the next diff (see `diff.rs`). A freed slot is reused only after the next diff, so between
//! two diffs a slot number names one agent.
use std::collections::{HashMap, HashSet};

use finesse::model::{ReasonCode, Team, TeamMember, TeamRef};
use finesse::session::SessionEvent;

use super::counts::GroupCounts;
use super::error::TeamError;
use super::filter::ViewFilter;
use super::member::{MemberCall, MemberEntry, ReasonBook};
use super::supervisor::SupervisorContext;
use super::view::{TeamChoice, TeamCounts, TeamHeader, TeamViewOptions};

/// How often the view may change and how long an action may wait for its event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TeamPolicy {
    /// The least time between two diffs from [`TeamBoard::take_diff`] (ms).
    pub diff_interval_ms: i64,
    /// After this long without its event or an error, a pending action shows "no answer"
    /// (ms). The session's own command timeout normally reports first.
    pub pending_timeout_ms: i64,
}

impl Default for TeamPolicy {
    fn default() -> Self {
        TeamPolicy {
            diff_interval_ms: 250,
            pending_timeout_ms: 20_000,
        }
    }
}

/// Where a word about a member came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// The team's notification node.
    Notification,
    /// The team's GET (on choosing the team, after a reconnect, or the session's copy).
    TeamGet,
}

/// Which team subscriptions to change after [`TeamBoard::choose_team`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamSwitch {
    /// Stop following this team (`Command::UnloadTeam`).
    pub unload: Option<String>,
    /// Follow and load this team (`Command::LoadTeam`).
    pub load: String,
}

/// What the last emitted diff told the UI, and what must go into the next one.
#[derive(Debug, Clone, Default)]
pub(super) struct Baseline {
    pub seq: u64,
    pub last_emit: Option<i64>,
    /// Shown slots, in the order last sent.
    pub order: Vec<usize>,
    /// Per slot: in `order`.
    pub sent: Vec<bool>,
    /// Ids the UI holds whose member has left the team.
    pub removed: Vec<String>,
    pub counts: TeamCounts,
    /// The next diff replaces everything.
    pub reset: bool,
    pub header_changed: bool,
    pub view_changed: bool,
    /// The next diff sorts and filters every member instead of patching the last order.
    pub resort: bool,
}

/// The Team view's model. Pure: no I/O, time is passed in (Unix ms, this machine's clock).
#[derive(Debug, Clone)]
pub struct TeamBoard {
    pub(super) policy: TeamPolicy,
    pub(super) teams: Vec<TeamChoice>,
    pub(super) chosen: Option<String>,
    pub(super) loading: bool,
    pub(super) view: TeamViewOptions,
    pub(super) filter: ViewFilter,
    pub(super) supervisor: SupervisorContext,
    /// The monitored extension, remembered so the call a barge turns into is recognised.
    pub(super) last_monitored: Option<String>,
    /// `server time − local time` (ms).
    pub(super) offset_ms: i64,
    pub(super) reason_codes: Vec<ReasonCode>,
    pub(super) book: ReasonBook,
    pub(super) slots: Vec<Option<MemberEntry>>,
    pub(super) index: HashMap<String, usize>,
    pub(super) free: Vec<usize>,
    /// Freed since the last diff; reusable after it.
    pub(super) freed: Vec<usize>,
    pub(super) counts: GroupCounts,
    pub(super) dirty: Vec<usize>,
    pub(super) dirty_flag: Vec<bool>,
    /// Slots with an action in flight (checked for timeouts).
    pub(super) pending: Vec<usize>,
    pub(super) baseline: Baseline,
}

impl Default for TeamBoard {
    fn default() -> Self {
        TeamBoard::new(TeamPolicy::default())
    }
}

impl TeamBoard {
    /// An empty board; its first diff is a reset.
    pub fn new(policy: TeamPolicy) -> Self {
        TeamBoard {
            policy,
            teams: Vec::new(),
            chosen: None,
            loading: false,
            view: TeamViewOptions::default(),
            filter: ViewFilter::default(),
            supervisor: SupervisorContext::default(),
            last_monitored: None,
            offset_ms: 0,
            reason_codes: Vec::new(),
            book: ReasonBook::default(),
            slots: Vec::new(),
            index: HashMap::new(),
            free: Vec::new(),
            freed: Vec::new(),
            counts: GroupCounts::default(),
            dirty: Vec::new(),
            dirty_flag: Vec::new(),
            pending: Vec::new(),
            baseline: Baseline {
                reset: true,
                ..Baseline::default()
            },
        }
    }

    pub fn policy(&self) -> TeamPolicy {
        self.policy
    }

    // ----- teams ------------------------------------------------------------------------

    /// The teams the user supervises (the User's `<teams>`). When none was chosen yet (right
    /// after sign-in), or the chosen one is no longer supervised, the first team is chosen and
    /// the returned switch says which team node to load (and which to drop).
    pub fn set_teams(&mut self, teams: &[TeamRef]) -> Option<TeamSwitch> {
        let choices: Vec<TeamChoice> = teams
            .iter()
            .map(|team| TeamChoice {
                id: team.id.clone(),
                name: team
                    .name
                    .clone()
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| team.id.clone()),
            })
            .collect();
        if choices != self.teams {
            self.teams = choices;
            self.baseline.header_changed = true;
        }
        let still_supervised = self
            .chosen
            .as_ref()
            .is_some_and(|id| self.teams.iter().any(|t| &t.id == id));
        if still_supervised {
            return None;
        }
        let previous = self.chosen.clone();
        let first = self.teams.first().map(|t| t.id.clone());
        if first.is_some() || previous.is_some() {
            self.reset_members(first.clone());
        }
        first.map(|load| TeamSwitch {
            unload: previous,
            load,
        })
    }

    /// Shows another of the supervisor's teams. Its members arrive with the team's GET
    /// ([`Self::load_team`]); until then the header says loading.
    pub fn choose_team(&mut self, team_id: &str) -> Result<TeamSwitch, TeamError> {
        let team_id = team_id.trim();
        if !self.teams.iter().any(|t| t.id == team_id) {
            return Err(TeamError::UnknownTeam {
                team_id: team_id.to_owned(),
            });
        }
        let previous = self.chosen.clone().filter(|id| id != team_id);
        if self.chosen.as_deref() != Some(team_id) {
            self.reset_members(Some(team_id.to_owned()));
        }
        Ok(TeamSwitch {
            unload: previous,
            load: team_id.to_owned(),
        })
    }

    /// The team shown.
    pub fn chosen_team(&self) -> Option<&str> {
        self.chosen.as_deref()
    }

    /// Forgets everything (sign-out); the next diff is a reset to an empty view.
    pub fn clear(&mut self) {
        let policy = self.policy;
        let seq = self.baseline.seq;
        let view = std::mem::take(&mut self.view);
        *self = TeamBoard::new(policy);
        self.baseline.seq = seq;
        // The supervisor's list choices outlive a sign-out, like the rest of their settings.
        self.set_view(view);
    }

    fn reset_members(&mut self, chosen: Option<String>) {
        self.loading = chosen.is_some();
        self.chosen = chosen;
        self.slots.clear();
        self.index.clear();
        self.free.clear();
        self.freed.clear();
        self.counts = GroupCounts::default();
        self.dirty.clear();
        self.dirty_flag.clear();
        self.pending.clear();
        self.baseline.order.clear();
        self.baseline.sent.clear();
        self.baseline.removed.clear();
        self.baseline.reset = true;
    }

    // ----- Finesse's word ---------------------------------------------------------------

    /// Takes the chosen team's GET (after choosing it, and again after every reconnect):
    /// members are updated, added, and removed when absent. Other teams are ignored. A
    /// member's word from a notification stays unless the GET's state is strictly later
    /// (the GET may have been read before that change; see `MemberEntry::outdated_by_get`).
    pub fn load_team(&mut self, team: &Team, now_ms: i64) -> bool {
        if self.chosen.as_deref() != Some(team.id.as_str()) {
            return false;
        }
        let mut changed = false;
        if self.loading {
            self.loading = false;
            self.baseline.header_changed = true;
            changed = true;
        }
        if let Some(name) = team.name.as_deref().filter(|n| !n.trim().is_empty()) {
            if let Some(choice) = self.teams.iter_mut().find(|t| t.id == team.id) {
                if choice.name != name {
                    choice.name = name.to_owned();
                    self.baseline.header_changed = true;
                }
            }
        }
        let present: HashSet<&str> = team.users.iter().map(|m| m.login_id.as_str()).collect();
        let gone: Vec<usize> = self
            .index
            .iter()
            .filter(|(id, _)| !present.contains(id.as_str()))
            .map(|(_, slot)| *slot)
            .collect();
        for slot in gone {
            self.remove_slot(slot);
            changed = true;
        }
        for member in &team.users {
            changed |= self.absorb(member.clone(), now_ms, Source::TeamGet);
        }
        changed
    }

    /// Takes one team notification (`/finesse/api/Team/{id}/Users`); O(1).
    pub fn apply_member(&mut self, team_id: &str, member: TeamMember, now_ms: i64) -> bool {
        if self.chosen.as_deref() != Some(team_id) {
            return false;
        }
        self.absorb(member, now_ms, Source::Notification)
    }

    /// Takes the session events the board cares about (team, team member, unclaimed
    /// Finesse errors); `true` if the view changed.
    pub fn apply_event(&mut self, event: SessionEvent, now_ms: i64) -> bool {
        match event {
            SessionEvent::TeamChanged { team } => self.load_team(&team, now_ms),
            SessionEvent::TeamMemberChanged { team_id, member } => {
                self.apply_member(&team_id, member, now_ms)
            }
            SessionEvent::FinesseErrors { source, errors, .. } => self.api_errors(&source, &errors),
            _ => false,
        }
    }

    fn absorb(&mut self, member: TeamMember, now_ms: i64, source: Source) -> bool {
        let from_notification = source == Source::Notification;
        let Some(&slot) = self.index.get(&member.login_id) else {
            let mut entry = MemberEntry::new(member, self.offset_ms, &self.book);
            entry.from_notification = from_notification;
            self.insert(entry);
            return true;
        };
        let (offset, book) = (self.offset_ms, &self.book);
        let Some(entry) = self.slots.get_mut(slot).and_then(Option::as_mut) else {
            return false;
        };
        if !from_notification && !entry.outdated_by_get(&member) {
            return false;
        }
        let before = entry.group;
        if !entry.update(member, now_ms, offset, book) {
            return false;
        }
        entry.from_notification = from_notification;
        let after = entry.group;
        if let Some(pending) = entry.pending {
            if super::rules::member_confirms(pending.action, &entry.member) {
                entry.pending = None;
            }
        }
        self.counts.moved(before, after);
        self.mark(slot);
        true
    }

    // ----- other inputs -----------------------------------------------------------------

    /// Call details for an agent that team events cannot give (`None` forgets them). They
    /// are dropped by themselves when the agent leaves Talking/Hold.
    pub fn set_member_call(&mut self, login_id: &str, call: Option<MemberCall>) -> bool {
        let Some(&slot) = self.index.get(login_id) else {
            return false;
        };
        let Some(entry) = self.slots.get_mut(slot).and_then(Option::as_mut) else {
            return false;
        };
        if entry.fed_call == call {
            return false;
        }
        entry.fed_call = call;
        self.mark(slot);
        true
    }

    /// Measures the server clock: Finesse said `server_ms` when this machine read
    /// `local_ms` (SystemInfo's `currentTimestamp`). Times in state are corrected by it.
    pub fn set_server_clock(&mut self, server_ms: i64, local_ms: i64) {
        let offset = server_ms.saturating_sub(local_ms);
        if offset == self.offset_ms {
            return;
        }
        self.offset_ms = offset;
        for slot in 0..self.slots.len() {
            let moved = self.slots[slot]
                .as_mut()
                .is_some_and(|entry| entry.rebase(offset));
            if moved {
                self.mark(slot);
            }
        }
    }

    /// The supervisor's reason-code lists, to word reasons that arrive as a bare id.
    pub fn set_reason_codes(&mut self, codes: &[ReasonCode]) {
        if codes == self.reason_codes.as_slice() {
            return;
        }
        self.reason_codes = codes.to_vec();
        self.rebuild_reasons();
    }

    pub(super) fn rebuild_reasons(&mut self) {
        self.book = ReasonBook::from_codes(&self.reason_codes, self.supervisor.deployment.clone());
        for slot in 0..self.slots.len() {
            let book = &self.book;
            let changed = self.slots[slot]
                .as_mut()
                .is_some_and(|entry| entry.derive_reason(book));
            if changed {
                self.mark(slot);
            }
        }
    }

    /// Changes the sort, the filters or the logged-out toggle; the next diff carries the
    /// new order (use [`Self::flush`] to send it at once).
    pub fn set_view(&mut self, options: TeamViewOptions) -> bool {
        if options == self.view {
            return false;
        }
        self.filter = ViewFilter::new(&options);
        self.view = options;
        self.baseline.view_changed = true;
        self.baseline.resort = true;
        true
    }

    pub fn view(&self) -> &TeamViewOptions {
        &self.view
    }

    pub fn supervisor(&self) -> &SupervisorContext {
        &self.supervisor
    }

    // ----- reading ----------------------------------------------------------------------

    /// Counts per state group of the chosen team; `shown` counts the rows the filters pass.
    pub fn counts(&self) -> TeamCounts {
        let shown = self
            .slots
            .iter()
            .flatten()
            .filter(|entry| self.filter.matches(entry))
            .count();
        self.counts.view(shown)
    }

    /// The switcher's content.
    pub fn header(&self) -> TeamHeader {
        TeamHeader {
            teams: self.teams.clone(),
            chosen: self.chosen.clone(),
            loading: self.loading,
        }
    }

    /// How long the agent has been in the current state at `now_ms` (ms), if known.
    pub fn time_in_state(&self, login_id: &str, now_ms: i64) -> Option<i64> {
        let since = self.entry(login_id)?.since?;
        Some(now_ms.saturating_sub(since).max(0))
    }

    /// Members of the chosen team.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    // ----- slots ------------------------------------------------------------------------

    pub(super) fn entry(&self, login_id: &str) -> Option<&MemberEntry> {
        let slot = *self.index.get(login_id)?;
        self.slots.get(slot)?.as_ref()
    }

    pub(super) fn slot_of(&self, login_id: &str) -> Option<usize> {
        self.index.get(login_id).copied()
    }

    pub(super) fn mark(&mut self, slot: usize) {
        if let Some(flag) = self.dirty_flag.get_mut(slot) {
            if !*flag {
                *flag = true;
                self.dirty.push(slot);
            }
        }
    }

    fn insert(&mut self, entry: MemberEntry) -> usize {
        self.counts.add(entry.group);
        let id = entry.member.login_id.clone();
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slots[slot] = Some(entry);
                slot
            }
            None => {
                self.slots.push(Some(entry));
                self.dirty_flag.push(false);
                self.slots.len() - 1
            }
        };
        self.index.insert(id, slot);
        self.mark(slot);
        slot
    }

    fn remove_slot(&mut self, slot: usize) {
        let Some(entry) = self.slots.get_mut(slot).and_then(Option::take) else {
            return;
        };
        self.index.remove(&entry.member.login_id);
        self.counts.remove(entry.group);
        if self.baseline.sent.get(slot).copied().unwrap_or(false) {
            self.baseline.removed.push(entry.member.login_id);
        }
        self.freed.push(slot);
    }
}
