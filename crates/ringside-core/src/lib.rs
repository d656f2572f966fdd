//! # ringside-core — Ringside's app logic without Tauri
//!
//! - [`app`]: the controller the Tauri shell binds its commands to (session, desk, ring,
//!   keychain, settings together).
//! - [`desk`]: the view model the window, tray, pop-up and notifications read.
//! - [`keychain`]: passwords in the OS keychain, never in a file.
//! - [`ring`]: the ringtone, looped on the chosen audio output while a call rings.
//! - `ringside-cli`: a headless client (login, state, call actions, `watch`, `doctor`).
#![deny(unsafe_code)]

pub mod app;
pub mod cli;
pub mod desk;
pub mod keychain;
pub mod ring;
pub mod settings;
pub mod team;
