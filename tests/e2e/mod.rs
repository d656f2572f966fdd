//! Helpers for the end-to-end tests (`tests/tests/e2e_*.rs`): the real `ringside` binary in
//! its real webview (WebKitGTK) on a private Xvfb desktop, driven over WebDriver, against the
//! in-process Finesse emulator. See `tests/e2e/README.md`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod desktop;
pub mod dialogs;
pub mod driver;
pub mod lab;
pub mod notifications;
pub mod prerequisites;
pub mod tray;
pub mod wait;

use desktop::Desktop;
use driver::{AppSession, Driver};
use lab::E2eLab;

/// One test's world: desktop, emulator and driver, torn down in reverse order on drop.
pub struct World {
    pub lab: E2eLab,
    pub driver: Driver,
    pub desktop: Desktop,
}

impl World {
    /// Start the desktop, the emulator and the driver.
    pub async fn start() -> World {
        let app = prerequisites::app_binary();
        assert!(app.is_file());
        let desktop = Desktop::start();
        let lab = E2eLab::start().await;
        let driver = Driver::start(&desktop);
        World {
            lab,
            driver,
            desktop,
        }
    }

    /// Launch the app against the emulator.
    pub async fn launch(&self) -> AppSession {
        AppSession::launch(
            &self.driver,
            &prerequisites::app_binary(),
            &self.lab.app_args(),
        )
        .await
    }
}
