//! The two windows: `main` (the desk, closes to the tray) and `pop-up` (the incoming-call
//! pop-up, bottom-right of the primary screen, shown even while `main` is hidden).
//!
//! Both are declared in `tauri.conf.json` and created hidden at start; this module only
//! shows, hides and places them.
use tauri::{AppHandle, Manager, PhysicalPosition, Runtime, WebviewWindow};

/// Label of the main window in `tauri.conf.json`.
pub const MAIN: &str = "main";
/// Label of the incoming-call pop-up window in `tauri.conf.json`.
pub const POP_UP: &str = "pop-up";

/// Gap between the pop-up and the screen's work-area corner, in logical pixels.
const POP_UP_MARGIN: f64 = 16.0;

fn window<R: Runtime>(app: &AppHandle<R>, label: &str) -> Option<WebviewWindow<R>> {
    let found = app.get_webview_window(label);
    if found.is_none() {
        tracing::error!(label, "window missing from tauri.conf.json");
    }
    found
}

/// Bring the main window up and give it the focus (tray "Open", second launch).
pub fn show_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(main) = window(app, MAIN) {
        let shown = main
            .unminimize()
            .and_then(|()| main.show())
            .and_then(|()| main.set_focus());
        if let Err(e) = shown {
            tracing::warn!(error = %e, "could not show the main window");
        }
    }
}

/// Hide the main window; the app stays in the tray.
pub fn hide_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(main) = window(app, MAIN) {
        if let Err(e) = main.hide() {
            tracing::warn!(error = %e, "could not hide the main window");
        }
    }
}

/// Where the pop-up goes: the bottom-right corner of the primary monitor's work area.
/// All values are physical pixels.
pub fn pop_up_corner(
    work_area_origin: (i32, i32),
    work_area_size: (u32, u32),
    window_size: (u32, u32),
    margin: u32,
) -> (i32, i32) {
    let right = i64::from(work_area_origin.0) + i64::from(work_area_size.0);
    let bottom = i64::from(work_area_origin.1) + i64::from(work_area_size.1);
    let x =
        (right - i64::from(window_size.0) - i64::from(margin)).max(i64::from(work_area_origin.0));
    let y =
        (bottom - i64::from(window_size.1) - i64::from(margin)).max(i64::from(work_area_origin.1));
    (
        i32::try_from(x).unwrap_or(work_area_origin.0),
        i32::try_from(y).unwrap_or(work_area_origin.1),
    )
}

fn place_pop_up<R: Runtime>(pop_up: &WebviewWindow<R>) -> tauri::Result<()> {
    let monitor = match pop_up.primary_monitor()? {
        Some(monitor) => monitor,
        None => match pop_up.current_monitor()? {
            Some(monitor) => monitor,
            None => return Ok(()),
        },
    };
    let area = monitor.work_area();
    let size = pop_up.outer_size()?;
    // The margin scales with the monitor so it looks the same on HiDPI screens.
    let margin = (POP_UP_MARGIN * monitor.scale_factor()).round() as u32;
    let (x, y) = pop_up_corner(
        (area.position.x, area.position.y),
        (area.size.width, area.size.height),
        (size.width, size.height),
        margin,
    );
    pop_up.set_position(PhysicalPosition::new(x, y))
}

/// Show the pop-up in its corner, on top, without taking the focus from what the agent is
/// typing in.
pub fn show_pop_up<R: Runtime>(app: &AppHandle<R>) {
    if let Some(pop_up) = window(app, POP_UP) {
        let shown = place_pop_up(&pop_up)
            .and_then(|()| pop_up.set_always_on_top(true))
            .and_then(|()| pop_up.show());
        if let Err(e) = shown {
            tracing::warn!(error = %e, "could not show the pop-up");
        }
    }
}

/// Hide the pop-up (call answered, ended, gone elsewhere, or dismissed).
pub fn hide_pop_up<R: Runtime>(app: &AppHandle<R>) {
    if let Some(pop_up) = window(app, POP_UP) {
        if let Err(e) = pop_up.hide() {
            tracing::warn!(error = %e, "could not hide the pop-up");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::pop_up_corner;

    #[test]
    fn pop_up_sits_in_the_bottom_right_corner_of_the_work_area() {
        // 1920x1080 screen with a 40 px panel at the bottom.
        assert_eq!(
            pop_up_corner((0, 0), (1920, 1040), (320, 140), 16),
            (1584, 884)
        );
    }

    #[test]
    fn pop_up_follows_a_primary_monitor_that_is_not_at_the_origin() {
        assert_eq!(
            pop_up_corner((1920, 200), (1280, 1024), (640, 280), 32),
            (2528, 912)
        );
    }

    #[test]
    fn pop_up_never_leaves_a_work_area_smaller_than_itself() {
        assert_eq!(pop_up_corner((0, 0), (300, 100), (320, 140), 16), (0, 0));
    }
}
