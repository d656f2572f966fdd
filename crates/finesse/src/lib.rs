//! # finesse — a Rust SDK for Cisco Finesse
//!
//! - [`model`]: typed Finesse objects with tolerant readers and strict request writers.
//! - [`notification`]: decoding of XMPP pub-sub events into typed [`notification::FinesseEvent`]s.
//! - [`rest`]: the REST client (HTTPS, Basic auth, `requestId`, typed `ApiErrors`).
//! - [`xmpp`]: the notification client (XMPP over WebSocket or TLS TCP).
//! - [`session`]: the agent session — a pure state machine plus an async driver.
//!
//! ## Example
//!
//! Sign in, go Ready, and answer every call that rings:
//!
//! ```no_run
//! use finesse::model::AgentState;
//! use finesse::session::{Session, SessionConfig, SessionEvent};
//! use finesse::tls::TrustSettings;
//!
//! # async fn run() -> Result<(), finesse::session::SessionError> {
//! // Nodes A and B, the agent, and a password (from a keychain, never a command line).
//! let mut config = SessionConfig::new(["fin-a.example.com", "fin-b.example.com"], "1001", "secret");
//! config.trust = TrustSettings::with_extra_ca("/etc/ringside/company-ca.pem");
//!
//! let session = Session::start(config)?;
//! session.wait_connected().await?; // SystemInfo → XMPP → User + Dialogs, reconciled
//! session.sign_in("2001", None, None).await?; // resolves on the User event, or apiErrors
//! session.change_state(AgentState::Ready, None).await?;
//!
//! let mut events = session.events();
//! while let Ok(event) = events.recv().await {
//!     if let SessionEvent::DialogAdded { dialog, .. } = event {
//!         println!("call from {:?}", dialog.from_address);
//!         session.answer(&dialog.id).await?;
//!     }
//! }
//! session.shutdown().await; // unsubscribes and closes XMPP; the agent stays signed in
//! # Ok(())
//! # }
//! ```
#![deny(unsafe_code)]

pub mod model;
pub mod notification;
pub mod rest;
pub mod session;
pub mod tls;
pub mod xmpp;

pub use finesse_xml as xml;
