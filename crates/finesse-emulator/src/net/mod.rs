//! Servers: TLS with a generated CA, HTTPS REST, XMPP (WebSocket / TCP STARTTLS / direct
//! TLS), pub-sub routing, nodes A and B, faults, the JSON control API, demo traffic, and the
//! in-process [`Lab`] API.
//!
//! - [`lab`]: [`Lab::start`] and every operation tests, the control API and the binary use.
//! - [`core`]: the shared center, clock, router and timers.
//! - [`node`]: one node's listeners (start/stop on the same ports).
//! - [`https`]: REST → the center's pure function; `/ws/` → XMPP over WebSocket.
//! - [`xmpp`]: the Openfire-like XMPP server and pub-sub router.
//! - [`tls`]: the lab CA and node certificates.
//! - [`control`]: the JSON control API.
//! - [`scenario`]: calls arriving at a rate (demo traffic).
pub mod control;
pub mod core;
pub mod https;
pub mod lab;
pub mod node;
pub mod scenario;
pub mod tls;
pub mod xmpp;

pub use self::core::RestRecord;
pub use self::lab::{Credential, Lab, LabEndpoints, LabError, LabOptions, NodeView};
pub use self::node::NodeEndpoints;
pub use self::scenario::{Scenario, ScenarioError};
pub use self::xmpp::event_faults::{EventFault, EventFaultAction};
pub use self::xmpp::router::SessionSummary;
