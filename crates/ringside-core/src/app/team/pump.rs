//! The team pump: one task per supervisor session that feeds the board and sends its diffs.
//!
//! It is started by the desk's pump when the session's User turns out to be a supervisor
//! (before the desk shows that User, so the desk never shows a supervisor without it), and
//! ends with the session. A plain agent never gets one: no task, no timer.
use std::sync::{Arc, Weak};
use std::time::Duration;

use finesse::model::{Snapshot, TeamRef, User};
use finesse::session::{ConnectionState, Session};
use tokio::sync::broadcast::error::RecvError;

use crate::desk::AlertLevel;

use super::super::error::AppError;
use super::super::pump::cut_short;
use super::super::state::Inner;
use super::follow::{follow_chosen, TeamFollow};
use super::is_current;

/// Starts the team pump of the live session if its User is a supervisor and it has none.
pub(crate) fn start_if_supervisor(inner: &Arc<Inner>, session: &Session, snapshot: &Snapshot) {
    if !snapshot.user.as_ref().is_some_and(User::is_supervisor) {
        return;
    }
    let mut state = inner.lock();
    let Some(live) = state
        .live
        .as_mut()
        .filter(|live| live.session.is_same_session(session))
    else {
        return;
    };
    if live.team_pump.is_none() {
        let follow = Arc::clone(&live.team_follow);
        live.team_pump = Some(tokio::spawn(run(
            Arc::downgrade(inner),
            session.clone(),
            follow,
        )));
    }
}

/// What the pump last handed the board, to hand over only changes.
#[derive(Default)]
struct Fed {
    connected: bool,
    /// The session gave up (refused, signed in elsewhere): nothing will change any more.
    ended: bool,
    teams: Option<Vec<TeamRef>>,
    /// SystemInfo `currentTimestamp` last used to measure the server clock.
    measured_timestamp: Option<String>,
}

async fn run(inner: Weak<Inner>, session: Session, follow: Arc<TeamFollow>) {
    let mut connection = session.connection();
    let mut snapshots = session.snapshot_watch();
    let mut events = session.events();
    let interval_ms = match inner.upgrade() {
        Some(app) => app.team.policy().diff_interval_ms,
        None => return,
    };
    let mut tick = tokio::time::interval(Duration::from_millis(
        u64::try_from(interval_ms.max(1)).unwrap_or(1),
    ));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut fed = Fed::default();
    connection.mark_changed();
    snapshots.mark_changed();
    loop {
        tokio::select! {
            changed = connection.changed() => {
                if changed.is_err() {
                    return;
                }
                let state = connection.borrow_and_update().clone();
                let snapshot = Arc::clone(&snapshots.borrow());
                let Some(app) = inner.upgrade() else { return };
                on_connection(&app, &session, &follow, &mut fed, &state, &snapshot);
            }
            changed = snapshots.changed() => {
                if changed.is_err() {
                    return;
                }
                let snapshot = Arc::clone(&snapshots.borrow_and_update());
                let Some(app) = inner.upgrade() else { return };
                on_snapshot(&app, &session, &follow, &mut fed, &snapshot);
            }
            event = events.recv() => {
                let Some(app) = inner.upgrade() else { return };
                let now = app.now_ms();
                match event {
                    Ok(event) => {
                        app.team.change(|board| board.apply_event(event, now));
                    }
                    // Team events were lost: the session's copy of the team has them all.
                    Err(RecvError::Lagged(skipped)) => {
                        tracing::warn!(skipped, "the Team view fell behind; reloading the team");
                        let snapshot = Arc::clone(&snapshots.borrow());
                        app.team.change(|board| {
                            let team = board.chosen_team().and_then(|id| snapshot.teams.get(id));
                            if let Some(team) = team {
                                board.load_team(team, now);
                            }
                        });
                    }
                    Err(RecvError::Closed) => return,
                }
            }
            _ = tick.tick(), if !fed.ended => {
                let Some(app) = inner.upgrade() else { return };
                app.team.tick(app.now_ms());
            }
        }
    }
}

fn on_connection(
    app: &Arc<Inner>,
    session: &Session,
    follow: &Arc<TeamFollow>,
    fed: &mut Fed,
    state: &ConnectionState,
    snapshot: &Snapshot,
) {
    fed.connected = state.is_connected();
    fed.ended = state.is_terminal();
    let connected = fed.connected;
    if fed.ended {
        // No more ticks: what the end changed (no actions offered) goes out now.
        app.team
            .change_and_flush(app.now_ms(), |board| board.sync_supervisor(snapshot, false));
        return;
    }
    app.team
        .change(|board| board.sync_supervisor(snapshot, connected));
    if connected {
        spawn_follow(app, session, follow);
    }
}

fn on_snapshot(
    app: &Arc<Inner>,
    session: &Session,
    follow: &Arc<TeamFollow>,
    fed: &mut Fed,
    snapshot: &Snapshot,
) {
    let now = app.now_ms();
    let clock = snapshot.system_info.as_ref().and_then(|info| {
        let stamp = info.current_timestamp.clone()?;
        let server_ms = info.current_time()?.timestamp_millis();
        (fed.measured_timestamp.as_deref() != Some(stamp.as_str())).then_some((stamp, server_ms))
    });
    let teams = snapshot
        .user
        .as_ref()
        .map(|user| &user.teams)
        .filter(|teams| fed.teams.as_ref() != Some(*teams));
    let connected = fed.connected;
    let switch = app.team.change(|board| {
        board.sync_supervisor(snapshot, connected);
        if let Some((_, server_ms)) = &clock {
            board.set_server_clock(*server_ms, now);
        }
        teams.and_then(|teams| board.set_teams(teams))
    });
    if let Some((stamp, _)) = clock {
        fed.measured_timestamp = Some(stamp);
    }
    if let Some(teams) = teams {
        fed.teams = Some(teams.clone());
    }
    if switch.is_some() && connected {
        spawn_follow(app, session, follow);
    }
}

/// Aligns the session's team subscriptions with the board in the background; a load that
/// fails for another reason than a lost connection (which the next connect retries) is
/// shown as an alert.
fn spawn_follow(app: &Arc<Inner>, session: &Session, follow: &Arc<TeamFollow>) {
    let (app, session, follow) = (Arc::clone(app), session.clone(), Arc::clone(follow));
    tokio::spawn(async move {
        let Err(error) = follow_chosen(&app, &session, &follow).await else {
            return;
        };
        tracing::warn!(code = error.code(), %error, "the team could not be loaded");
        let interrupted = match &error {
            AppError::NotConnected => true,
            AppError::Session(e) => cut_short(e),
            _ => false,
        };
        if !interrupted && is_current(&app, &follow) {
            let message = format!("Your team could not be loaded: {error}");
            app.update(|s, now| {
                s.desk
                    .push_alert(AlertLevel::Warning, "team_not_loaded", message, now)
            });
        }
    });
}
