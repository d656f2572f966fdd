//! What can go wrong with settings: warnings while reading (the app goes on), errors while
//! saving (the caller tells the agent).
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::desk::UiError;

/// Which layer a setting came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    /// The file IT places for every user of the machine.
    System,
    /// The agent's own settings.
    User,
    CommandLine,
}

/// A problem found while reading a layer. The layer's other values (and every other layer)
/// still apply; the UI shows the warning so nobody wonders why a setting did not take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SettingsWarning {
    pub layer: Layer,
    /// `file_unreadable`, `file_invalid`, `value_invalid`, `setting_unknown`, `set_by_it`.
    pub code: &'static str,
    /// The setting concerned (`nodes.a`), when it is one setting.
    pub key: Option<String>,
    pub message: String,
}

impl SettingsWarning {
    pub(super) fn file_unreadable(layer: Layer, path: &Path, error: &std::io::Error) -> Self {
        SettingsWarning {
            layer,
            code: "file_unreadable",
            key: None,
            message: format!(
                "{} could not be read ({error}); its settings are not used",
                path.display()
            ),
        }
    }

    pub(super) fn file_invalid(layer: Layer, detail: &str) -> Self {
        SettingsWarning {
            layer,
            code: "file_invalid",
            key: None,
            message: format!(
                "the {} settings file is not valid ({detail}); its settings are not used",
                layer.name()
            ),
        }
    }

    pub(super) fn value_invalid(layer: Layer, key: &str, detail: &str) -> Self {
        SettingsWarning {
            layer,
            code: "value_invalid",
            key: Some(key.to_owned()),
            message: format!(
                "`{key}` in the {} settings is not valid ({detail}); it is not used",
                layer.name()
            ),
        }
    }

    pub(super) fn unknown(layer: Layer, key: &str) -> Self {
        SettingsWarning {
            layer,
            code: "setting_unknown",
            key: Some(key.to_owned()),
            message: format!(
                "`{key}` in the {} settings is not a setting; it is ignored",
                layer.name()
            ),
        }
    }

    pub(super) fn set_by_it(layer: Layer, key: &str) -> Self {
        SettingsWarning {
            layer,
            code: "set_by_it",
            key: Some(key.to_owned()),
            message: format!(
                "`{key}` can only be set by IT in the system-wide file; it is ignored"
            ),
        }
    }
}

impl Layer {
    fn name(self) -> &'static str {
        match self {
            Layer::System => "system-wide",
            Layer::User => "user",
            Layer::CommandLine => "command-line",
        }
    }
}

impl From<&SettingsWarning> for UiError {
    fn from(warning: &SettingsWarning) -> Self {
        UiError {
            code: warning.code.to_owned(),
            message: warning.message.clone(),
        }
    }
}

/// Saving the user's settings failed; the settings in memory are unchanged.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// No per-user configuration folder is known on this system.
    #[error("there is no folder for user settings on this system")]
    NoUserFolder,
    #[error("could not write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("could not encode the settings: {0}")]
    Encode(#[from] serde_json::Error),
}

impl SettingsError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            SettingsError::NoUserFolder => "settings_no_user_folder",
            SettingsError::Write { .. } => "settings_write_failed",
            SettingsError::Encode(_) => "settings_encode_failed",
        }
    }
}

impl From<&SettingsError> for UiError {
    fn from(error: &SettingsError) -> Self {
        UiError {
            code: error.code().to_owned(),
            message: error.to_string(),
        }
    }
}
