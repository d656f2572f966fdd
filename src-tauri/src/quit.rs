//! Quitting. While the agent is signed in, Ringside asks first whether to sign out of
//! Finesse too (a small native dialog); otherwise it quits at once. Either way the app
//! controller shuts down before the process exits.
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::{
    DialogExt, MessageDialogButtons, MessageDialogKind, MessageDialogResult,
};

use crate::state::AppHandleState;

const SIGN_OUT_AND_QUIT: &str = "Sign out and quit";
const QUIT_SIGNED_IN: &str = "Quit, stay signed in";
const CANCEL: &str = "Cancel";

/// What the agent chose in the quit dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuitChoice {
    SignOutAndQuit,
    QuitSignedIn,
    Stay,
}

/// Read the dialog's answer (custom labels on some platforms, yes/no/cancel on others).
pub fn quit_choice(result: &MessageDialogResult) -> QuitChoice {
    match result {
        MessageDialogResult::Yes => QuitChoice::SignOutAndQuit,
        MessageDialogResult::No => QuitChoice::QuitSignedIn,
        MessageDialogResult::Custom(label) if label == SIGN_OUT_AND_QUIT => {
            QuitChoice::SignOutAndQuit
        }
        MessageDialogResult::Custom(label) if label == QUIT_SIGNED_IN => QuitChoice::QuitSignedIn,
        _ => QuitChoice::Stay,
    }
}

/// "Quit" from the tray menu.
pub fn request_quit<R: Runtime>(app: &AppHandle<R>) {
    let controller = app.state::<AppHandleState>().app.clone();
    if !controller.quit_needs_confirmation() {
        finish(app, false);
        return;
    }
    let handle = app.clone();
    app.dialog()
        .message(
            "You are still signed in to Finesse. Sign out before quitting? If you stay signed \
             in, Finesse signs you out by itself shortly after Ringside is gone.",
        )
        .title("Quit Ringside")
        .kind(MessageDialogKind::Warning)
        .buttons(MessageDialogButtons::YesNoCancelCustom(
            SIGN_OUT_AND_QUIT.to_owned(),
            QUIT_SIGNED_IN.to_owned(),
            CANCEL.to_owned(),
        ))
        .show_with_result(move |result| match quit_choice(&result) {
            QuitChoice::SignOutAndQuit => finish(&handle, true),
            QuitChoice::QuitSignedIn => finish(&handle, false),
            QuitChoice::Stay => {}
        });
}

/// Shut the controller down (signing out first if asked), then exit.
fn finish<R: Runtime>(app: &AppHandle<R>, sign_out: bool) {
    tracing::info!(sign_out, "quitting");
    let controller = app.state::<AppHandleState>().app.clone();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        controller.shutdown(sign_out).await;
        app.exit(0);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dialog_answers_map_to_choices() {
        let custom = |label: &str| MessageDialogResult::Custom(label.to_owned());
        assert_eq!(
            quit_choice(&custom(SIGN_OUT_AND_QUIT)),
            QuitChoice::SignOutAndQuit
        );
        assert_eq!(
            quit_choice(&custom(QUIT_SIGNED_IN)),
            QuitChoice::QuitSignedIn
        );
        assert_eq!(quit_choice(&custom(CANCEL)), QuitChoice::Stay);
        assert_eq!(
            quit_choice(&MessageDialogResult::Yes),
            QuitChoice::SignOutAndQuit
        );
        assert_eq!(
            quit_choice(&MessageDialogResult::No),
            QuitChoice::QuitSignedIn
        );
        assert_eq!(quit_choice(&MessageDialogResult::Cancel), QuitChoice::Stay);
    }
}
