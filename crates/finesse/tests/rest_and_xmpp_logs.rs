//! Passwords never reach a log line: not the REST Authorization header, not the SASL PLAIN
//! blob, not a Debug dump of a configuration.
//!
//! One test in its own binary: `tracing` caches per-callsite interest process-wide, and a
//! thread-local subscriber racing with other tests' threads could miss events.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod rest_support;
mod tls_lab;
mod xmpp_support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use finesse::model::request::UserRequest;
use finesse::model::AgentState;
use finesse::xmpp::XmppClient;
use rest_support::{fixture, FakeFinesse, Reply, AGENT_ID, PASSWORD};
use tls_lab::TlsLab;
use xmpp_support::{FakeXmppServer, Script};

/// A `MakeWriter` collecting every formatted log line.
#[derive(Clone, Default)]
struct CapturedLogs(Arc<Mutex<Vec<u8>>>);

impl Write for CapturedLogs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn credentials_never_reach_a_log_line() {
    let logs = CapturedLogs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let lab = TlsLab::new("logs");

    // REST: an accepted state change, then refused credentials.
    let finesse = FakeFinesse::start(&lab, |r| match r.method.as_str() {
        "PUT" => Reply::Xml(202, String::new()),
        _ => Reply::Xml(401, fixture("api_errors_authorization_failure.xml")),
    })
    .await;
    let client = finesse.client(&lab);
    let ready = UserRequest::ChangeState {
        state: AgentState::Ready,
        reason_code_id: None,
    };
    client.put_user(AGENT_ID, &ready).await.unwrap();
    client.user(AGENT_ID).await.unwrap_err();
    tracing::info!(client = ?client, config = ?finesse.config(&lab), "REST client and configuration");

    // XMPP: a login, a clean disconnect, then refused credentials.
    let server = FakeXmppServer::start(&lab, Script::default()).await;
    let config = server.client_config(&lab, vec![server.websocket(), server.direct_tls()]);
    tracing::info!(config = ?config, "XMPP configuration");
    let (xmpp, _events) = XmppClient::connect(config.clone()).await.unwrap();
    xmpp.disconnect().await;
    let mut wrong = config;
    wrong.password = "wrong-xmpp-password".into();
    XmppClient::connect(wrong).await.unwrap_err();

    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("/finesse/api/User/1001001"),
        "REST requests are logged:\n{logs}"
    );
    assert!(
        logs.contains("authentication_failed"),
        "failures are logged with their code:\n{logs}"
    );
    assert!(
        logs.contains("notification service connected"),
        "XMPP logins are logged:\n{logs}"
    );
    let secrets = [
        PASSWORD.to_owned(),
        STANDARD.encode(format!("{AGENT_ID}:{PASSWORD}")),
        "agent-password".to_owned(),
        "wrong-xmpp-password".to_owned(),
        STANDARD.encode("\u{0}1001001\u{0}agent-password"),
        STANDARD.encode("\u{0}1001001\u{0}wrong-xmpp-password"),
    ];
    for secret in secrets {
        assert!(
            !logs.contains(&secret),
            "{secret:?} leaked into the logs:\n{logs}"
        );
    }
}
