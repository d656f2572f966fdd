//! The ring: a ringtone looped while a call rings, through the chosen output device.
//!
//! [`RingOutput`] is what the app drives (start, stop, list devices, watch the status);
//! [`RingPlayer`] is the real one, playing with rodio on a thread of its own because an
//! audio output stream may not move between threads. Where no audio device exists the
//! player logs a warning, reports [`RingState::Silent`] with [`RingWarning::NoAudioDevice`]
//! and carries on: a missing sound card must never cost the agent a call.
//!
//! Ringtones are `builtin:<name>` (synthesised, see [`tones`]) or a path to the user's own
//! wav/ogg/mp3/flac file; a file that cannot be read falls back to the bundled default with
//! [`RingWarning::RingtoneUnreadable`].
mod player;
mod sound;
pub mod tones;

use std::path::PathBuf;

use serde::Serialize;
use tokio::sync::watch;

pub use player::RingPlayer;
pub use sound::{load_sound, LoadedSound};

/// Prefix of bundled tone names in the settings (`builtin:classic`).
pub const BUILTIN_PREFIX: &str = "builtin:";

/// Which sound to play.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "value")]
pub enum Ringtone {
    /// One of [`tones::BUILTIN_TONES`].
    Builtin(String),
    /// The user's own file.
    File(PathBuf),
}

impl Ringtone {
    /// Reads the settings form: `builtin:<name>`, or a path; empty means the default tone.
    pub fn from_setting(value: &str) -> Ringtone {
        let value = value.trim();
        if value.is_empty() {
            Ringtone::Builtin(tones::DEFAULT_TONE.to_owned())
        } else if let Some(name) = value.strip_prefix(BUILTIN_PREFIX) {
            Ringtone::Builtin(name.to_owned())
        } else {
            Ringtone::File(PathBuf::from(value))
        }
    }

    /// The settings form of this ringtone.
    pub fn to_setting(&self) -> String {
        match self {
            Ringtone::Builtin(name) => format!("{BUILTIN_PREFIX}{name}"),
            Ringtone::File(path) => path.display().to_string(),
        }
    }
}

impl Default for Ringtone {
    fn default() -> Self {
        Ringtone::Builtin(tones::DEFAULT_TONE.to_owned())
    }
}

/// Loop until stopped, or play once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PlayMode {
    /// A call is ringing: repeat until [`RingOutput::stop`].
    Ring,
    /// The settings screen's "preview": one cycle of the tone (at most a few seconds of a
    /// file), then idle by itself.
    Preview,
}

/// What to play, how loud and where.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RingRequest {
    pub ringtone: Ringtone,
    /// 0.0 – 1.0 (clamped).
    pub volume: f32,
    /// Output device by name (as [`RingOutput::list_outputs`] gives them); `None` is the
    /// system default. A name that is not found plays on the default with a warning.
    pub output_device: Option<String>,
    pub mode: PlayMode,
}

/// What the player is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum RingState {
    #[default]
    Idle,
    /// Looping the ringtone for a call.
    Ringing,
    /// Playing a preview once.
    Previewing,
    /// Asked to play but there is no usable audio device: nothing is heard.
    Silent,
}

/// Something the agent may want to know once, as an alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "code")]
pub enum RingWarning {
    /// No audio output could be opened; rings are silent.
    NoAudioDevice { detail: String },
    /// The chosen output device is not there; the default device is used.
    DeviceNotFound { name: String },
    /// The user's ringtone could not be played; the bundled default is used.
    RingtoneUnreadable { path: String, detail: String },
}

impl RingWarning {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            RingWarning::NoAudioDevice { .. } => "no_audio_device",
            RingWarning::DeviceNotFound { .. } => "audio_device_not_found",
            RingWarning::RingtoneUnreadable { .. } => "ringtone_unreadable",
        }
    }

    /// Plain words for the agent.
    pub fn message(&self) -> String {
        match self {
            RingWarning::NoAudioDevice { .. } => {
                "No sound device was found, so incoming calls will not ring aloud.".to_owned()
            }
            RingWarning::DeviceNotFound { name } => {
                format!(
                    "The sound device \"{name}\" is not available; ringing on the default device."
                )
            }
            RingWarning::RingtoneUnreadable { path, .. } => {
                format!("The ringtone \"{path}\" could not be played; using the built-in tone.")
            }
        }
    }
}

/// The player's status, published on a `watch` channel after every request it handles.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RingStatus {
    pub state: RingState,
    /// The device the sound goes to, while playing.
    pub device: Option<String>,
    /// What is playing (settings form), while playing.
    pub ringtone: Option<String>,
    /// Warnings of the last request (empty when it went as asked).
    pub warnings: Vec<RingWarning>,
    /// Counts the requests handled (start, stop, preview ended), so a watcher can tell a
    /// fresh status from an old one.
    pub handled: u64,
}

/// Where the ring goes: [`RingPlayer`] in the product, a recording fake in tests of the app.
pub trait RingOutput: Send + Sync {
    /// Start playing (replacing whatever plays). Returns at once; the outcome shows in
    /// [`RingOutput::status`].
    fn start(&self, request: RingRequest);
    /// Stop playing. Returns at once.
    fn stop(&self);
    /// Names of the output devices that can be chosen. Blocks while devices are probed.
    fn list_outputs(&self) -> Vec<String>;
    /// The player's status.
    fn status(&self) -> watch::Receiver<RingStatus>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_name_builtin_tones_and_files() {
        assert_eq!(
            Ringtone::from_setting("builtin:soft"),
            Ringtone::Builtin("soft".to_owned())
        );
        assert_eq!(
            Ringtone::from_setting("/home/a/ring.ogg"),
            Ringtone::File(PathBuf::from("/home/a/ring.ogg"))
        );
        assert_eq!(Ringtone::from_setting("  "), Ringtone::default());
        assert_eq!(
            Ringtone::from_setting("builtin:soft").to_setting(),
            "builtin:soft"
        );
    }
}
