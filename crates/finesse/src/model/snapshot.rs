use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Dialog, Queue, SystemInfo, Team, TeamMember, User};
use crate::notification::FinesseEvent;

/// The client's consistent view of Finesse: the last word of every event and GET.
///
/// Finesse is the source of truth; the snapshot never guesses. It is filled from GETs
/// (`replace_*`) after every (re)connect and then kept current with [`Snapshot::apply`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    pub user: Option<User>,
    /// The user's dialogs by id. A DROPPED dialog stays until Finesse removes it.
    pub dialogs: BTreeMap<String, Dialog>,
    /// Supervised teams by id.
    pub teams: BTreeMap<String, Team>,
    /// Queues by id.
    pub queues: BTreeMap<String, Queue>,
    pub system_info: Option<SystemInfo>,
    /// Member updates for a team whose GET has not come back yet, by team and login id.
    /// The GET follows the subscription, so its answer may predate them.
    #[serde(skip)]
    early_members: BTreeMap<String, BTreeMap<String, TeamMember>>,
}

impl Snapshot {
    pub fn new() -> Self {
        Self::default()
    }

    /// Applies one event; `true` if the snapshot changed.
    ///
    /// Team member updates for a team the snapshot does not hold yet are kept for the
    /// team's GET (see [`replace_team`](Self::replace_team)), which may have been read
    /// before them.
    pub fn apply(&mut self, event: &FinesseEvent) -> bool {
        match event {
            FinesseEvent::UserUpdated(user) => self.replace_user(user.clone()),
            FinesseEvent::DialogsAdded(dialogs) => {
                // Every dialog must be applied, so no short-circuiting `any`.
                let mut changed = false;
                for dialog in dialogs {
                    changed |= self.upsert_dialog(dialog);
                }
                changed
            }
            FinesseEvent::DialogUpdated(dialog) => self.upsert_dialog(dialog),
            FinesseEvent::DialogsRemoved(dialogs) => {
                let mut changed = false;
                for dialog in dialogs {
                    changed |= self.dialogs.remove(&dialog.id).is_some();
                }
                changed
            }
            FinesseEvent::TeamMemberUpdated { team_id, member } => {
                match self.teams.get_mut(team_id) {
                    Some(team) => team.upsert_member(member.clone()),
                    None => {
                        self.early_members
                            .entry(team_id.clone())
                            .or_default()
                            .insert(member.login_id.clone(), member.clone());
                        false
                    }
                }
            }
            FinesseEvent::TeamUpdated(team) => self.replace_team(team.clone()),
            FinesseEvent::QueueUpdated(queue) => upsert(&mut self.queues, &queue.id, queue),
            FinesseEvent::SystemInfoUpdated(info) => {
                replace_option(&mut self.system_info, info.clone())
            }
            FinesseEvent::ApiErrors { .. } | FinesseEvent::Other { .. } => false,
        }
    }

    /// Replaces the user (after a GET); `true` if it differed.
    pub fn replace_user(&mut self, user: User) -> bool {
        replace_option(&mut self.user, user)
    }

    /// Replaces every dialog (after `GET /User/{id}/Dialogs`); `true` if the set differed.
    pub fn replace_dialogs(&mut self, dialogs: Vec<Dialog>) -> bool {
        let fresh: BTreeMap<String, Dialog> =
            dialogs.into_iter().map(|d| (d.id.clone(), d)).collect();
        let changed = fresh != self.dialogs;
        self.dialogs = fresh;
        changed
    }

    /// Replaces one team (after `GET /Team/{id}`); `true` if it differed.
    ///
    /// The GET decides who is in the team. A member's word from a notification (kept while
    /// the GET was out, or already held) stays when its `stateChangeTime` is later than the
    /// GET's: that GET was read before the change.
    pub fn replace_team(&mut self, mut team: Team) -> bool {
        let early = self.early_members.remove(&team.id).unwrap_or_default();
        let held = self.teams.get(&team.id);
        for member in &mut team.users {
            let newer = early
                .get(&member.login_id)
                .into_iter()
                .chain(held.and_then(|held| held.member(&member.login_id)))
                .filter(|word| changed_later(word, member))
                .max_by_key(|word| word.state_changed_at());
            if let Some(newer) = newer {
                *member = newer.clone();
            }
        }
        let changed = held != Some(&team);
        self.teams.insert(team.id.clone(), team);
        changed
    }

    /// Forgets a team (after unsubscribing from it); `true` if it was held.
    pub fn remove_team(&mut self, team_id: &str) -> bool {
        self.early_members.remove(team_id);
        self.teams.remove(team_id).is_some()
    }

    /// Replaces every queue (after `GET /User/{id}/Queues`); `true` if the set differed.
    pub fn replace_queues(&mut self, queues: Vec<Queue>) -> bool {
        let fresh: BTreeMap<String, Queue> =
            queues.into_iter().map(|q| (q.id.clone(), q)).collect();
        let changed = fresh != self.queues;
        self.queues = fresh;
        changed
    }

    /// Replaces the system info (after `GET /SystemInfo`); `true` if it differed.
    pub fn replace_system_info(&mut self, info: SystemInfo) -> bool {
        replace_option(&mut self.system_info, info)
    }

    /// Dialogs other than silent-monitor calls, in id order.
    pub fn calls(&self) -> impl Iterator<Item = &Dialog> + '_ {
        self.dialogs.values().filter(|d| !d.is_silent_monitor())
    }

    fn upsert_dialog(&mut self, dialog: &Dialog) -> bool {
        upsert(&mut self.dialogs, &dialog.id, dialog)
    }
}

/// `word` reports a state change later than `than` does.
fn changed_later(word: &TeamMember, than: &TeamMember) -> bool {
    match (word.state_changed_at(), than.state_changed_at()) {
        (Some(word), Some(than)) => word > than,
        _ => false,
    }
}

/// Inserts or replaces `value` under `key`; `true` if the map changed.
fn upsert<T: PartialEq + Clone>(map: &mut BTreeMap<String, T>, key: &str, value: &T) -> bool {
    match map.get_mut(key) {
        Some(existing) => replace_if_different(existing, value),
        None => {
            map.insert(key.to_owned(), value.clone());
            true
        }
    }
}

fn replace_if_different<T: PartialEq + Clone>(slot: &mut T, value: &T) -> bool {
    if slot == value {
        false
    } else {
        *slot = value.clone();
        true
    }
}

fn replace_option<T: PartialEq>(slot: &mut Option<T>, value: T) -> bool {
    if slot.as_ref() == Some(&value) {
        false
    } else {
        *slot = Some(value);
        true
    }
}
