//! Ringtones from the user's own files, and what happens when a file is no good. No audio
//! device is needed: these check what is loaded, not what is heard.
// A test that cannot go on should stop right there, with the reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod ring_support;

use ringside_core::ring::{load_sound, PlayMode, RingWarning, Ringtone};

#[test]
fn the_users_wav_file_plays_as_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("my ring.wav");
    ring_support::write_sine_wav(&path, 523.0, 0.5, 2.0);

    let sound = load_sound(&Ringtone::File(path.clone()), PlayMode::Ring);

    assert_eq!(sound.warning, None);
    assert_eq!(sound.description, path.display().to_string());
    assert_eq!((sound.channels, sound.sample_rate), (1, 44_100));
    assert_eq!(sound.samples.len(), 88_200);
    let peak = sound.samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
    assert!((peak - 0.5).abs() < 0.01, "peak {peak}");
}

#[test]
fn a_preview_of_a_long_file_is_cut_to_a_few_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.wav");
    ring_support::write_sine_wav(&path, 440.0, 0.3, 12.0);

    let preview = load_sound(&Ringtone::File(path.clone()), PlayMode::Preview);
    let ring = load_sound(&Ringtone::File(path), PlayMode::Ring);

    assert_eq!(preview.samples.len(), 5 * 44_100);
    assert_eq!(ring.samples.len(), 12 * 44_100);
}

#[test]
fn a_file_that_is_not_audio_falls_back_to_the_bundled_tone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.mp3");
    std::fs::write(&path, b"these are meeting notes, not an mp3").unwrap();

    let sound = load_sound(&Ringtone::File(path.clone()), PlayMode::Ring);

    assert_eq!(sound.description, "builtin:classic");
    match sound.warning {
        Some(RingWarning::RingtoneUnreadable { path: named, .. }) => {
            assert_eq!(named, path.display().to_string())
        }
        other => panic!("expected ringtone_unreadable, got {other:?}"),
    }
}

#[test]
fn a_silent_file_falls_back_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("quiet.wav");
    std::fs::write(&path, ring_support::wav_bytes(44_100, &[0.0; 44_100])).unwrap();

    let sound = load_sound(&Ringtone::File(path), PlayMode::Ring);

    assert_eq!(sound.description, "builtin:classic");
    assert_eq!(
        sound.warning.as_ref().map(RingWarning::code),
        Some("ringtone_unreadable")
    );
}
