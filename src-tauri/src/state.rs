//! The state every command and handler shares: the app controller, and how it was built.
use std::sync::Arc;

use ringside_core::app::{App, AppOptions, AppTuning, SystemClock};
use ringside_core::keychain::OsKeychain;
use ringside_core::ring::RingPlayer;
use ringside_core::settings::{NodesLayer, SettingsLayer, SettingsPaths, SettingsStore};

use crate::cli::LaunchOptions;

/// Managed by Tauri; commands receive it as `State<'_, AppHandleState>`.
#[derive(Debug, Clone)]
pub struct AppHandleState {
    pub app: App,
}

/// Why the app controller could not be built.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot start the audio thread for the ring: {0}")]
    RingThread(#[source] std::io::Error),
}

impl StartError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            StartError::RingThread(_) => "ring_thread_failed",
        }
    }
}

/// The command line as the top settings layer.
pub fn command_line_layer(options: &LaunchOptions) -> SettingsLayer {
    SettingsLayer {
        nodes: NodesLayer {
            a: options.node_a.clone(),
            b: options.node_b.clone(),
            locked: None,
        },
        start_minimised: options.minimised.then_some(true),
        ..SettingsLayer::default()
    }
}

impl AppHandleState {
    /// Build the controller from the settings files, the OS keychain and the audio output.
    /// Must run inside the async runtime (the app starts tasks on it).
    pub fn start(options: &LaunchOptions) -> Result<AppHandleState, StartError> {
        let settings = SettingsStore::load(
            SettingsPaths::for_this_machine(),
            command_line_layer(options),
        );
        for warning in settings.warnings() {
            tracing::warn!(code = warning.code, key = ?warning.key, "settings: {}", warning.message);
        }
        let ring = RingPlayer::new().map_err(StartError::RingThread)?;
        let app = App::new(AppOptions {
            settings,
            keychain: Arc::new(OsKeychain::new()),
            ring: Arc::new(ring),
            clock: Arc::new(SystemClock),
            demo_hint: options.demo_hint.clone(),
            extra_ca_file: options.ca_file.clone(),
            tuning: AppTuning::default(),
        });
        Ok(AppHandleState { app })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn launch_flags_become_the_command_line_settings_layer() {
        let options = LaunchOptions {
            node_a: Some("fin-a.example.com".into()),
            node_b: Some("fin-b.example.com".into()),
            minimised: true,
            ..LaunchOptions::default()
        };
        let layer = command_line_layer(&options);
        assert_eq!(layer.nodes.a.as_deref(), Some("fin-a.example.com"));
        assert_eq!(layer.nodes.b.as_deref(), Some("fin-b.example.com"));
        assert_eq!(layer.start_minimised, Some(true));
    }

    #[test]
    fn without_flags_the_command_line_overrides_nothing() {
        assert_eq!(
            command_line_layer(&LaunchOptions::default()),
            SettingsLayer::default()
        );
    }
}
