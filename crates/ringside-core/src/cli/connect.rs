//! From command-line arguments to a connected session.
use std::time::Duration;

use finesse::session::{
    ConnectionState, Session, SessionConfig, TransportTemplate, XmppTransports,
};
use finesse::tls::TrustSettings;

use super::args::{ConnectionArgs, TransportKind};
use super::error::CliError;
use super::password::password;

/// The node hosts and agent id, checked.
pub struct Target {
    pub nodes: Vec<String>,
    pub user: String,
}

impl Target {
    pub fn from_args(args: &ConnectionArgs) -> Result<Target, CliError> {
        let node_a = non_empty(&args.node_a)
            .ok_or_else(|| CliError::Usage("--node-a HOST is required".to_owned()))?;
        let user = non_empty(&args.user)
            .ok_or_else(|| CliError::Usage("--user ID is required".to_owned()))?;
        let mut nodes = vec![node_a];
        nodes.extend(non_empty(&args.node_b));
        Ok(Target { nodes, user })
    }

    pub fn node_a(&self) -> &str {
        &self.nodes[0]
    }
}

fn non_empty(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

pub fn trust(args: &ConnectionArgs) -> TrustSettings {
    match &args.ca_file {
        Some(path) => TrustSettings::with_extra_ca(path),
        None => TrustSettings::default(),
    }
}

/// The XMPP transports the arguments ask for.
pub fn transports(args: &ConnectionArgs) -> XmppTransports {
    if let Some(url) = &args.xmpp_url {
        return XmppTransports::Custom(vec![TransportTemplate::WebSocketUrl { url: url.clone() }]);
    }
    match args.xmpp_transport {
        Some(TransportKind::Websocket) => {
            XmppTransports::Custom(vec![TransportTemplate::WebSocket {
                port: args.xmpp_port.unwrap_or(args.https_port),
            }])
        }
        Some(TransportKind::Tls) => XmppTransports::Custom(vec![TransportTemplate::DirectTls {
            port: args.xmpp_port.unwrap_or(5223),
        }]),
        Some(TransportKind::Starttls) => {
            XmppTransports::Custom(vec![TransportTemplate::StartTls {
                port: args.xmpp_port.unwrap_or(5222),
            }])
        }
        None if args.https_port == finesse::rest::DEFAULT_REST_PORT => XmppTransports::Defaults,
        // §9.1's order, with the WebSocket on the REST port that was given.
        None => XmppTransports::Custom(vec![
            TransportTemplate::WebSocket {
                port: args.https_port,
            },
            TransportTemplate::WebSocket { port: 7443 },
            TransportTemplate::DirectTls { port: 5223 },
        ]),
    }
}

/// Starts a session and waits for it to connect. One-shot commands give up after a few
/// attempts; `watch` keeps reconnecting once it was connected.
pub async fn open(args: &ConnectionArgs, long_running: bool) -> Result<Session, CliError> {
    let target = Target::from_args(args)?;
    let secret = password(args.password_stdin, &target.user, target.node_a())?;
    let node_count = u32::try_from(target.nodes.len()).unwrap_or(1);
    let mut config = SessionConfig::new(target.nodes, target.user, secret);
    config.https_port = args.https_port;
    config.trust = trust(args);
    config.xmpp_transports = transports(args);
    config.xmpp_connect_timeout = Duration::from_secs(10);
    config.policy.max_attempts_per_node = 1;
    config.policy.max_attempts = if long_running {
        None
    } else {
        Some(2 * node_count)
    };
    let session = Session::start(config)?;
    let seconds = args.timeout.max(1);
    match tokio::time::timeout(Duration::from_secs(seconds), session.wait_connected()).await {
        Ok(Ok(())) => Ok(session),
        Ok(Err(error)) => {
            session.shutdown().await;
            Err(error.into())
        }
        Err(_) => {
            let state = describe_state(&session.connection().borrow());
            session.shutdown().await;
            Err(CliError::ConnectTimeout { seconds, state })
        }
    }
}

fn describe_state(state: &ConnectionState) -> String {
    match state {
        ConnectionState::Reconnecting { last_error, .. } => {
            format!("{}: {last_error}", state.name())
        }
        ConnectionState::OutOfService { reason, .. } => format!("{}: {reason}", state.name()),
        other => other.name().to_owned(),
    }
}
