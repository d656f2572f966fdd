//! Helpers shared by the ring tests: WAV files made on the spot.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]
use std::f32::consts::TAU;
use std::path::Path;

/// A 16-bit PCM mono WAV file of `samples` at `rate`.
pub fn wav_bytes(rate: u32, samples: &[f32]) -> Vec<u8> {
    let data_len = u32::try_from(samples.len() * 2).unwrap();
    let mut out = Vec::with_capacity(44 + samples.len() * 2);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes()); // fmt chunk size
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * 2).to_le_bytes()); // bytes per second
    out.extend_from_slice(&2u16.to_le_bytes()); // block align
    out.extend_from_slice(&16u16.to_le_bytes()); // bits per sample
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for sample in samples {
        let value = (sample.clamp(-1.0, 1.0) * 32767.0).round() as i16;
        out.extend_from_slice(&value.to_le_bytes());
    }
    out
}

/// A steady sine tone: it never pauses, so silence while it is "ringing" means stopped.
pub fn sine(rate: u32, frequency: f32, amplitude: f32, seconds: f32) -> Vec<f32> {
    let count = (rate as f32 * seconds) as usize;
    (0..count)
        .map(|i| amplitude * (TAU * frequency * i as f32 / rate as f32).sin())
        .collect()
}

/// Write a steady-tone WAV file.
pub fn write_sine_wav(path: &Path, frequency: f32, amplitude: f32, seconds: f32) {
    std::fs::write(
        path,
        wav_bytes(44_100, &sine(44_100, frequency, amplitude, seconds)),
    )
    .unwrap();
}

/// Wait (on a private runtime) until the watched value satisfies `done`.
pub fn wait_for<T: Clone>(
    receiver: &mut tokio::sync::watch::Receiver<T>,
    what: &str,
    done: impl FnMut(&T) -> bool,
) -> T {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    runtime.block_on(async {
        match tokio::time::timeout(std::time::Duration::from_secs(30), receiver.wait_for(done))
            .await
        {
            Ok(Ok(value)) => value.clone(),
            Ok(Err(_)) => panic!("the status channel closed while waiting for {what}"),
            Err(_) => panic!("timed out waiting for {what}"),
        }
    })
}
