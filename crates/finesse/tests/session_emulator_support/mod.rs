//! Running `finesse::session::Session` against the in-process emulator lab on 127.0.0.1.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::future::Future;
use std::time::Duration;

use finesse::model::Snapshot;
use finesse::session::{
    Backoff, ConnectionState, Session, SessionConfig, SessionEvent, TransportTemplate,
    XmppTransports,
};
use finesse::tls::TrustSettings;
use finesse_emulator::center::NodeId;
use finesse_emulator::clock::SimClock;
use finesse_emulator::config::{LabConfig, DEMO_PASSWORD};
use finesse_emulator::net::{Lab, LabOptions};
use tokio::sync::broadcast;

/// Safety net only: every wait ends as soon as the awaited thing happens.
pub const PATIENCE: Duration = Duration::from_secs(20);

pub const PASSWORD: &str = DEMO_PASSWORD;

pub async fn start_lab() -> Lab {
    let options = LabOptions::new(LabConfig::demo(), SimClock::manual()).with_ephemeral_ports();
    Lab::start(options).await.expect("lab starts")
}

/// A session config for node A of the lab: its CA, its ports, WebSocket XMPP, quick retries.
pub fn config(lab: &Lab, identity: &str, password: &str) -> SessionConfig {
    let node = lab.node(NodeId::A);
    let mut config = SessionConfig::new([node.host.clone()], identity, password);
    config.https_port = node.https_port;
    config.trust = TrustSettings::with_extra_ca(lab.ca_path());
    config.xmpp_transports = XmppTransports::Custom(vec![TransportTemplate::WebSocket {
        port: node.https_port,
    }]);
    config.policy.learn_nodes_from_system_info = false;
    config.policy.backoff = Backoff {
        initial: Duration::from_millis(50),
        max: Duration::from_millis(400),
        multiplier: 2.0,
        jitter_ratio: 0.1,
    };
    config.policy.finesse_presence_timeout = Duration::from_secs(30);
    config.policy.out_of_service_poll = Duration::from_secs(30);
    config
}

pub async fn within<T>(what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(PATIENCE, future)
        .await
        .unwrap_or_else(|_| panic!("timed out waiting for {what}"))
}

/// Starts a session and waits until it is connected.
pub async fn connect(lab: &Lab, identity: &str) -> Session {
    let session = Session::start(config(lab, identity, PASSWORD)).expect("session starts");
    within("connected", session.wait_connected())
        .await
        .expect("connects");
    session
}

/// Waits for an event matching `wanted` and returns it.
pub async fn next_event(
    events: &mut broadcast::Receiver<SessionEvent>,
    what: &str,
    wanted: impl Fn(&SessionEvent) -> bool,
) -> SessionEvent {
    within(what, async {
        loop {
            match events.recv().await {
                Ok(event) if wanted(&event) => return event,
                Ok(_) => {}
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => panic!("events closed before {what}"),
            }
        }
    })
    .await
}

/// Waits until the connection state satisfies `wanted`.
pub async fn wait_state(
    session: &Session,
    what: &str,
    wanted: impl Fn(&ConnectionState) -> bool,
) -> ConnectionState {
    within(what, session.connection_matching(wanted))
        .await
        .expect("session alive")
}

/// Waits until the snapshot satisfies `wanted`.
pub async fn wait_snapshot(
    session: &Session,
    what: &str,
    wanted: impl Fn(&Snapshot) -> bool,
) -> Snapshot {
    within(what, session.snapshot_matching(wanted))
        .await
        .expect("session alive")
}
