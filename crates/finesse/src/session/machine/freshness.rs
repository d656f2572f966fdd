//! Late and repeated events.
//!
//! One XMPP stream delivers Finesse's events in order, but an outage mixes streams: events
//! buffered during a resync, a node republishing after it comes back, a delivery held up on
//! one node. Finesse stamps every state with `stateChangeTime`, so an event older than what
//! the session holds is recognised and not applied; the object is read again from Finesse
//! instead, so a clock difference between the nodes can cost a GET but never the truth.
//!
//! Two states can carry the same millisecond (READY and the RESERVED of a call routed at
//! once; a call's last two updates as it ends). An event that repeats a User version
//! already passed is late; an event with the held time but another state (or other
//! participant states), over a version that itself came from an event, cannot be placed —
//! it is applied and the object read again to make sure. Ended dialogs are remembered for a while
//! so that a late update cannot bring one back: Finesse updates (PUT) only dialogs in the
//! collection, and posts a dialog again only as new.
use std::collections::VecDeque;

use chrono::{DateTime, Utc};

use super::{OpPurpose, SessionMachine};
use crate::model::{Dialog, User};
use crate::notification::FinesseEvent;
use crate::session::io::{RestFailure, RestReply, RestRequest};

/// How many ended dialogs are remembered.
const ENDED_DIALOGS_KEPT: usize = 64;
/// How many User versions are remembered to recognise a repeat.
const USER_VERSIONS_KEPT: usize = 8;

/// The User versions held lately (newest last) and where the current one came from.
#[derive(Debug, Default)]
pub(super) struct UserHistory {
    versions: VecDeque<User>,
    /// The current version came from an event (not from a GET).
    from_event: bool,
}

impl UserHistory {
    pub fn record(&mut self, user: &User, from_event: bool) {
        if self.versions.len() == USER_VERSIONS_KEPT {
            self.versions.pop_front();
        }
        self.versions.push_back(user.clone());
        self.from_event = from_event;
    }

    /// A version held before, not the current one: a repeat of a passed state.
    fn is_repeat(&self, held: Option<&User>, incoming: &User) -> bool {
        held != Some(incoming) && self.versions.iter().any(|u| u == incoming)
    }
}

/// Dialogs whose held version came from an event (not from a GET).
#[derive(Debug, Default)]
pub(super) struct DialogOrigins {
    from_event: std::collections::BTreeSet<String>,
}

fn participant_states(dialog: &Dialog) -> Vec<(&str, &str)> {
    let mut states: Vec<(&str, &str)> = dialog
        .participants
        .iter()
        .map(|p| (p.media_address.as_str(), p.state.as_str()))
        .collect();
    states.sort_unstable();
    states
}

/// Same time, another state: the two cannot be put in order.
fn same_time_other_state(held: Option<&User>, incoming: &User) -> bool {
    held.is_some_and(|held| {
        held.state != incoming.state
            && held.state_changed_at().is_some()
            && held.state_changed_at() == incoming.state_changed_at()
    })
}

/// What to read again after a stale event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Refresh {
    User,
    Dialogs,
}

/// Counts of applied events, so a re-read whose answer may have been overtaken by an event
/// is asked again rather than applied: the read repeats until nothing moves meanwhile.
#[derive(Debug, Default)]
pub(super) struct ReadAgain {
    user_events: u64,
    dialog_events: u64,
    asked_at: std::collections::BTreeMap<Refresh, u64>,
}

impl ReadAgain {
    fn count(&self, what: Refresh) -> u64 {
        match what {
            Refresh::User => self.user_events,
            Refresh::Dialogs => self.dialog_events,
        }
    }

    fn applied(&mut self, event: &FinesseEvent) {
        match event {
            FinesseEvent::UserUpdated(_) => self.user_events += 1,
            FinesseEvent::DialogsAdded(_)
            | FinesseEvent::DialogUpdated(_)
            | FinesseEvent::DialogsRemoved(_) => self.dialog_events += 1,
            _ => {}
        }
    }

    fn asked(&mut self, what: Refresh) {
        let count = self.count(what);
        self.asked_at.insert(what, count);
    }

    /// No event of this kind was applied since the read was asked.
    fn undisturbed(&self, what: Refresh) -> bool {
        self.asked_at.get(&what) == Some(&self.count(what))
    }
}

/// Recently ended dialogs and the last state time seen for each.
#[derive(Debug, Default)]
pub(super) struct EndedDialogs {
    ended: VecDeque<(String, Option<DateTime<Utc>>)>,
}

impl EndedDialogs {
    pub fn remember(&mut self, dialog: &Dialog) {
        let at = latest_change(dialog);
        if let Some(entry) = self.ended.iter_mut().find(|(id, _)| *id == dialog.id) {
            entry.1 = entry.1.max(at);
            return;
        }
        if self.ended.len() == ENDED_DIALOGS_KEPT {
            self.ended.pop_front();
        }
        self.ended.push_back((dialog.id.clone(), at));
    }

    /// `Some(time)` when `dialog_id` ended (with the last state time seen, if any).
    fn ended_at(&self, dialog_id: &str) -> Option<Option<DateTime<Utc>>> {
        self.ended
            .iter()
            .find(|(id, _)| id == dialog_id)
            .map(|(_, at)| *at)
    }
}

/// The newest participant state change of a dialog.
fn latest_change(dialog: &Dialog) -> Option<DateTime<Utc>> {
    dialog
        .participants
        .iter()
        .filter_map(|p| p.state_changed_at())
        .max()
}

fn user_is_older(held: Option<&User>, incoming: &User) -> bool {
    match (
        held.and_then(User::state_changed_at),
        incoming.state_changed_at(),
    ) {
        (Some(held), Some(incoming)) => incoming < held,
        _ => false,
    }
}

/// How an event compares with what the session holds.
enum Verdict {
    Fresh,
    /// Older than what is held: skip it and read the object again.
    Late(Refresh),
    /// Cannot be placed: apply it and read the object again.
    Doubtful(Refresh),
}

impl SessionMachine {
    /// Applies an event unless it is older than what the session holds (then the object is
    /// read again).
    pub(super) fn apply_if_fresh(&mut self, event: FinesseEvent, request_id: Option<String>) {
        match self.verdict(&event) {
            Verdict::Late(refresh) => {
                tracing::info!(
                    what = ?refresh,
                    "ignoring an event older than the state held; reading it again"
                );
                self.refresh(refresh);
            }
            verdict => {
                match &event {
                    FinesseEvent::DialogsRemoved(dialogs) => {
                        for dialog in dialogs {
                            self.ended_dialogs.remember(dialog);
                            self.dialog_origins.from_event.remove(&dialog.id);
                        }
                    }
                    FinesseEvent::DialogsAdded(dialogs) => {
                        for dialog in dialogs {
                            self.dialog_origins.from_event.insert(dialog.id.clone());
                        }
                    }
                    FinesseEvent::DialogUpdated(dialog) => {
                        self.dialog_origins.from_event.insert(dialog.id.clone());
                    }
                    FinesseEvent::UserUpdated(user) => self.user_history.record(user, true),
                    _ => {}
                }
                self.read_again.applied(&event);
                self.apply_event(event, request_id);
                if let Verdict::Doubtful(refresh) = verdict {
                    tracing::info!(what = ?refresh, "two states with the same time; reading it again");
                    self.refresh(refresh);
                }
            }
        }
    }

    fn verdict(&self, event: &FinesseEvent) -> Verdict {
        let held_user = self.snapshot.user.as_ref();
        match event {
            FinesseEvent::UserUpdated(user)
                if user_is_older(held_user, user)
                    || self.user_history.is_repeat(held_user, user) =>
            {
                Verdict::Late(Refresh::User)
            }
            FinesseEvent::UserUpdated(user)
                if self.user_history.from_event && same_time_other_state(held_user, user) =>
            {
                Verdict::Doubtful(Refresh::User)
            }
            FinesseEvent::DialogUpdated(dialog) => self.dialog_verdict(dialog, false),
            FinesseEvent::DialogsAdded(dialogs) => {
                let verdicts: Vec<Verdict> = dialogs
                    .iter()
                    .map(|d| self.dialog_verdict(d, true))
                    .collect();
                if !verdicts.is_empty() && verdicts.iter().all(|v| matches!(v, Verdict::Late(_))) {
                    Verdict::Late(Refresh::Dialogs)
                } else if verdicts.iter().any(|v| !matches!(v, Verdict::Fresh)) {
                    Verdict::Doubtful(Refresh::Dialogs)
                } else {
                    Verdict::Fresh
                }
            }
            _ => Verdict::Fresh,
        }
    }

    /// `posted`: the dialog comes as new (POST) rather than as an update (PUT).
    fn dialog_verdict(&self, dialog: &Dialog, posted: bool) -> Verdict {
        let incoming = latest_change(dialog);
        match self.snapshot.dialogs.get(&dialog.id) {
            Some(held) => match (incoming, latest_change(held)) {
                (Some(incoming), Some(held_at)) if incoming < held_at => {
                    Verdict::Late(Refresh::Dialogs)
                }
                (Some(incoming), Some(held_at))
                    if incoming == held_at
                        && self.dialog_origins.from_event.contains(&dialog.id)
                        && participant_states(held) != participant_states(dialog) =>
                {
                    Verdict::Doubtful(Refresh::Dialogs)
                }
                _ => Verdict::Fresh,
            },
            None => match self.ended_dialogs.ended_at(&dialog.id) {
                None => Verdict::Fresh,
                // An update of a dialog that left the collection is always late.
                Some(_) if !posted => Verdict::Late(Refresh::Dialogs),
                // Posted again: new, unless stamped before the end.
                Some(Some(ended)) if incoming.is_some_and(|at| at < ended) => {
                    Verdict::Late(Refresh::Dialogs)
                }
                Some(_) => Verdict::Fresh,
            },
        }
    }

    fn dialog_is_older(&self, dialog: &Dialog) -> bool {
        matches!(self.dialog_verdict(dialog, false), Verdict::Late(_))
    }

    /// Remembers dialogs that vanished during an outage.
    pub(super) fn remember_ended(&mut self, dialog: &Dialog) {
        self.ended_dialogs.remember(dialog);
    }

    /// Every dialog held now comes from a GET.
    pub(super) fn dialogs_read(&mut self) {
        self.dialog_origins.from_event.clear();
    }

    fn refresh(&mut self, what: Refresh) {
        let Some(user_id) = self.user_id.clone() else {
            return;
        };
        let pending = self.ops.values().any(|p| *p == OpPurpose::Refresh(what));
        if pending {
            return;
        }
        let request = match what {
            Refresh::User => RestRequest::User { user_id },
            Refresh::Dialogs => RestRequest::Dialogs { user_id },
        };
        self.read_again.asked(what);
        self.rest(request, OpPurpose::Refresh(what));
    }

    pub(super) fn on_refresh_reply(
        &mut self,
        what: Refresh,
        result: Result<RestReply, RestFailure>,
    ) {
        if !self.is_connected() {
            // A resync is coming (or the session ended); it reads everything anyway.
            return;
        }
        if result.is_ok() && !self.read_again.undisturbed(what) {
            // An event came while the GET was out: its answer may be older than that
            // event, with nothing to tell. Ask again.
            return self.refresh(what);
        }
        match (what, result) {
            (Refresh::User, Ok(RestReply::User(user))) => {
                if !user_is_older(self.snapshot.user.as_ref(), &user) {
                    self.user_history.record(&user, false);
                    self.apply_event(FinesseEvent::UserUpdated(user), None);
                }
            }
            (Refresh::Dialogs, Ok(RestReply::Dialogs(dialogs))) => self.settle_dialogs(dialogs),
            (_, Ok(_)) => {}
            (_, Err(failure)) => {
                tracing::info!("re-reading after a late event failed: {}", failure.message)
            }
        }
    }

    /// Brings the dialogs in line with a fresh GET, one event at a time so that everything
    /// downstream (commands waiting, choices, subscribers) sees ordinary changes.
    fn settle_dialogs(&mut self, fresh: Vec<Dialog>) {
        let gone: Vec<Dialog> = self
            .snapshot
            .dialogs
            .values()
            .filter(|held| !fresh.iter().any(|d| d.id == held.id))
            .cloned()
            .collect();
        if !gone.is_empty() {
            for dialog in &gone {
                self.ended_dialogs.remember(dialog);
            }
            self.apply_event(FinesseEvent::DialogsRemoved(gone), None);
        }
        for dialog in fresh {
            self.dialog_origins.from_event.remove(&dialog.id);
            let event = match self.snapshot.dialogs.get(&dialog.id) {
                None => FinesseEvent::DialogsAdded(vec![dialog]),
                Some(held) if *held != dialog && !self.dialog_is_older(&dialog) => {
                    FinesseEvent::DialogUpdated(dialog)
                }
                Some(_) => continue,
            };
            self.apply_event(event, None);
        }
    }
}
