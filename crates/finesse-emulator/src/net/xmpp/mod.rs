//! The XMPP side of a node: Openfire as Finesse deploys it (§9, §13.2).
//!
//! - [`splitter`]: incoming framing (TCP byte stream → stanzas; WebSocket messages).
//! - [`framing`] and [`stanza`]: what the server writes.
//! - [`session`]: one stream's protocol logic, transport-independent.
//! - [`router`]: sessions of both nodes, presence tracking, pub-sub routing; with
//!   [`subscriptions`] (explicit XEP-0060 subscriptions) and [`event_faults`] (drop/delay).
//! - [`tcp`] and [`websocket`]: the transports (5222 STARTTLS / 5223 direct TLS, `/ws/`).
pub mod event_faults;
pub mod framing;
pub mod router;
pub mod session;
pub mod splitter;
pub mod stanza;
pub mod subscriptions;
pub mod tcp;
pub mod websocket;
