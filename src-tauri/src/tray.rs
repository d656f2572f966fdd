//! The tray icon: its picture per agent state, its tooltip, and the menu that carries the
//! state switch, Open, Sign out and Quit (Linux does not deliver tray clicks, so everything
//! is in the menu). The menu is drawn from the app's [`TrayView`]; a click is turned back
//! into a [`TrayCommand`] by its item id.
use std::sync::Mutex;

use ringside_core::desk::{TrayCommand, TrayIcon, TrayMenuEntry, TrayMenuItem, TrayView};
use tauri::image::Image;
use tauri::menu::{CheckMenuItem, IsMenuItem, Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime};

use crate::state::AppHandleState;
use crate::{notify, quit, windows};

/// The id of Ringside's one tray icon.
pub const TRAY_ID: &str = "ringside";

/// The PNG drawn for each tray state (see `icons/README.md`).
pub fn icon_png(icon: TrayIcon) -> &'static [u8] {
    match icon {
        TrayIcon::Ready => include_bytes!("../../icons/tray-ready.png"),
        TrayIcon::NotReady => include_bytes!("../../icons/tray-not-ready.png"),
        TrayIcon::Ringing => include_bytes!("../../icons/tray-ringing.png"),
        TrayIcon::Talking => include_bytes!("../../icons/tray-talking.png"),
        TrayIcon::WrapUp => include_bytes!("../../icons/tray-wrap-up.png"),
        TrayIcon::Offline => include_bytes!("../../icons/tray-offline.png"),
    }
}

/// What the tray shows now, so an update touches only what changed (rebuilding the menu
/// every second for a timer in the tooltip would close it under the agent's pointer).
#[derive(Debug, Default)]
pub struct TrayShown(Mutex<Option<TrayView>>);

fn item<R: Runtime>(
    app: &AppHandle<R>,
    entry: &TrayMenuItem,
) -> tauri::Result<Box<dyn IsMenuItem<R>>> {
    Ok(if entry.checked {
        Box::new(CheckMenuItem::with_id(
            app,
            &entry.id,
            &entry.label,
            entry.enabled,
            true,
            None::<&str>,
        )?)
    } else {
        Box::new(MenuItem::with_id(
            app,
            &entry.id,
            &entry.label,
            entry.enabled,
            None::<&str>,
        )?)
    })
}

/// The native menu for the app's menu model.
fn build_menu<R: Runtime>(app: &AppHandle<R>, entries: &[TrayMenuEntry]) -> tauri::Result<Menu<R>> {
    let menu = Menu::new(app)?;
    for (index, entry) in entries.iter().enumerate() {
        match entry {
            TrayMenuEntry::Item(entry) => menu.append(item(app, entry)?.as_ref())?,
            TrayMenuEntry::Submenu {
                label,
                enabled,
                items,
            } => {
                let submenu = Submenu::new(app, label, *enabled)?;
                for entry in items {
                    submenu.append(item(app, entry)?.as_ref())?;
                }
                menu.append(&submenu)?;
            }
            TrayMenuEntry::Label { text } => {
                let id = format!("label-{index}");
                menu.append(&MenuItem::with_id(app, id, text, false, None::<&str>)?)?;
            }
            TrayMenuEntry::Separator => menu.append(&PredefinedMenuItem::separator(app)?)?,
        }
    }
    Ok(menu)
}

fn image(icon: TrayIcon) -> tauri::Result<Image<'static>> {
    Image::from_bytes(icon_png(icon))
}

/// Put the tray icon up.
pub fn create<R: Runtime>(app: &AppHandle<R>, view: &TrayView) -> tauri::Result<()> {
    let menu = build_menu(app, &view.menu)?;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(image(view.icon)?)
        .tooltip(&view.tooltip)
        .menu(&menu)
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| on_menu_click(app, event.id().as_ref()))
        .build(app)?;
    app.manage(TrayShown(Mutex::new(Some(view.clone()))));
    Ok(())
}

/// Redraw what changed since the last view.
pub fn update<R: Runtime>(app: &AppHandle<R>, view: TrayView) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let Some(shown) = app.try_state::<TrayShown>() else {
        return;
    };
    let mut shown = shown
        .0
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let before = shown.as_ref();
    let result = (|| -> tauri::Result<()> {
        if before.map(|b| b.icon) != Some(view.icon) {
            tray.set_icon(Some(image(view.icon)?))?;
        }
        if before.map(|b| &b.tooltip) != Some(&view.tooltip) {
            tray.set_tooltip(Some(&view.tooltip))?;
        }
        if before.map(|b| &b.menu) != Some(&view.menu) {
            tray.set_menu(Some(build_menu(app, &view.menu)?))?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => *shown = Some(view),
        Err(e) => tracing::warn!(error = %e, "could not update the tray"),
    }
}

/// A tray menu item was chosen.
fn on_menu_click<R: Runtime>(app: &AppHandle<R>, id: &str) {
    let Some(command) = TrayCommand::from_id(id) else {
        return;
    };
    tracing::info!(item = %command.id(), "tray menu");
    let controller = app.state::<AppHandleState>().app.clone();
    match command {
        TrayCommand::Open => windows::show_main(app),
        TrayCommand::Quit => quit::request_quit(app),
        TrayCommand::SignOut => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                if let Err(error) = controller.sign_out(None).await {
                    notify::request_failed(&app, "Sign out failed", &error);
                }
            });
        }
        state_change => {
            if let Some(request) = state_change.state_request() {
                let app = app.clone();
                tauri::async_runtime::spawn(async move {
                    if let Err(error) = controller.set_state(request).await {
                        notify::request_failed(&app, "State change failed", &error);
                    }
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tray_state_has_a_png_icon() {
        let states = [
            TrayIcon::Ready,
            TrayIcon::NotReady,
            TrayIcon::Ringing,
            TrayIcon::Talking,
            TrayIcon::WrapUp,
            TrayIcon::Offline,
        ];
        for state in states {
            let png = icon_png(state);
            assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{state:?} is not a PNG");
            let decoded = Image::from_bytes(png).unwrap();
            assert_eq!((decoded.width(), decoded.height()), (64, 64), "{state:?}");
        }
    }

    #[test]
    fn tray_states_look_different() {
        let icons = [
            icon_png(TrayIcon::Ready),
            icon_png(TrayIcon::NotReady),
            icon_png(TrayIcon::Ringing),
            icon_png(TrayIcon::Talking),
            icon_png(TrayIcon::WrapUp),
            icon_png(TrayIcon::Offline),
        ];
        for (i, a) in icons.iter().enumerate() {
            for b in &icons[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }
}
