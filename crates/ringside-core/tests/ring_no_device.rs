//! A machine with no audio device at all: the ring goes silent, says so, and never panics.
//!
//! `ALSA_CONFIG_PATH` points at an empty ALSA configuration (no PCM is defined, not even
//! `default`) and `PULSE_SERVER` at a socket nobody listens on, so every way rodio could
//! reach a speaker is closed. Environment changes race with other tests of one binary, so
//! this binary holds exactly one `#[test]`.
// A test that cannot go on should stop right there, with the reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod ring_support;

use ringside_core::ring::{
    PlayMode, RingOutput, RingPlayer, RingRequest, RingState, RingWarning, Ringtone,
};

#[test]
fn without_any_audio_device_the_player_rings_silently_and_says_why() {
    let temp = tempfile::tempdir().unwrap();
    let empty_config = temp.path().join("asound.conf");
    std::fs::write(&empty_config, "").unwrap();
    std::env::set_var("ALSA_CONFIG_PATH", &empty_config);
    std::env::set_var(
        "PULSE_SERVER",
        format!("unix:{}", temp.path().join("nobody-listens").display()),
    );

    let player = RingPlayer::new().unwrap();
    let mut status = player.status();
    assert_eq!(player.list_outputs(), Vec::<String>::new());

    player.start(RingRequest {
        ringtone: Ringtone::default(),
        volume: 0.8,
        output_device: None,
        mode: PlayMode::Ring,
    });
    let silent =
        ring_support::wait_for(&mut status, "silent mode", |s| s.state == RingState::Silent);
    assert_eq!(silent.device, None);
    assert_eq!(
        silent
            .warnings
            .iter()
            .map(RingWarning::code)
            .collect::<Vec<_>>(),
        ["no_audio_device"]
    );

    player.stop();
    ring_support::wait_for(&mut status, "idle", |s| s.state == RingState::Idle);

    // A chosen device that is not there and an unreadable file: every warning is reported,
    // still without a panic.
    player.start(RingRequest {
        ringtone: Ringtone::File(temp.path().join("missing.ogg")),
        volume: 1.0,
        output_device: Some("USB Headset".to_owned()),
        mode: PlayMode::Preview,
    });
    let silent = ring_support::wait_for(&mut status, "silent preview", |s| {
        s.state == RingState::Silent
    });
    let mut codes: Vec<&str> = silent.warnings.iter().map(RingWarning::code).collect();
    codes.sort_unstable();
    assert_eq!(
        codes,
        [
            "audio_device_not_found",
            "no_audio_device",
            "ringtone_unreadable"
        ]
    );
    drop(player);
}
