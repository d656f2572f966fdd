//! Turning a [`Ringtone`] into samples ready to play.
use std::io::Cursor;
use std::time::Duration;

use rodio::Source;

use super::{tones, PlayMode, RingWarning, Ringtone};

/// A ringtone file bigger than this is refused rather than read into memory.
const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;
/// Longest part of a file that is looped while ringing.
const MAX_RING_LENGTH: Duration = Duration::from_secs(30);
/// Longest part of a file that a preview plays.
const MAX_PREVIEW_LENGTH: Duration = Duration::from_secs(5);

/// Decoded samples, interleaved, plus what they are.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedSound {
    pub channels: u16,
    pub sample_rate: u32,
    pub samples: Vec<f32>,
    /// What plays, in settings form (`builtin:classic` or the file path).
    pub description: String,
    /// Set when the requested ringtone could not be used and the default plays instead.
    pub warning: Option<RingWarning>,
}

impl LoadedSound {
    /// The sound as a rodio source.
    pub fn to_source(&self) -> rodio::buffer::SamplesBuffer {
        rodio::buffer::SamplesBuffer::new(self.channels, self.sample_rate, self.samples.clone())
    }
}

/// Load a ringtone; anything unplayable falls back to the bundled default with a warning.
pub fn load_sound(ringtone: &Ringtone, mode: PlayMode) -> LoadedSound {
    let attempt = match ringtone {
        Ringtone::Builtin(name) => builtin(name).ok_or_else(|| RingWarning::RingtoneUnreadable {
            path: ringtone.to_setting(),
            detail: format!("there is no built-in tone named {name:?}"),
        }),
        Ringtone::File(path) => {
            let limit = match mode {
                PlayMode::Ring => MAX_RING_LENGTH,
                PlayMode::Preview => MAX_PREVIEW_LENGTH,
            };
            decode_file(path, limit).map_err(|detail| RingWarning::RingtoneUnreadable {
                path: path.display().to_string(),
                detail,
            })
        }
    };
    match attempt {
        Ok(sound) => sound,
        Err(warning) => {
            tracing::warn!(
                code = warning.code(),
                ?warning,
                "ringtone unusable, using the built-in tone"
            );
            let mut sound = fallback();
            sound.warning = Some(warning);
            sound
        }
    }
}

fn builtin(name: &str) -> Option<LoadedSound> {
    let cycle = tones::synthesize(name)?;
    Some(LoadedSound {
        channels: 1,
        sample_rate: tones::SAMPLE_RATE,
        samples: cycle.samples,
        description: format!("{}{name}", super::BUILTIN_PREFIX),
        warning: None,
    })
}

fn fallback() -> LoadedSound {
    builtin(tones::DEFAULT_TONE).unwrap_or_else(|| LoadedSound {
        // The default tone is always bundled; a second of quiet keeps the types honest.
        channels: 1,
        sample_rate: tones::SAMPLE_RATE,
        samples: vec![0.0; tones::SAMPLE_RATE as usize],
        description: String::new(),
        warning: None,
    })
}

fn decode_file(path: &std::path::Path, limit: Duration) -> Result<LoadedSound, String> {
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "the file is {size} bytes; ringtones may be at most {MAX_FILE_BYTES}"
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let decoder = rodio::Decoder::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let channels = decoder.channels();
    let sample_rate = decoder.sample_rate();
    if channels == 0 || sample_rate == 0 {
        return Err("the file declares no channels or no sample rate".to_owned());
    }
    let max_samples =
        usize::try_from(limit.as_secs() * u64::from(sample_rate) * u64::from(channels))
            .unwrap_or(usize::MAX);
    let samples: Vec<f32> = decoder.take(max_samples).collect();
    if samples.iter().all(|s| *s == 0.0) {
        return Err("the file holds no sound".to_owned());
    }
    Ok(LoadedSound {
        channels,
        sample_rate,
        samples,
        description: path.display().to_string(),
        warning: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_falls_back_to_the_bundled_tone_with_a_warning() {
        let sound = load_sound(
            &Ringtone::File("/nonexistent/ring.ogg".into()),
            PlayMode::Ring,
        );
        assert_eq!(sound.description, "builtin:classic");
        assert_eq!(
            sound.warning.as_ref().map(RingWarning::code),
            Some("ringtone_unreadable")
        );
    }

    #[test]
    fn an_unknown_builtin_name_falls_back_too() {
        let sound = load_sound(&Ringtone::Builtin("fanfare".into()), PlayMode::Preview);
        assert_eq!(sound.description, "builtin:classic");
        assert!(sound.warning.is_some());
    }

    #[test]
    fn bundled_tones_load_without_warning() {
        let sound = load_sound(&Ringtone::Builtin("digital".into()), PlayMode::Ring);
        assert_eq!(sound.description, "builtin:digital");
        assert_eq!(sound.warning, None);
        assert_eq!(sound.channels, 1);
    }
}
