//! # finesse-emulator — a Cisco Finesse lab in a box
//!
//! Speaks Finesse's wire protocol (REST XML over HTTPS, XMPP notifications over WebSocket
//! and TCP) and simulates a contact center behind it, following
//! `finesse-protocol.md` rather than the convenience of any one client.
//!
//! Layering:
//! - [`center`]: the contact center itself — agents, teams, queues, calls, routing, wrap-up,
//!   faults that live in the CTI layer — plus the REST API as a *pure* request → reply
//!   function. No sockets, no clock reads: time comes in as [`clock::SimTime`].
//! - [`net`]: the servers — TLS with a generated CA, HTTPS for REST, XMPP over WebSocket at
//!   `/ws/`, TCP with STARTTLS and direct TLS, the pub-sub router, the control API, nodes A
//!   and B, and network-level faults.
//! - [`Lab`](net::Lab): the in-process Rust API tests use.
#![deny(unsafe_code)]

pub mod center;
pub mod clock;
pub mod config;
pub mod net;
