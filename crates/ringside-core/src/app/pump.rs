//! The task that carries one session's news to the desk: connection changes, snapshots,
//! events the snapshot does not show (Finesse errors, refused after-call choices), the
//! ring player's warnings, and a one-second tick while a timer is on screen. It also starts
//! the Team view's own pump once the User turns out to be a supervisor.
use std::sync::{Arc, Weak};
use std::time::Duration;

use finesse::model::{AgentState, ReasonCategory, ReasonCode, Snapshot};
use finesse::session::{ConnectionState, Session, SessionError, SessionEvent};
use tokio::sync::broadcast::error::RecvError;

use crate::desk::{AlertLevel, ConnectionStatus};

use super::state::{AppState, Inner};
use super::ShellEffect;

/// Start following `session`.
pub(crate) fn spawn(inner: &Arc<Inner>, session: Session) -> tokio::task::JoinHandle<()> {
    tokio::spawn(run(Arc::downgrade(inner), session))
}

async fn run(inner: Weak<Inner>, session: Session) {
    let mut connection = session.connection();
    let mut snapshots = session.snapshot_watch();
    let mut events = session.events();
    let mut ring_status = match inner.upgrade() {
        Some(inner) => inner.ring.status(),
        None => return,
    };
    let mut ring_open = true;
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // Take the current state first; then every change.
    connection.mark_changed();
    snapshots.mark_changed();
    loop {
        let Some(app) = inner.upgrade() else { return };
        let ticking = needs_tick(&app);
        drop(app);
        tokio::select! {
            changed = connection.changed() => {
                if changed.is_err() {
                    return;
                }
                let state = connection.borrow_and_update().clone();
                let Some(app) = inner.upgrade() else { return };
                on_connection(&app, &session, &state);
            }
            changed = snapshots.changed() => {
                if changed.is_err() {
                    return;
                }
                let snapshot = Arc::clone(&snapshots.borrow_and_update());
                let Some(app) = inner.upgrade() else { return };
                // Before the desk shows a supervisor, their Team view is being fed.
                super::team::start_if_supervisor(&app, &session, &snapshot);
                on_snapshot(&app, &session, &snapshot);
            }
            event = events.recv() => match event {
                Ok(event) => {
                    let Some(app) = inner.upgrade() else { return };
                    on_event(&app, &session, event);
                }
                // The snapshot watch carries the state; a lost event only loses an alert.
                Err(RecvError::Lagged(skipped)) => {
                    tracing::warn!(skipped, "the app fell behind the session's events");
                }
                Err(RecvError::Closed) => return,
            },
            changed = ring_status.changed(), if ring_open => {
                if changed.is_err() {
                    // The player is gone: nothing more to hear from it.
                    ring_open = false;
                    continue;
                }
                let warnings = ring_status.borrow_and_update().warnings.clone();
                let Some(app) = inner.upgrade() else { return };
                if !warnings.is_empty() {
                    app.alert_ring_warnings(&warnings);
                }
            }
            _ = tick.tick(), if ticking => {
                let Some(app) = inner.upgrade() else { return };
                app.refresh();
            }
        }
    }
}

/// Something time-based is on screen: a state timer, the wrap-up countdown, or a
/// "reconnecting … 4 s" banner. Signed out and idle, the task sleeps until news arrives.
fn needs_tick(app: &Inner) -> bool {
    let state = app.lock();
    let connection = state.desk.view(app.now_ms()).connection.status;
    state.desk.snapshot().user.is_some()
        || !matches!(
            connection,
            ConnectionStatus::SignedOut
                | ConnectionStatus::Connected
                | ConnectionStatus::Failed
                | ConnectionStatus::SignedInElsewhere
        )
}

/// Whether `session` is still the app's live one. A pump's news can race the sign-out that
/// discards its session; news from a discarded session must not reach the desk (it would
/// put the signed-out agent back on screen).
fn is_live(state: &AppState, session: &Session) -> bool {
    state
        .live
        .as_ref()
        .is_some_and(|live| live.session.is_same_session(session))
}

fn on_connection(app: &Arc<Inner>, session: &Session, state: &ConnectionState) {
    let live = app.update(|s, now| {
        let live = is_live(s, session);
        if live {
            s.desk.apply_connection(state, now);
        }
        live
    });
    if live && state.is_connected() {
        tokio::spawn(load_lookups(Arc::clone(app), session.clone()));
    }
}

fn on_snapshot(app: &Inner, session: &Session, snapshot: &Snapshot) {
    app.update(|s, now| {
        if !is_live(s, session) {
            return;
        }
        let server_time = snapshot.system_info.as_ref().and_then(|info| {
            let stamp = info.current_timestamp.clone()?;
            Some((stamp, info.current_time()?.timestamp_millis()))
        });
        if let (Some(live), Some((stamp, server_ms))) = (s.live.as_mut(), server_time) {
            if live.measured_timestamp.as_deref() != Some(stamp.as_str()) {
                live.measured_timestamp = Some(stamp);
                s.desk.set_server_time(server_ms, now);
            }
        }
        s.desk.apply_snapshot(snapshot, now);
    });
}

fn on_event(app: &Inner, session: &Session, event: SessionEvent) {
    if !is_live(&app.lock(), session) {
        return;
    }
    match event {
        SessionEvent::FinesseErrors { errors, .. } => {
            let message = errors
                .first()
                .map(ToString::to_string)
                .unwrap_or_else(|| "Finesse reported an error.".to_owned());
            app.update(|s, now| {
                s.desk
                    .push_alert(AlertLevel::Error, "finesse_error", message, now)
            });
        }
        SessionEvent::ReconnectStruggling {
            attempts,
            node,
            last_error,
            ..
        } => {
            // Once per outage (the session decides when it is "struggling").
            let message = format!(
                "Still trying to reach Finesse ({node}) after {attempts} attempts: {last_error}"
            );
            app.update(|s, now| {
                s.desk.push_alert(
                    AlertLevel::Warning,
                    "reconnect_struggling",
                    message.clone(),
                    now,
                )
            });
            app.emit(ShellEffect::Notify {
                call_id: None,
                title: "Ringside cannot reach Finesse".to_owned(),
                body: message,
            });
        }
        SessionEvent::StateForced {
            state, explanation, ..
        } => {
            // The server changed the agent's state on its own (forced logout, ring no answer,
            // connection failure): say why in plain words.
            let level = if state == AgentState::Logout {
                AlertLevel::Error
            } else {
                AlertLevel::Warning
            };
            app.update(|s, now| s.desk.push_alert(level, "state_forced", explanation, now));
        }
        SessionEvent::ChoiceApplied {
            error: Some(error), ..
        } => {
            let message = format!("Your choice for after the call could not be applied: {error}");
            app.update(|s, now| {
                s.desk
                    .push_alert(AlertLevel::Warning, "choice_not_applied", message, now)
            });
        }
        _ => {}
    }
}

/// Reason codes, wrap-up reasons and the layout, once per session (again after a
/// reconnect only if an earlier load was cut short).
pub(crate) async fn load_lookups(app: Arc<Inner>, session: Session) {
    let already = app
        .lock()
        .live
        .as_ref()
        .is_none_or(|live| live.lookups_loaded);
    if already {
        return;
    }
    let not_ready = session.reason_codes(ReasonCategory::NotReady).await;
    let logout = session.reason_codes(ReasonCategory::Logout).await;
    let wrap_up = session.wrap_up_reasons().await;
    let layout = session.layout().await;
    let team_codes: Vec<ReasonCode> = [&not_ready, &logout]
        .into_iter()
        .filter_map(|codes| codes.as_ref().ok())
        .flatten()
        .cloned()
        .collect();
    app.team.set_reason_codes(&team_codes);
    let complete = ![
        not_ready.as_ref().err(),
        logout.as_ref().err(),
        wrap_up.as_ref().err(),
    ]
    .into_iter()
    .flatten()
    .any(cut_short);
    app.update(|s, _| {
        match not_ready {
            Ok(codes) => s.desk.set_reason_codes(&ReasonCategory::NotReady, codes),
            Err(error) => tracing::warn!(code = error.code(), "Not Ready reasons not loaded"),
        }
        match logout {
            Ok(codes) => s.desk.set_reason_codes(&ReasonCategory::Logout, codes),
            Err(error) => tracing::warn!(code = error.code(), "Logout reasons not loaded"),
        }
        match wrap_up {
            Ok(reasons) => s.desk.set_wrap_up_reasons(reasons),
            Err(error) => tracing::warn!(code = error.code(), "wrap-up reasons not loaded"),
        }
        match layout {
            Ok(layout) => s.desk.set_layout(Some(layout)),
            // Without a layout, call data is labelled by its keys.
            Err(error) => tracing::info!(code = error.code(), "no call-data layout"),
        }
        if let Some(live) = s.live.as_mut() {
            live.lookups_loaded = complete;
        }
    });
}

/// The load was interrupted (it is worth doing again), rather than refused.
pub(crate) fn cut_short(error: &SessionError) -> bool {
    matches!(
        error,
        SessionError::NotConnected { .. }
            | SessionError::ConnectionLost
            | SessionError::SessionClosed
    )
}
