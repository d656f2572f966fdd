//! Interop: Ringside's XMPP client against a real Prosody (Debian package `prosody`).
//!
//! Each test starts its own Prosody in the foreground from `tests/prosody/prosody.cfg.lua.in`,
//! on 127.0.0.1 with free ports, a certificate from a throw-away CA, accounts written as files,
//! and a pub-sub component standing in for Finesse's `pubsub.<domain>`. A second client
//! (`finesse@localhost`, the node owner) publishes a Finesse-shaped notification: an `Update`
//! document carried as escaped text in `<notification>`.
//!
//! Prosody missing is a failure, not a skip: `cargo xtask test` installs it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

use finesse::tls::TrustSettings;
use finesse::xml::{Element, XmlWriter};
use finesse::xmpp::{IqType, TransportSpec, XmppClient, XmppConfig, XmppEvent, XmppHandle};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};
use tokio::sync::mpsc::{unbounded_channel, Receiver, UnboundedReceiver};

const DOMAIN: &str = "localhost";
const PUBSUB: &str = "pubsub.localhost";
const NODE: &str = "/finesse/api/User/agent1";
const NS_PUBSUB: &str = "http://jabber.org/protocol/pubsub";
const PATIENCE: Duration = Duration::from_secs(20);

/// A running Prosody, killed (and its log shown if the test failed) on drop.
struct Prosody {
    child: Child,
    dir: tempfile::TempDir,
    c2s_port: u16,
    direct_tls_port: u16,
    https_port: u16,
}

impl Drop for Prosody {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
        if std::thread::panicking() {
            let log =
                std::fs::read_to_string(self.dir.path().join("prosody.log")).unwrap_or_default();
            eprintln!("---- prosody.log ----\n{log}");
        }
    }
}

/// Every stdout line, from a thread that keeps draining the pipe so Prosody never blocks on it.
fn follow(stdout: ChildStdout) -> UnboundedReceiver<String> {
    let (lines, receiver) = unbounded_channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            lines.send(line).ok();
        }
    });
    receiver
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn prosody_binary() -> String {
    let binary = std::env::var("PROSODY_BIN").unwrap_or_else(|_| "prosody".to_owned());
    let found = Command::new(&binary)
        .arg("--help")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    assert!(
        found,
        "Prosody is not installed (no `{binary}` on PATH). This interop test needs the real server: \
         `apt-get install -y prosody` (Debian/Ubuntu), or set PROSODY_BIN. `cargo xtask test` installs it."
    );
    binary
}

/// Write a CA, a server certificate for localhost/127.0.0.1 signed by it, and the server key.
/// Returns the CA file for the clients to trust.
fn write_certificates(certs: &Path) -> PathBuf {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "Ringside interop CA");
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca = ca_params.self_signed(&ca_key).unwrap();

    let key = KeyPair::generate().unwrap();
    let mut params =
        CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let leaf = params.signed_by(&key, &ca, &ca_key).unwrap();

    std::fs::create_dir_all(certs).unwrap();
    std::fs::write(
        certs.join("server.crt"),
        format!("{}{}", leaf.pem(), ca.pem()),
    )
    .unwrap();
    std::fs::write(certs.join("server.key"), key.serialize_pem()).unwrap();
    let ca_file = certs.join("ca.pem");
    std::fs::write(&ca_file, ca.pem()).unwrap();
    ca_file
}

/// `internal_plain` accounts: one Lua file per user under data/<host>/accounts.
fn write_account(data: &Path, user: &str, password: &str) {
    let accounts = data.join(DOMAIN).join("accounts");
    std::fs::create_dir_all(&accounts).unwrap();
    let mut file = std::fs::File::create(accounts.join(format!("{user}.dat"))).unwrap();
    writeln!(file, "return {{\n\t[\"password\"] = \"{password}\";\n}};").unwrap();
}

impl Prosody {
    async fn start() -> (Prosody, PathBuf) {
        let binary = prosody_binary();
        let dir = tempfile::tempdir().unwrap();
        let ca_file = write_certificates(&dir.path().join("certs"));
        write_account(&dir.path().join("data"), "agent1", "agent-pass");
        write_account(&dir.path().join("data"), "finesse", "finesse-pass");

        let (c2s_port, direct_tls_port, https_port) = (free_port(), free_port(), free_port());
        let config = include_str!("../prosody/prosody.cfg.lua.in")
            .replace("@DIR@", &dir.path().display().to_string())
            .replace("@C2S_PORT@", &c2s_port.to_string())
            .replace("@DIRECT_TLS_PORT@", &direct_tls_port.to_string())
            .replace("@HTTPS_PORT@", &https_port.to_string());
        let config_file = dir.path().join("prosody.cfg.lua");
        std::fs::write(&config_file, config).unwrap();

        let mut child = Command::new(binary)
            .arg("--config")
            .arg(&config_file)
            .arg("-F")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn prosody");
        let log_lines = follow(child.stdout.take().expect("piped stdout"));
        let mut prosody = Prosody {
            child,
            dir,
            c2s_port,
            direct_tls_port,
            https_port,
        };
        prosody.wait_until_listening(log_lines).await;
        (prosody, ca_file)
    }

    /// Wait for Prosody to announce every service we use (its console log says when).
    async fn wait_until_listening(&mut self, mut log_lines: UnboundedReceiver<String>) {
        let mut awaited = vec![
            format!("Activated service 'c2s' on [127.0.0.1]:{}", self.c2s_port),
            format!(
                "Activated service 'c2s_direct_tls' on [127.0.0.1]:{}",
                self.direct_tls_port
            ),
            format!(
                "Activated service 'https' on [127.0.0.1]:{}",
                self.https_port
            ),
        ];
        while !awaited.is_empty() {
            let line = tokio::time::timeout(PATIENCE, log_lines.recv())
                .await
                .expect("prosody did not start in time");
            let Some(line) = line else {
                let status = self.child.wait().ok();
                panic!("prosody exited during start-up ({status:?}); is another instance using the ports?");
            };
            awaited.retain(|wanted| !line.contains(wanted.as_str()));
        }
    }

    fn websocket(&self) -> TransportSpec {
        TransportSpec::WebSocket {
            url: format!("wss://127.0.0.1:{}/xmpp-websocket", self.https_port),
        }
    }

    fn direct_tls(&self) -> TransportSpec {
        TransportSpec::DirectTls {
            host: "127.0.0.1".into(),
            port: self.direct_tls_port,
        }
    }

    fn start_tls(&self) -> TransportSpec {
        TransportSpec::StartTls {
            host: "127.0.0.1".into(),
            port: self.c2s_port,
        }
    }
}

fn client_config(
    user: &str,
    password: &str,
    transport: TransportSpec,
    ca_file: &Path,
) -> XmppConfig {
    let mut config = XmppConfig::new("127.0.0.1", DOMAIN, PUBSUB, user, password);
    config.transports = vec![transport];
    config.trust = TrustSettings::with_extra_ca(ca_file);
    // Prosody has no `finesse@domain` roster contact announcing the Finesse web app.
    config.require_finesse_presence = false;
    config.connect_timeout = PATIENCE;
    config.request_timeout = PATIENCE;
    config
}

fn pubsub(inner: impl FnOnce(&mut XmlWriter)) -> String {
    let mut w = XmlWriter::new();
    w.open_with("pubsub", &[("xmlns", NS_PUBSUB)]);
    inner(&mut w);
    w.finish()
}

fn update_fixture() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/prosody/user_ready_update.xml"
    ))
    .unwrap()
}

/// Publish the Update the way Finesse does: escaped text inside `<notification>`.
async fn publish_update(publisher: &XmppHandle, update: &str) {
    let publish = pubsub(|w| {
        w.open_with("publish", &[("node", NODE)])
            .open_with("item", &[("id", "a6ca891f-8b34-443f-8c7d-dac020d41838330")])
            .open_with("notification", &[("xmlns", NS_PUBSUB)])
            .text(update);
    });
    publisher
        .send_iq_xml(IqType::Set, PUBSUB, &publish)
        .await
        .unwrap();
}

async fn next_message(events: &mut Receiver<XmppEvent>) -> Element {
    loop {
        let event = tokio::time::timeout(PATIENCE, events.recv())
            .await
            .expect("no notification in time")
            .expect("connection open");
        match event {
            XmppEvent::Message(message) => return message,
            XmppEvent::Disconnected(reason) => panic!("disconnected: {reason}"),
            _ => {}
        }
    }
}

/// Subscribers of the node, as its owner sees them.
async fn node_subscribers(owner: &XmppHandle) -> Vec<String> {
    let mut w = XmlWriter::new();
    w.open_with(
        "pubsub",
        &[("xmlns", "http://jabber.org/protocol/pubsub#owner")],
    )
    .empty_element("subscriptions", &[("node", NODE)]);
    let answer = owner
        .send_iq_xml(IqType::Get, PUBSUB, &w.finish())
        .await
        .unwrap();
    answer
        .descend(&["pubsub", "subscriptions"])
        .map(|s| {
            s.children_named("subscription")
                .filter_map(|x| x.attr("jid"))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The whole exchange over one transport for the subscriber.
async fn agent_receives_a_finesse_notification_over(transport: fn(&Prosody) -> TransportSpec) {
    let (prosody, ca_file) = Prosody::start().await;
    let (publisher, _publisher_events) = XmppClient::connect(client_config(
        "finesse",
        "finesse-pass",
        prosody.direct_tls(),
        &ca_file,
    ))
    .await
    .unwrap();
    let create = pubsub(|w| {
        w.empty_element("create", &[("node", NODE)]);
    });
    publisher
        .send_iq_xml(IqType::Set, PUBSUB, &create)
        .await
        .unwrap();

    let (agent, mut events) = XmppClient::connect(client_config(
        "Agent1",
        "agent-pass",
        transport(&prosody),
        &ca_file,
    ))
    .await
    .unwrap();
    assert!(
        agent.bound_jid().starts_with("agent1@localhost/ringside-"),
        "{}",
        agent.bound_jid()
    );
    agent.subscribe(NODE).await.unwrap();
    let mine: Vec<_> = agent
        .subscriptions()
        .await
        .unwrap()
        .into_iter()
        .filter(|s| s.node == NODE)
        .collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(
        mine[0].jid,
        agent.bound_jid(),
        "subscribed with the full JID"
    );
    assert_eq!(mine[0].status, "subscribed");

    let update = update_fixture();
    publish_update(&publisher, &update).await;
    let message = next_message(&mut events).await;
    assert_eq!(message.attr("from"), Some(PUBSUB));
    let items = message
        .descend(&["event", "items"])
        .expect("a pub-sub event");
    assert_eq!(items.attr("node"), Some(NODE));
    let notification = items
        .descend(&["item", "notification"])
        .expect("the notification payload");
    assert_eq!(
        notification.text, update,
        "the escaped Update text survives intact"
    );
    let parsed = finesse::xml::parse(&notification.text).unwrap();
    assert_eq!(
        parsed
            .descend(&["data", "user", "lastName"])
            .and_then(Element::text_trimmed),
        Some("O'Brien & Co")
    );

    assert_eq!(
        node_subscribers(&publisher).await,
        [agent.bound_jid().to_owned()]
    );
    agent.disconnect().await;
    assert!(
        node_subscribers(&publisher).await.is_empty(),
        "disconnect unsubscribed the node"
    );
    publisher.disconnect().await;
}

#[tokio::test]
async fn agent_receives_a_finesse_notification_over_websocket() {
    agent_receives_a_finesse_notification_over(Prosody::websocket).await;
}

#[tokio::test]
async fn agent_receives_a_finesse_notification_over_direct_tls() {
    agent_receives_a_finesse_notification_over(Prosody::direct_tls).await;
}

#[tokio::test]
async fn agent_receives_a_finesse_notification_over_starttls() {
    agent_receives_a_finesse_notification_over(Prosody::start_tls).await;
}

#[tokio::test]
async fn prosody_refusing_the_password_is_an_authentication_failure() {
    let (prosody, ca_file) = Prosody::start().await;
    let mut config = client_config("agent1", "not-the-password", prosody.websocket(), &ca_file);
    config.transports.push(prosody.direct_tls());
    let err = XmppClient::connect(config).await.unwrap_err();
    assert_eq!(err.code(), "authentication_failed", "{err}");
}
