//! # finesse — a Rust SDK for Cisco Finesse
//!
//! - [`model`]: typed Finesse objects with tolerant readers and strict request writers.
//! - [`notification`]: decoding of XMPP pub-sub events into typed [`notification::FinesseEvent`]s.
//! - [`rest`]: the REST client (HTTPS, Basic auth, `requestId`, typed `ApiErrors`).
//! - [`xmpp`]: the notification client (XMPP over WebSocket or TLS TCP).
//! - [`session`]: the agent session — a pure state machine plus an async driver.
#![deny(unsafe_code)]

pub mod model;
pub mod notification;
pub mod rest;
pub mod session;
pub mod tls;
pub mod xmpp;

pub use finesse_xml as xml;
