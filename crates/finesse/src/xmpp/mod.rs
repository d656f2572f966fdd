//! The Finesse notification client: a small XMPP client of our own.
//!
//! Finesse pushes every User, Dialog, Team and Queue change as an XEP-0060 pub-sub event. This
//! client carries the stream over RFC 7395 WebSocket (preferred) or classic TCP with direct TLS
//! or STARTTLS, authenticates with SASL PLAIN, binds a unique resource, announces presence (Finesse
//! force-logs-out agents whose presence goes away), keeps the link checked with XEP-0199 pings,
//! and hands every `<message>` to the session untouched.
//!
//! ```no_run
//! # async fn demo() -> Result<(), finesse::xmpp::XmppError> {
//! use finesse::xmpp::{XmppClient, XmppConfig, XmppEvent};
//! let config = XmppConfig::new("fin-a.example.com", "fin-a.example.com", "pubsub.fin-a.example.com", "1001001", "secret");
//! let (xmpp, mut events) = XmppClient::connect(config).await?;
//! xmpp.subscribe("/finesse/api/Team/5005/Users").await?;
//! while let Some(event) = events.recv().await {
//!     if let XmppEvent::Disconnected(reason) = event {
//!         println!("lost the notification service: {reason}");
//!         break;
//!     }
//! }
//! # Ok(()) }
//! ```

mod client;
mod config;
mod driver;
mod error;
mod negotiate;
mod splitter;
mod stanza;
mod wire;

pub use client::{PubSubSubscription, XmppClient, XmppEvent, XmppHandle};
pub use config::{TransportSpec, XmppConfig, RESERVED_DESKTOP_RESOURCE};
pub use error::{DisconnectReason, TransportFailure, XmppError};
pub use stanza::{write_element, IqType};
pub use wire::MAX_STANZA_BYTES;

/// The Secret type shared with the REST client (passwords and SSO tokens).
pub use crate::rest::Secret;
