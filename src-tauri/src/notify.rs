//! Native notifications (libnotify / D-Bus on Linux, through tauri-plugin-notification).
use ringside_core::desk::UiError;
use tauri::{AppHandle, Runtime};
use tauri_plugin_notification::NotificationExt;

/// Show a notification; a desktop without a notification service only costs a log line.
pub fn show<R: Runtime>(app: &AppHandle<R>, title: &str, body: &str) {
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        tracing::warn!(error = %e, "could not show a notification");
    }
}

/// Tell the agent that something asked from the tray menu (where no window shows errors)
/// was refused.
pub fn request_failed<R: Runtime>(app: &AppHandle<R>, title: &str, error: &UiError) {
    tracing::warn!(code = %error.code, "{title}");
    show(app, title, &error.message);
}
