//! Where settings files live, reading them tolerantly, and writing the user's atomically.
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::error::{Layer, SettingsError, SettingsWarning};
use super::layer::SettingsLayer;

/// The two settings files. Tests (and `--config` style overrides) point them elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsPaths {
    /// IT's TOML file for every user of the machine; `None` to use none.
    pub system: Option<PathBuf>,
    /// The agent's own JSON file; `None` when the OS has no per-user config folder.
    pub user: Option<PathBuf>,
}

impl SettingsPaths {
    /// The usual places: `/etc/ringside/config.toml` (Linux),
    /// `%PROGRAMDATA%\Ringside\config.toml` (Windows),
    /// `/Library/Application Support/Ringside/config.toml` (macOS), and
    /// `<config dir>/ringside/settings.json` for the user.
    pub fn for_this_machine() -> Self {
        SettingsPaths {
            system: Some(system_file()),
            user: dirs::config_dir().map(|dir| dir.join("ringside").join("settings.json")),
        }
    }
}

fn system_file() -> PathBuf {
    if cfg!(windows) {
        let program_data = std::env::var_os("PROGRAMDATA")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(r"C:\ProgramData"));
        program_data.join("Ringside").join("config.toml")
    } else if cfg!(target_os = "macos") {
        PathBuf::from("/Library/Application Support/Ringside/config.toml")
    } else {
        PathBuf::from("/etc/ringside/config.toml")
    }
}

/// How a settings file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Toml,
    Json,
}

/// Reads one layer's file. A missing file is an empty layer; an unreadable or invalid one is
/// an empty layer and a warning.
pub(super) fn read_layer(
    path: &Path,
    format: Format,
    layer: Layer,
    warnings: &mut Vec<SettingsWarning>,
) -> SettingsLayer {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return SettingsLayer::default()
        }
        Err(error) => {
            warnings.push(SettingsWarning::file_unreadable(layer, path, &error));
            return SettingsLayer::default();
        }
    };
    let parsed: Result<Value, String> = match format {
        Format::Toml => toml::from_str(&text).map_err(|e| match e.span() {
            Some(span) => {
                let line = text
                    .get(..span.start)
                    .map_or(1, |before| before.matches('\n').count() + 1);
                format!("line {line}: {}", e.message())
            }
            None => e.message().to_owned(),
        }),
        Format::Json => serde_json::from_str(&text).map_err(|e| e.to_string()),
    };
    match parsed {
        Ok(value) => SettingsLayer::from_value(value, layer, warnings),
        Err(detail) => {
            warnings.push(SettingsWarning::file_invalid(layer, &detail));
            SettingsLayer::default()
        }
    }
}

/// Replaces `path` with `bytes` so that a reader (or a crash) sees the old file or the new
/// one, never half of one: write a temporary file beside it, flush it to disk, rename it over.
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), SettingsError> {
    let failed = |source| SettingsError::Write {
        path: path.to_owned(),
        source,
    };
    let folder = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).map_err(failed)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "settings".to_owned());
    let temporary = folder.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::File::create(&temporary).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    let renamed = written.and_then(|()| std::fs::rename(&temporary, path));
    if let Err(error) = renamed {
        // Best effort: the temporary file is ours and useless now.
        let _ = std::fs::remove_file(&temporary);
        return Err(failed(error));
    }
    Ok(())
}
