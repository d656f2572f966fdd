//! From the app controller to the desktop: every desk change goes to the webviews as the
//! `desk` event; pop-up, notification and tray effects become windows shown or hidden,
//! native notifications and tray redraws.
use ringside_core::app::{ui_events, App, ShellEffect};
use tauri::{AppHandle, Emitter, Runtime};
use tokio::sync::broadcast;

use crate::{notify, tray, windows};

fn emit<R: Runtime>(app: &AppHandle<R>, event: &str, payload: serde_json::Value) {
    if let Err(e) = app.emit(event, payload) {
        tracing::warn!(event, error = %e, "could not send an event to the windows");
    }
}

/// Carry one effect out.
fn apply<R: Runtime>(app: &AppHandle<R>, effect: ShellEffect) {
    if let Some((event, payload)) = effect.ui_event() {
        // Content first, then the window, so the pop-up never shows an old call.
        emit(app, event, payload);
    }
    match effect {
        ShellEffect::ShowPopUp { .. } => windows::show_pop_up(app),
        ShellEffect::ClosePopUp { .. } => windows::hide_pop_up(app),
        ShellEffect::Notify { title, body, .. } => notify::show(app, &title, &body),
        ShellEffect::TrayChanged { tray } => tray::update(app, tray),
    }
}

/// After missing effects (the receiver lagged), draw the tray and the pop-up as they are now.
fn resync<R: Runtime>(app: &AppHandle<R>, controller: &App) {
    tray::update(app, controller.tray());
    match controller.pop_up() {
        Some(call) => apply(app, ShellEffect::ShowPopUp { call }),
        None => {
            emit(app, ui_events::POP_UP, serde_json::Value::Null);
            windows::hide_pop_up(app);
        }
    }
}

/// Forward the controller's outputs for as long as the app runs. `effects` must have been
/// subscribed before the tray was first drawn, so no change falls in between.
pub fn forward<R: Runtime>(
    app: &AppHandle<R>,
    controller: App,
    mut effects: broadcast::Receiver<ShellEffect>,
) {
    let mut desk = controller.desk_updates();
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            let view = desk.borrow_and_update().clone();
            match serde_json::to_value(&view) {
                Ok(payload) => emit(&handle, ui_events::DESK, payload),
                Err(e) => tracing::error!(error = %e, "the desk view does not serialise"),
            }
            if desk.changed().await.is_err() {
                break;
            }
        }
    });
    // Team diffs (supervisors only): a lagged receiver just carries on — the UI sees the gap
    // in `seq` and asks for the whole view with `get_team`.
    let mut team = controller.team_updates();
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match team.recv().await {
                Ok(diff) => match serde_json::to_value(&diff) {
                    Ok(payload) => emit(&handle, ui_events::TEAM, payload),
                    Err(e) => tracing::error!(error = %e, "a team diff does not serialise"),
                },
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    tracing::debug!(missed, "team diffs lagged; the UI resyncs");
                }
                Err(broadcast::error::RecvError::Closed) => break,
            }
        }
    });
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match effects.recv().await {
                Ok(effect) => apply(&handle, effect),
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "shell effects lagged; redrawing");
                    resync(&handle, &controller);
                }
                Err(broadcast::error::RecvError::Closed) => break,
            }
        }
    });
}
