//! The bundled ringtones, synthesised from sine waves when they are played.
//!
//! Nothing is recorded or copied: each tone is a few lines of arithmetic below, so the
//! bundle is license-clean by construction and costs no asset files. One *cycle* of a tone
//! is the sound plus its pause; ringing repeats the cycle, a preview plays it once.
use std::f32::consts::TAU;

/// Sample rate of the synthesised tones.
pub const SAMPLE_RATE: u32 = 44_100;

/// The tone used when none is chosen or the chosen one cannot be played.
pub const DEFAULT_TONE: &str = "classic";

/// Names of the bundled tones, as `builtin:<name>` in the settings.
pub const BUILTIN_TONES: [&str; 3] = ["classic", "digital", "soft"];

/// The bundled tones in settings form (`builtin:classic`, …), for the Settings screen.
pub fn setting_names() -> Vec<String> {
    BUILTIN_TONES
        .iter()
        .map(|name| format!("{}{name}", super::BUILTIN_PREFIX))
        .collect()
}

/// Edges of every burst fade over this long, so bursts start and stop without a click.
const RAMP_SECONDS: f32 = 0.008;

/// One cycle of mono samples at [`SAMPLE_RATE`].
#[derive(Debug, Clone, PartialEq)]
pub struct ToneCycle {
    pub samples: Vec<f32>,
}

/// One cycle of a bundled tone, or `None` for a name that is not bundled.
pub fn synthesize(name: &str) -> Option<ToneCycle> {
    let samples = match name {
        "classic" => classic(),
        "digital" => digital(),
        "soft" => soft(),
        _ => return None,
    };
    Some(ToneCycle { samples })
}

/// A two-tone telephone ring: 400 Hz and 450 Hz together, twice 0.4 s with 0.2 s between,
/// then 2 s of quiet.
fn classic() -> Vec<f32> {
    let mut out = Vec::new();
    let burst = |out: &mut Vec<f32>| {
        push_shaped(out, 0.4, |t| {
            0.35 * ((TAU * 400.0 * t).sin() + (TAU * 450.0 * t).sin())
        })
    };
    burst(&mut out);
    push_silence(&mut out, 0.2);
    burst(&mut out);
    push_silence(&mut out, 2.0);
    out
}

/// Four short electronic beeps alternating 1200 Hz and 900 Hz, then 1.5 s of quiet.
fn digital() -> Vec<f32> {
    let mut out = Vec::new();
    for frequency in [1200.0, 900.0, 1200.0, 900.0] {
        push_shaped(&mut out, 0.08, |t| 0.5 * (TAU * frequency * t).sin());
        push_silence(&mut out, 0.04);
    }
    push_silence(&mut out, 1.5);
    out
}

/// A gentle rising chime (E5, G5, C6), each note decaying like a struck bar, then 1.75 s of
/// quiet.
fn soft() -> Vec<f32> {
    let mut out = Vec::new();
    for frequency in [659.25_f32, 783.99, 1046.5] {
        push_shaped(&mut out, 0.25, |t| {
            let decay = (-t * 9.0).exp();
            0.55 * decay * ((TAU * frequency * t).sin() + 0.25 * (TAU * 2.0 * frequency * t).sin())
        });
    }
    push_silence(&mut out, 1.75);
    out
}

fn sample_count(seconds: f32) -> usize {
    // Durations here are short positive constants, so the product fits easily.
    (seconds * SAMPLE_RATE as f32).round() as usize
}

fn push_silence(out: &mut Vec<f32>, seconds: f32) {
    out.resize(out.len() + sample_count(seconds), 0.0);
}

/// Append `seconds` of `wave(t)` with short linear fades at both ends.
fn push_shaped(out: &mut Vec<f32>, seconds: f32, wave: impl Fn(f32) -> f32) {
    let count = sample_count(seconds);
    let ramp = sample_count(RAMP_SECONDS).max(1);
    out.extend((0..count).map(|i| {
        let t = i as f32 / SAMPLE_RATE as f32;
        let from_edge = i.min(count - 1 - i);
        let gain = (from_edge as f32 / ramp as f32).min(1.0);
        (wave(t) * gain).clamp(-1.0, 1.0)
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rms(samples: &[f32]) -> f32 {
        (samples.iter().map(|s| s * s).sum::<f32>() / samples.len() as f32).sqrt()
    }

    #[test]
    fn every_bundled_tone_is_audible_then_quiet_and_never_clips() {
        for name in BUILTIN_TONES {
            let cycle = synthesize(name).unwrap();
            let tenth = SAMPLE_RATE as usize / 10;
            assert!(rms(&cycle.samples[..tenth]) > 0.1, "{name} starts audibly");
            assert_eq!(
                rms(&cycle.samples[cycle.samples.len() - tenth..]),
                0.0,
                "{name} ends in a pause"
            );
            assert!(
                cycle.samples.iter().all(|s| s.abs() <= 1.0),
                "{name} stays in range"
            );
            assert!(
                cycle.samples.len() > SAMPLE_RATE as usize,
                "{name} lasts over a second"
            );
        }
    }

    #[test]
    fn bursts_fade_in_instead_of_clicking() {
        let cycle = synthesize("classic").unwrap();
        assert!(cycle.samples[0].abs() < 1e-6);
        assert!(cycle.samples[1].abs() < 0.05);
    }

    #[test]
    fn unknown_names_are_not_bundled() {
        assert_eq!(synthesize("fanfare"), None);
        assert!(synthesize(DEFAULT_TONE).is_some());
    }
}
