//! [`RingPlayer`]: rodio on a thread of its own.
//!
//! The output stream is opened when a ring starts and closed when it stops, so an idle
//! Ringside holds no audio stream (no mixer entry, no power drawn, nothing that keeps a
//! laptop's sound card awake all day).
use std::sync::mpsc;
use std::thread::JoinHandle;

use rodio::cpal::traits::{DeviceTrait, HostTrait};
use rodio::{OutputStream, OutputStreamBuilder, Sink, Source};
use tokio::sync::watch;

use super::sound::load_sound;
use super::{PlayMode, RingOutput, RingRequest, RingState, RingStatus, RingWarning};

enum Job {
    Start(RingRequest),
    Stop,
    /// The preview with this number played to its end.
    PreviewEnded(u64),
    Shutdown,
}

/// Plays ringtones on the system's audio outputs.
pub struct RingPlayer {
    jobs: mpsc::Sender<Job>,
    status: watch::Receiver<RingStatus>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for RingPlayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RingPlayer")
            .field("status", &*self.status.borrow())
            .finish_non_exhaustive()
    }
}

impl RingPlayer {
    /// Start the audio thread. Fails only when the OS refuses a new thread.
    pub fn new() -> std::io::Result<RingPlayer> {
        let (jobs, inbox) = mpsc::channel();
        let (publish, status) = watch::channel(RingStatus::default());
        let own_jobs = jobs.clone();
        let thread = std::thread::Builder::new()
            .name("ringside-ring".to_owned())
            .spawn(move || AudioThread::new(own_jobs, publish).run(inbox))?;
        Ok(RingPlayer {
            jobs,
            status,
            thread: Some(thread),
        })
    }

    fn send(&self, job: Job) {
        if self.jobs.send(job).is_err() {
            tracing::warn!("the ring thread has stopped; request ignored");
        }
    }
}

impl RingOutput for RingPlayer {
    fn start(&self, request: RingRequest) {
        self.send(Job::Start(request));
    }

    fn stop(&self) {
        self.send(Job::Stop);
    }

    fn list_outputs(&self) -> Vec<String> {
        list_output_names()
    }

    fn status(&self) -> watch::Receiver<RingStatus> {
        self.status.clone()
    }
}

impl Drop for RingPlayer {
    fn drop(&mut self) {
        let _ = self.jobs.send(Job::Shutdown);
        if let Some(thread) = self.thread.take() {
            if thread.join().is_err() {
                tracing::warn!("the ring thread panicked");
            }
        }
    }
}

/// Names of the output devices the audio host offers (empty when there are none).
pub fn list_output_names() -> Vec<String> {
    let host = rodio::cpal::default_host();
    match host.output_devices() {
        Ok(devices) => {
            let mut names: Vec<String> = devices.filter_map(|d| d.name().ok()).collect();
            names.dedup();
            names
        }
        Err(error) => {
            tracing::warn!(%error, "cannot list audio output devices");
            Vec::new()
        }
    }
}

struct Playing {
    // Field order matters: the sink must go before the stream it plays into.
    sink: Sink,
    _stream: OutputStream,
}

struct AudioThread {
    jobs: mpsc::Sender<Job>,
    publish: watch::Sender<RingStatus>,
    playing: Option<Playing>,
    preview_number: u64,
    handled: u64,
}

impl AudioThread {
    fn new(jobs: mpsc::Sender<Job>, publish: watch::Sender<RingStatus>) -> Self {
        AudioThread {
            jobs,
            publish,
            playing: None,
            preview_number: 0,
            handled: 0,
        }
    }

    fn run(mut self, inbox: mpsc::Receiver<Job>) {
        while let Ok(job) = inbox.recv() {
            match job {
                Job::Start(request) => self.start(request),
                Job::Stop => {
                    self.halt();
                    self.publish_status(RingState::Idle, None, None, Vec::new());
                }
                Job::PreviewEnded(number) => {
                    let current = self.publish.borrow().state == RingState::Previewing
                        && number == self.preview_number;
                    if current {
                        self.halt();
                        self.publish_status(RingState::Idle, None, None, Vec::new());
                    }
                }
                Job::Shutdown => break,
            }
        }
        self.halt();
    }

    fn halt(&mut self) {
        if let Some(playing) = self.playing.take() {
            playing.sink.stop();
        }
    }

    fn start(&mut self, request: RingRequest) {
        self.halt();
        let sound = load_sound(&request.ringtone, request.mode);
        let mut warnings: Vec<RingWarning> = sound.warning.iter().cloned().collect();
        let (stream, device) = match open_output(request.output_device.as_deref(), &mut warnings) {
            Ok(opened) => opened,
            Err(detail) => {
                tracing::warn!(%detail, "no audio output: the ring stays silent");
                warnings.push(RingWarning::NoAudioDevice { detail });
                self.publish_status(RingState::Silent, None, Some(sound.description), warnings);
                return;
            }
        };
        let sink = Sink::connect_new(stream.mixer());
        sink.set_volume(request.volume.clamp(0.0, 1.0));
        let state = match request.mode {
            PlayMode::Ring => {
                sink.append(sound.to_source().repeat_infinite());
                RingState::Ringing
            }
            PlayMode::Preview => {
                self.preview_number += 1;
                let number = self.preview_number;
                let jobs = self.jobs.clone();
                sink.append(sound.to_source());
                sink.append(rodio::source::EmptyCallback::new(Box::new(move || {
                    let _ = jobs.send(Job::PreviewEnded(number));
                })));
                RingState::Previewing
            }
        };
        tracing::info!(device = %device, ringtone = %sound.description, ?state, "ring playing");
        self.playing = Some(Playing {
            sink,
            _stream: stream,
        });
        self.publish_status(state, Some(device), Some(sound.description), warnings);
    }

    fn publish_status(
        &mut self,
        state: RingState,
        device: Option<String>,
        ringtone: Option<String>,
        warnings: Vec<RingWarning>,
    ) {
        self.handled += 1;
        let status = RingStatus {
            state,
            device,
            ringtone,
            warnings,
            handled: self.handled,
        };
        self.publish.send_replace(status);
    }
}

/// Open the named device, or the default one; the name of what was opened, or why nothing
/// could be.
fn open_output(
    name: Option<&str>,
    warnings: &mut Vec<RingWarning>,
) -> Result<(OutputStream, String), String> {
    let host = rodio::cpal::default_host();
    let chosen = name.and_then(|wanted| {
        let found = host
            .output_devices()
            .ok()
            .and_then(|mut devices| devices.find(|d| d.name().ok().as_deref() == Some(wanted)));
        if found.is_none() {
            tracing::warn!(
                device = wanted,
                "chosen audio device not found; using the default"
            );
            warnings.push(RingWarning::DeviceNotFound {
                name: wanted.to_owned(),
            });
        }
        found
    });
    let device = match chosen {
        Some(device) => device,
        None => host
            .default_output_device()
            .ok_or_else(|| "the audio system has no default output device".to_owned())?,
    };
    let device_name = device
        .name()
        .unwrap_or_else(|_| "unnamed device".to_owned());
    let builder = OutputStreamBuilder::from_device(device)
        .map_err(|e| format!("{device_name}: {e}"))?
        .with_error_callback(|error| tracing::warn!(%error, "audio stream error"));
    let mut stream = builder
        .open_stream_or_fallback()
        .map_err(|e| format!("{device_name}: {e}"))?;
    stream.log_on_drop(false);
    Ok((stream, device_name))
}
