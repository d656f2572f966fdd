//! `doctor`: DNS, TCP+TLS to the REST port, REST sign-in (GET User), then XMPP transport by
//! transport, each reported on its own line, and a plain verdict at the end.
//!
//! The XMPP checks sign in for real; they are skipped when REST refused the password, so a
//! wrong password costs one attempt, not five (Finesse locks the account after five).
use std::sync::Arc;
use std::time::Duration;

use finesse::model::{SystemInfo, User};
use finesse::rest::{Credentials, NodeAddress, RestClient, RestConfig, RestError, Secret};
use finesse::session::SessionError;
use finesse::tls::TrustSettings;
use finesse::xmpp::{TransportSpec, XmppClient, XmppConfig};
use rustls::pki_types::ServerName;
use serde::Serialize;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use super::args::ConnectionArgs;
use super::connect::{self, Target};
use super::error::CliError;
use super::output;
use super::password::password;

/// Limit for each network step.
const STEP: Duration = Duration::from_secs(10);

#[derive(Debug, Serialize)]
struct Check {
    check: &'static str,
    target: String,
    ok: bool,
    detail: String,
}

struct Report {
    json: bool,
}

impl Report {
    fn emit(
        &self,
        check: &'static str,
        target: &str,
        result: Result<String, String>,
    ) -> Result<bool, CliError> {
        let ok = result.is_ok();
        let detail = result.unwrap_or_else(|e| e);
        if self.json {
            output::json_line(&Check {
                check,
                target: target.to_owned(),
                ok,
                detail,
            })?;
        } else {
            let mark = if ok { "ok  " } else { "FAIL" };
            output::line(&format!("{mark} {check:<6} {target}: {detail}"))?;
        }
        Ok(ok)
    }

    fn verdict(&self, ok: bool, text: &str) -> Result<(), CliError> {
        if self.json {
            output::json_line(&serde_json::json!({ "verdict": text, "ok": ok }))
        } else {
            output::line(&format!("verdict: {text}"))
        }
    }
}

pub async fn doctor(args: &ConnectionArgs, json: bool) -> Result<(), CliError> {
    let target = Target::from_args(args)?;
    let secret = password(args.password_stdin, &target.user, target.node_a())?;
    let trust = connect::trust(args);
    let report = Report { json };

    let mut reachable = Vec::new();
    for host in &target.nodes {
        let dns_ok = report.emit("dns", host, resolve(host, args.https_port).await)?;
        let tls_ok = dns_ok
            && report.emit(
                "tls",
                &format!("{host}:{}", args.https_port),
                handshake(host, args.https_port, &trust).await,
            )?;
        if tls_ok {
            reachable.push(host.clone());
        }
    }
    let Some(host) = reachable.first().cloned() else {
        report.verdict(
            false,
            "FAIL: no Finesse node answers HTTPS with a trusted certificate",
        )?;
        return Err(CliError::Doctor("no node reachable".to_owned()));
    };

    let client = rest_client(&host, args, &trust, &target.user, &secret)
        .map_err(|e| CliError::Doctor(e.to_string()))?;
    let system = client.system_info().await;
    report.emit(
        "rest",
        &format!("{host} SystemInfo"),
        describe_system(&system),
    )?;
    let user = client.user(&target.user).await;
    let signed_in = report.emit(
        "auth",
        &format!("{host} User/{}", target.user),
        describe_user(&user),
    )?;
    if let Err(error) = &user {
        if error.is_authentication_failure() {
            report.verdict(
                false,
                "FAIL: Finesse refused the credentials (XMPP checks skipped to spare the account)",
            )?;
            return Err(CliError::Session(SessionError::AuthenticationFailed {
                message: error.to_string(),
            }));
        }
    }
    let (Ok(user), true) = (user, signed_in) else {
        report.verdict(
            false,
            "FAIL: the REST API does not answer the sign-in check",
        )?;
        return Err(CliError::Doctor("REST sign-in check failed".to_owned()));
    };

    let info = system.ok();
    let mut working = Vec::new();
    for transport in transports(args, &host) {
        let shown = transport.to_string();
        let result = xmpp(&host, info.as_ref(), &user, &secret, &trust, transport).await;
        if report.emit("xmpp", &shown, result)? {
            working.push(shown);
        }
    }
    match working.first() {
        Some(first) => {
            report.verdict(
                true,
                &format!("OK: REST sign-in works and XMPP works over {first}"),
            )?;
            Ok(())
        }
        None => {
            report.verdict(false, "FAIL: REST works but no XMPP transport does")?;
            Err(CliError::Doctor("no XMPP transport works".to_owned()))
        }
    }
}

async fn resolve(host: &str, port: u16) -> Result<String, String> {
    match tokio::time::timeout(STEP, tokio::net::lookup_host((host, port))).await {
        Ok(Ok(addresses)) => {
            let list: Vec<String> = addresses.map(|a| a.ip().to_string()).collect();
            if list.is_empty() {
                Err("no address".to_owned())
            } else {
                Ok(list.join(", "))
            }
        }
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("timed out".to_owned()),
    }
}

async fn handshake(host: &str, port: u16, trust: &TrustSettings) -> Result<String, String> {
    let config = trust.client_config().map_err(|e| e.to_string())?;
    let attempt = async {
        let stream = TcpStream::connect((host, port))
            .await
            .map_err(|e| format!("TCP: {e}"))?;
        let name = ServerName::try_from(host.to_owned()).map_err(|e| e.to_string())?;
        let tls = TlsConnector::from(Arc::clone(&config))
            .connect(name, stream)
            .await
            .map_err(|e| format!("TLS: {e}"))?;
        let version = tls
            .get_ref()
            .1
            .protocol_version()
            .map(|v| format!("{v:?}"))
            .unwrap_or_else(|| "TLS".to_owned());
        Ok(format!("{version}, certificate trusted"))
    };
    tokio::time::timeout(STEP, attempt)
        .await
        .unwrap_or_else(|_| Err("timed out".to_owned()))
}

fn rest_client(
    host: &str,
    args: &ConnectionArgs,
    trust: &TrustSettings,
    user: &str,
    secret: &Secret,
) -> Result<RestClient, RestError> {
    let mut config = RestConfig::new(
        NodeAddress::with_port(host, args.https_port),
        Credentials::new(user, secret.clone()),
    );
    config.trust = trust.clone();
    config.timeout = STEP;
    RestClient::new(config)
}

fn describe_system(result: &Result<SystemInfo, RestError>) -> Result<String, String> {
    match result {
        Ok(info) => {
            let text = format!(
                "{} ({}), XMPP domain {}",
                info.status,
                info.deployment_type
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_else(|| "unknown deployment".to_owned()),
                info.xmpp_domain.as_deref().unwrap_or("not given")
            );
            if info.is_in_service() {
                Ok(text)
            } else {
                Err(text)
            }
        }
        Err(e) => Err(format!("{e} [{}]", e.code())),
    }
}

fn describe_user(result: &Result<User, RestError>) -> Result<String, String> {
    match result {
        Ok(user) => Ok(format!(
            "signed in as {} (id {}), {}",
            user.full_name(),
            user.login_id,
            user.state
        )),
        Err(e) => Err(format!("{e} [{}]", e.code())),
    }
}

/// The configured transport first, then every transport Finesse documents (§9.1).
fn transports(args: &ConnectionArgs, host: &str) -> Vec<TransportSpec> {
    let mut list = match connect::transports(args) {
        finesse::session::XmppTransports::Custom(chosen) => {
            chosen.iter().map(|t| t.for_host(host)).collect()
        }
        finesse::session::XmppTransports::Defaults => Vec::new(),
    };
    for standard in [
        TransportSpec::websocket(host, args.https_port),
        TransportSpec::websocket(host, 7443),
        TransportSpec::direct_tls(host),
        TransportSpec::start_tls(host),
    ] {
        if !list.contains(&standard) {
            list.push(standard);
        }
    }
    list
}

async fn xmpp(
    host: &str,
    info: Option<&SystemInfo>,
    user: &User,
    secret: &Secret,
    trust: &TrustSettings,
    transport: TransportSpec,
) -> Result<String, String> {
    let domain = info
        .and_then(|i| i.xmpp_domain.clone())
        .unwrap_or_else(|| host.to_owned());
    let pubsub = info
        .and_then(|i| i.xmpp_pubsub_domain.clone())
        .unwrap_or_else(|| format!("pubsub.{domain}"));
    let mut config = XmppConfig::new(host, domain, pubsub, user.login_id.clone(), secret.clone());
    config.transports = vec![transport];
    config.trust = trust.clone();
    config.connect_timeout = STEP;
    match XmppClient::connect(config).await {
        Ok((handle, _events)) => {
            let jid = handle.bound_jid().to_owned();
            handle.disconnect().await;
            Ok(format!("signed in as {jid}, finesse@ present"))
        }
        Err(e) => Err(format!("{e} [{}]", e.code())),
    }
}
