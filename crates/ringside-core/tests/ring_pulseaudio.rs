//! `RingPlayer` heard through a real sound server: a private PulseAudio with a null sink.
//!
//! The test starts everything itself (Debian packages `pulseaudio`, `pulseaudio-utils` and
//! `libasound2-plugins`; it fails with a clear message without them):
//! - `pulseaudio --daemonize=no -n` with a fresh HOME and runtime dir, loading only
//!   `module-null-sink sink_name=ringside_test` and `module-native-protocol-unix` on a
//!   socket in the temp dir; it is ready when it logs "Daemon startup complete";
//! - this process then sets `PULSE_SERVER` to that socket and `ALSA_CONFIG_PATH` to a
//!   two-line ALSA config whose default PCM is ALSA's `pulse` plugin, so rodio → cpal →
//!   ALSA → pulse plugin → the null sink, whatever the machine's own ALSA setup;
//! - `parec` records the null sink's monitor (8 kHz mono s16) on a reader thread.
//!
//! Environment changes race with other tests of one binary, so this binary holds exactly
//! one `#[test]`. The recordings are compared by level (RMS), never by time.
// A test that cannot go on should stop right there, with the reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod process_support;
mod ring_support;

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use process_support::{require, Daemon};
use ringside_core::ring::{PlayMode, RingOutput, RingPlayer, RingRequest, RingState, Ringtone};

const RECORD_RATE: usize = 8_000;
/// Recordings are judged in windows of 100 ms.
const WINDOW: usize = RECORD_RATE / 10;
const SAFETY_NET: Duration = Duration::from_secs(30);

fn start_pulseaudio(dir: &Path) -> (Daemon, String) {
    let home = dir.join("home");
    let runtime = dir.join("run");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(&runtime).unwrap();
    let socket = dir.join("pulse-native");
    let mut child = Command::new("pulseaudio")
        .args([
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--use-pid-file=no",
            "--system=no",
            "-n",
            "--log-target=stderr",
            "--log-level=info",
            "--load=module-null-sink sink_name=ringside_test",
        ])
        .arg(format!(
            "--load=module-native-protocol-unix socket={} auth-anonymous=1",
            socket.display()
        ))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pulseaudio starts");
    let stderr = child.stderr.take().expect("pulseaudio stderr");
    let daemon = Daemon::new("pulseaudio", child);
    let mut lines = BufReader::new(stderr).lines();
    let mut log = Vec::new();
    loop {
        match lines.next() {
            Some(Ok(line)) => {
                let ready = line.contains("Daemon startup complete");
                log.push(line);
                if ready {
                    break;
                }
            }
            _ => panic!(
                "pulseaudio stopped before it was ready:\n{}",
                log.join("\n")
            ),
        }
    }
    // Keep draining its log so the daemon never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (daemon, format!("unix:{}", socket.display()))
}

/// `parec` on the null sink's monitor, read in 100 ms windows.
struct Recorder {
    _child: Daemon,
    windows: mpsc::Receiver<Vec<i16>>,
}

impl Recorder {
    fn start(server: &str) -> Recorder {
        let mut child = Command::new("parec")
            .args([
                "--device=ringside_test.monitor",
                "--format=s16le",
                "--rate=8000",
                "--channels=1",
                "--raw",
                "--latency-msec=20",
            ])
            .env("PULSE_SERVER", server)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("parec starts");
        let mut stdout = child.stdout.take().expect("parec stdout");
        let (send, windows) = mpsc::channel();
        std::thread::spawn(move || {
            let mut bytes = vec![0u8; WINDOW * 2];
            while stdout.read_exact(&mut bytes).is_ok() {
                let window = bytes
                    .chunks_exact(2)
                    .map(|pair| i16::from_le_bytes([pair[0], pair[1]]))
                    .collect();
                if send.send(window).is_err() {
                    break;
                }
            }
        });
        Recorder {
            _child: Daemon::new("parec", child),
            windows,
        }
    }

    fn next_window(&self, deadline: Instant) -> Vec<i16> {
        let left = deadline.saturating_duration_since(Instant::now());
        self.windows
            .recv_timeout(left)
            .expect("the recording keeps flowing (safety net)")
    }

    /// Read windows until `done` says so; panics at the safety net.
    fn until(&self, what: &str, mut done: impl FnMut(&[i16]) -> bool) {
        let deadline = Instant::now() + SAFETY_NET;
        loop {
            assert!(Instant::now() < deadline, "never heard: {what}");
            if done(&self.next_window(deadline)) {
                return;
            }
        }
    }

    /// Wait for the sound to start, then measure its level over the next half second.
    fn level_once_audible(&self) -> f64 {
        self.until("the ring starting", |w| rms(w) > 500.0);
        let deadline = Instant::now() + SAFETY_NET;
        let mut levels: Vec<f64> = (0..5).map(|_| rms(&self.next_window(deadline))).collect();
        levels.sort_by(f64::total_cmp);
        levels[2]
    }

    /// Wait for a full second of digital silence.
    fn until_silent_for_a_second(&self) {
        let mut quiet_windows = 0;
        self.until("a second of silence", |w| {
            quiet_windows = if peak(w) <= 2 { quiet_windows + 1 } else { 0 };
            quiet_windows >= 10
        });
    }
}

fn rms(window: &[i16]) -> f64 {
    let sum: f64 = window.iter().map(|&s| f64::from(s) * f64::from(s)).sum();
    (sum / window.len() as f64).sqrt()
}

fn peak(window: &[i16]) -> i32 {
    window
        .iter()
        .map(|&s| i32::from(s).abs())
        .max()
        .unwrap_or(0)
}

/// `libasound_module_pcm_pulse.so` in any multiarch library directory.
fn alsa_pulse_plugin_installed() -> bool {
    let Ok(dirs) = std::fs::read_dir("/usr/lib") else {
        return false;
    };
    dirs.flatten().any(|dir| {
        dir.path()
            .join("alsa-lib/libasound_module_pcm_pulse.so")
            .exists()
    })
}

fn ring(ringtone: Ringtone, volume: f32) -> RingRequest {
    RingRequest {
        ringtone,
        volume,
        output_device: None,
        mode: PlayMode::Ring,
    }
}

#[test]
fn the_ring_is_heard_on_the_sound_server_until_it_is_stopped() {
    require("pulseaudio", "pulseaudio");
    require("parec", "pulseaudio-utils");
    assert!(
        alsa_pulse_plugin_installed(),
        "ALSA's pulse plugin is missing: this test needs the Debian package `libasound2-plugins`"
    );

    let temp = tempfile::tempdir().unwrap();
    let (_pulse, server) = start_pulseaudio(temp.path());
    let alsa_config = temp.path().join("asound.conf");
    std::fs::write(
        &alsa_config,
        "pcm.!default { type pulse }\nctl.!default { type pulse }\n",
    )
    .unwrap();
    std::env::set_var("PULSE_SERVER", &server);
    std::env::set_var("ALSA_CONFIG_PATH", &alsa_config);

    // A steady tone never pauses, so silence while it "rings" can only mean it stopped.
    let steady = temp.path().join("steady.wav");
    ring_support::write_sine_wav(&steady, 440.0, 0.5, 1.0);

    let recorder = Recorder::start(&server);
    let player = RingPlayer::new().unwrap();
    let mut status = player.status();

    assert!(
        player.list_outputs().iter().any(|name| name == "default"),
        "the default output is offered: {:?}",
        player.list_outputs()
    );

    player.start(ring(Ringtone::File(steady.clone()), 1.0));
    let ringing = ring_support::wait_for(&mut status, "ringing", |s| s.state == RingState::Ringing);
    assert_eq!(ringing.device.as_deref(), Some("default"));
    assert_eq!(ringing.ringtone, Some(steady.display().to_string()));
    assert!(ringing.warnings.is_empty(), "{:?}", ringing.warnings);
    let loud = recorder.level_once_audible();
    assert!(
        loud > 5_000.0,
        "a half-scale tone at full volume is loud: RMS {loud}"
    );

    player.stop();
    ring_support::wait_for(&mut status, "idle", |s| s.state == RingState::Idle);
    recorder.until_silent_for_a_second();

    // The device chosen by name, at a quarter of the volume.
    player.start(RingRequest {
        output_device: Some("default".to_owned()),
        ..ring(Ringtone::File(steady), 0.25)
    });
    let again = ring_support::wait_for(&mut status, "ringing again", |s| {
        s.state == RingState::Ringing
    });
    assert!(
        again.warnings.is_empty(),
        "the named device was found: {:?}",
        again.warnings
    );
    let quiet = recorder.level_once_audible();
    let ratio = quiet / loud;
    assert!(
        (0.15..0.4).contains(&ratio),
        "a quarter volume is about a quarter as loud: {ratio}"
    );
    player.stop();
    ring_support::wait_for(&mut status, "idle again", |s| s.state == RingState::Idle);
    recorder.until_silent_for_a_second();

    // A preview of a bundled tone plays once and goes idle by itself.
    let before = status.borrow().handled;
    player.start(RingRequest {
        ringtone: Ringtone::Builtin("digital".to_owned()),
        volume: 1.0,
        output_device: None,
        mode: PlayMode::Preview,
    });
    ring_support::wait_for(&mut status, "previewing", |s| {
        s.state == RingState::Previewing
    });
    recorder.until("the preview", |w| rms(w) > 500.0);
    let after = ring_support::wait_for(&mut status, "the preview ending by itself", |s| {
        s.state == RingState::Idle && s.handled > before + 1
    });
    assert!(after.device.is_none());
    recorder.until_silent_for_a_second();
}
