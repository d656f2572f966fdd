//! Signing in: check the form, find the password, make sure the node answers and is
//! trusted, start the session, wait for it to connect, choose the phone where the line is
//! shared (see [`super::devices`]), sign in on the extension, and keep (or forget) the
//! password in the keychain.
//!
//! The password is tried exactly once per sign-in: a refused one ends the session at once
//! (the session never retries authentication) and the app does not try again by itself.
use std::sync::Arc;
use std::time::Duration;

use finesse::model::{MobileAgent, MobileAgentMode};
use finesse::rest::DEFAULT_REST_PORT;
use finesse::session::{
    ConnectionState, Session, SessionConfig, TransportTemplate, XmppTransports,
};
use finesse::tls::TrustSettings;

use crate::desk::{AlertLevel, SignInDefaults, SignInDevice, SignInForm};
use crate::keychain::account_for;
use crate::settings::{Settings, XmppTransport};

use super::devices::{device_for_sign_in, shared_line, DeviceVerdict};
use super::error::AppError;
use super::probe::probe_node;
use super::pump;
use super::state::{Inner, LiveSession};

/// Finesse's direct-TLS XMPP port, tried after the WebSocket on the REST port.
const XMPP_DIRECT_TLS_PORT: u16 = 5223;

/// The checked form.
#[derive(Debug, Clone, PartialEq)]
struct Target {
    node_a: String,
    node_b: Option<String>,
    /// Given with node A as `host:port`, else the settings' HTTPS port.
    port: u16,
    xmpp_transport: Option<XmppTransport>,
    user: String,
    extension: String,
    mobile_agent: Option<MobileAgent>,
    device_id: Option<String>,
}

pub(crate) async fn sign_in(inner: &Arc<Inner>, form: SignInForm) -> Result<(), AppError> {
    let _one_at_a_time = inner.session_gate.lock().await;
    clear_ended_session(inner).await?;
    let settings = inner.lock().settings.settings();
    let target = check_form(&form, &settings)?;
    let account = account_for(&target.user, &target.node_a);
    let (password, from_keychain) = find_password(inner, &form.password, &account).await?;
    let trust = trust_settings(inner, &settings);
    let tls = trust.client_config().map_err(|e| AppError::CaFileInvalid {
        detail: e.to_string(),
    })?;
    probe_nodes(inner, &target, tls).await?;

    let config = session_config(inner, &target, &password, trust);
    let session = Session::start(config).map_err(AppError::from_connect)?;
    // The session is live before its pump runs, so the pump always finds it.
    inner.update(|state, _| state.live = Some(LiveSession::new(session.clone())));
    let pump = pump::spawn(inner, session.clone());
    inner.update(|state, _| {
        if let Some(live) = state.live.as_mut() {
            live.pump = Some(pump);
        }
    });

    if let Err(error) = wait_connected(&session, inner.tuning.connect_timeout).await {
        discard_session(inner).await;
        if from_keychain && error == AppError::WrongPassword {
            // The saved password is stale: forget it so it is not offered again.
            forget_password(inner, &account).await;
        }
        return Err(error);
    }
    // The session read the User while connecting: it tells whether the line is shared.
    let user = session.snapshot().user;
    let device = match device_for_sign_in(user.as_ref(), target.device_id.as_deref()) {
        DeviceVerdict::SignInOn(device) => device,
        DeviceVerdict::ChoiceRequired(devices) => {
            discard_session(inner).await;
            let unchosen = SignInForm {
                device_id: None,
                ..form
            };
            remember_sign_in(inner, &unchosen, &devices);
            return Err(AppError::DeviceChoiceRequired { devices });
        }
    };
    let signed_in = session
        .sign_in(
            &target.extension,
            target.mobile_agent.clone(),
            device.clone(),
        )
        .await;
    if let Err(error) = signed_in {
        discard_session(inner).await;
        return Err(AppError::from_sign_in(error));
    }

    keep_or_forget_password(inner, &account, &password, form.remember_me).await;
    let devices = user.as_ref().map(shared_line).unwrap_or_default();
    // Only a phone chosen from a shared line is worth offering again.
    let chosen = device.filter(|_| !devices.is_empty());
    let signed_in_form = SignInForm {
        device_id: chosen,
        ..form
    };
    remember_sign_in(inner, &signed_in_form, &devices);
    tokio::spawn(pump::load_lookups(Arc::clone(inner), session));
    Ok(())
}

/// What the sign-in screen starts with.
pub(crate) async fn defaults(inner: &Arc<Inner>) -> SignInDefaults {
    let settings = inner.lock().settings.settings();
    let saved_for = match (&settings.last_user, &settings.nodes.a) {
        (Some(user), Some(node_a)) => Some(account_for(user, node_a)),
        _ => None,
    };
    let has_saved_password = match saved_for {
        None => false,
        Some(account) => {
            let keychain = Arc::clone(&inner.keychain);
            tokio::task::spawn_blocking(move || keychain.get(&account))
                .await
                .ok()
                .and_then(Result::ok)
                .flatten()
                .is_some()
        }
    };
    let mut defaults = inner.lock().settings.sign_in_defaults(has_saved_password);
    defaults.demo_hint = inner.demo_hint.clone();
    defaults
}

/// The form (never its password) and the phones of a shared line become next sign-in's
/// defaults, in the user's file.
fn remember_sign_in(inner: &Inner, form: &SignInForm, devices: &[SignInDevice]) {
    let remembered = SignInForm {
        password: String::new(),
        ..form.clone()
    };
    let saved = inner.update(|state, _| {
        state.settings.remember_sign_in(&remembered);
        state.settings.remember_shared_line(devices);
        state.settings.save()
    });
    if let Err(error) = saved {
        tracing::warn!(code = error.code(), %error, "sign-in defaults not saved");
    }
}

/// A session that ended by itself (refused, signed in elsewhere, gave up) makes way for a
/// new sign-in; a live one does not.
async fn clear_ended_session(inner: &Arc<Inner>) -> Result<(), AppError> {
    let ended = {
        let state = inner.lock();
        match &state.live {
            None => return Ok(()),
            Some(live) => live.session.connection().borrow().is_terminal(),
        }
    };
    if ended {
        discard_session(inner).await;
        Ok(())
    } else {
        Err(AppError::AlreadySignedIn)
    }
}

/// Stop following the session, close it, and show the desk signed out.
pub(crate) async fn discard_session(inner: &Arc<Inner>) {
    let live = inner.update(|state, now| {
        let live = state.live.take();
        state
            .desk
            .apply_connection(&ConnectionState::Disconnected, now);
        live
    });
    if let Some(mut live) = live {
        for pump in [live.pump.take(), live.team_pump.take()]
            .into_iter()
            .flatten()
        {
            pump.abort();
        }
        live.session.shutdown().await;
        inner.team.clear(inner.now_ms());
    }
}

fn check_form(form: &SignInForm, settings: &Settings) -> Result<Target, AppError> {
    let (node_a, node_b) = if settings.nodes.locked {
        (
            settings.nodes.a.clone().unwrap_or_default(),
            settings.nodes.b.clone(),
        )
    } else {
        (form.node_a.clone(), form.node_b.clone())
    };
    let node_a = node_a.trim().to_owned();
    if node_a.is_empty() {
        return Err(AppError::field("nodeA", "enter the Finesse server"));
    }
    let user = form.user.trim().to_owned();
    if user.is_empty() {
        return Err(AppError::field("user", "enter your agent ID or login name"));
    }
    let extension = form.extension.trim().to_owned();
    if extension.is_empty() {
        return Err(AppError::field("extension", "enter your extension"));
    }
    let (host_a, port) = split_host_port(&node_a)?;
    let node_b = match node_b.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
        Some(b) => Some(split_host_port(b)?.0),
        None => None,
    };
    let mobile_agent = match &form.mobile_agent {
        None => None,
        Some(mobile) => {
            if mobile.mode.trim().is_empty() {
                return Err(AppError::field(
                    "mobileAgent.mode",
                    "choose the Mobile Agent mode",
                ));
            }
            let mode = MobileAgentMode::from_wire(&mobile.mode);
            if !mode.is_known() {
                return Err(AppError::invalid(format!(
                    "mobileAgent.mode: {} is not CALL_BY_CALL or NAILED_CONNECTION",
                    mobile.mode.trim()
                )));
            }
            let dial_number = mobile.dial_number.trim().to_owned();
            if dial_number.is_empty() {
                return Err(AppError::field(
                    "mobileAgent.dialNumber",
                    "enter the number Finesse should call",
                ));
            }
            Some(MobileAgent { mode, dial_number })
        }
    };
    Ok(Target {
        node_a: host_a,
        node_b,
        port: port.unwrap_or(settings.https_port),
        xmpp_transport: settings.xmpp_transport,
        user,
        extension,
        mobile_agent,
        device_id: form
            .device_id
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_owned),
    })
}

/// `host` or `host:port` (IPv6 in brackets).
fn split_host_port(node: &str) -> Result<(String, Option<u16>), AppError> {
    let bad_port = || AppError::invalid(format!("nodeA: {node} does not end in a valid port"));
    if let Some(rest) = node.strip_prefix('[') {
        let (host, after) = rest.split_once(']').ok_or_else(bad_port)?;
        return match after.strip_prefix(':') {
            Some(port) => Ok((host.to_owned(), Some(port.parse().map_err(|_| bad_port())?))),
            None if after.is_empty() => Ok((host.to_owned(), None)),
            None => Err(bad_port()),
        };
    }
    match node.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') => {
            Ok((host.to_owned(), Some(port.parse().map_err(|_| bad_port())?)))
        }
        _ => Ok((node.to_owned(), None)),
    }
}

/// The form's password, or the saved one when the form's is empty.
async fn find_password(
    inner: &Arc<Inner>,
    typed: &str,
    account: &str,
) -> Result<(String, bool), AppError> {
    if !typed.is_empty() {
        return Ok((typed.to_owned(), false));
    }
    let keychain = Arc::clone(&inner.keychain);
    let account = account.to_owned();
    let saved = tokio::task::spawn_blocking(move || keychain.get(&account))
        .await
        .map_err(|e| AppError::invalid(format!("the keychain lookup stopped: {e}")))??;
    match saved {
        Some(password) if !password.is_empty() => Ok((password, true)),
        _ => Err(AppError::field("password", "enter your password")),
    }
}

async fn keep_or_forget_password(inner: &Arc<Inner>, account: &str, password: &str, keep: bool) {
    let keychain = Arc::clone(&inner.keychain);
    let (account_owned, secret) = (account.to_owned(), password.to_owned());
    let outcome = tokio::task::spawn_blocking(move || {
        if keep {
            keychain.set(&account_owned, &secret)
        } else {
            keychain.delete(&account_owned)
        }
    })
    .await;
    let error = match outcome {
        Ok(Ok(())) => return,
        Ok(Err(error)) => AppError::Keychain(error),
        Err(join) => AppError::invalid(format!("the keychain call stopped: {join}")),
    };
    tracing::warn!(code = error.code(), %error, "keychain not updated");
    let message = if keep {
        format!("Your password could not be saved in the system keychain: {error}")
    } else {
        format!("The saved password could not be removed from the system keychain: {error}")
    };
    inner.update(|state, now| {
        state
            .desk
            .push_alert(AlertLevel::Warning, error.code(), message, now)
    });
}

async fn forget_password(inner: &Arc<Inner>, account: &str) {
    let keychain = Arc::clone(&inner.keychain);
    let account = account.to_owned();
    let forgotten = tokio::task::spawn_blocking(move || keychain.delete(&account)).await;
    if !matches!(forgotten, Ok(Ok(()))) {
        tracing::warn!("the refused saved password could not be removed from the keychain");
    }
}

/// The OS store plus one CA file: the app's override (`RINGSIDE_EXTRA_CA`), else the
/// settings' (normally IT's).
fn trust_settings(inner: &Inner, settings: &Settings) -> TrustSettings {
    match inner
        .extra_ca_file
        .clone()
        .or_else(|| settings.extra_ca_file.clone())
    {
        Some(path) => TrustSettings::with_extra_ca(path),
        None => TrustSettings::default(),
    }
}

/// Node A, then B: the first that answers TLS lets the sign-in go on. If none does, node
/// A's reason is the one the agent reads.
async fn probe_nodes(
    inner: &Inner,
    target: &Target,
    tls: Arc<rustls::ClientConfig>,
) -> Result<(), AppError> {
    let port = target.port;
    let timeout = inner.tuning.probe_timeout;
    let first = match probe_node(&target.node_a, port, Arc::clone(&tls), timeout).await {
        Ok(()) => return Ok(()),
        Err(error) => error,
    };
    if let Some(node_b) = &target.node_b {
        if probe_node(node_b, port, tls, timeout).await.is_ok() {
            return Ok(());
        }
    }
    Err(first)
}

fn session_config(
    inner: &Inner,
    target: &Target,
    password: &str,
    trust: TrustSettings,
) -> SessionConfig {
    let nodes: Vec<String> = std::iter::once(target.node_a.clone())
        .chain(target.node_b.clone())
        .collect();
    let mut config = SessionConfig::new(nodes, target.user.clone(), password);
    config.trust = trust;
    config.https_port = target.port;
    let port = target.port;
    let websocket = TransportTemplate::WebSocket { port };
    let direct_tls = TransportTemplate::DirectTls {
        port: XMPP_DIRECT_TLS_PORT,
    };
    config.xmpp_transports = match target.xmpp_transport {
        Some(XmppTransport::Websocket) => XmppTransports::Custom(vec![websocket]),
        Some(XmppTransport::Tcp) => XmppTransports::Custom(vec![direct_tls]),
        None if port == DEFAULT_REST_PORT => XmppTransports::Defaults,
        // A non-standard port: Finesse serves its WebSocket XMPP next to the REST API.
        None => XmppTransports::Custom(vec![websocket, direct_tls]),
    };
    config.policy.command_timeout = inner.tuning.command_timeout;
    config.policy.backoff.initial = inner.tuning.reconnect_initial_delay;
    config.policy.backoff.max = inner.tuning.reconnect_max_delay;
    config.policy.struggling_after = inner.tuning.struggling_after;
    config
}

/// Until connected, or the reason it will not be.
async fn wait_connected(session: &Session, timeout: Duration) -> Result<(), AppError> {
    let mut connection = session.connection();
    let mut retried = false;
    let outcome = tokio::time::timeout(timeout, async {
        loop {
            let verdict = match &*connection.borrow_and_update() {
                ConnectionState::Connected { .. } => Some(Ok(())),
                ConnectionState::Failed { error } => {
                    Some(Err(AppError::from_connect(error.clone())))
                }
                ConnectionState::SignedInElsewhere => Some(Err(AppError::SignedInElsewhere)),
                ConnectionState::OutOfService { reason, .. } => Some(Err(AppError::OutOfService {
                    reason: reason.clone(),
                })),
                ConnectionState::Connecting { attempt, .. } => {
                    retried |= *attempt > 1;
                    None
                }
                ConnectionState::Reconnecting { .. } | ConnectionState::Disconnected => None,
            };
            if let Some(verdict) = verdict {
                return verdict;
            }
            if connection.changed().await.is_err() {
                return Err(AppError::Unreachable {
                    detail: "the session ended while connecting".to_owned(),
                });
            }
        }
    })
    .await;
    match outcome {
        Ok(result) => result,
        Err(_) if retried => Err(AppError::Unreachable {
            detail: "Finesse answers but the connection could not be completed".to_owned(),
        }),
        Err(_) => Err(AppError::Timeout),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desk::MobileAgentForm;

    fn form() -> SignInForm {
        SignInForm {
            node_a: "fin-a.example.com".to_owned(),
            node_b: Some("fin-b.example.com".to_owned()),
            user: "1001".to_owned(),
            password: "pw".to_owned(),
            extension: "2001".to_owned(),
            mobile_agent: None,
            device_id: None,
            remember_me: false,
        }
    }

    fn field_of(result: Result<Target, AppError>) -> String {
        match result {
            Err(AppError::FieldRequired { field, .. }) => field.to_owned(),
            other => panic!("expected field_required, got {other:?}"),
        }
    }

    #[test]
    fn each_empty_field_is_named() {
        let presets = Settings::default();
        let blank = |change: fn(&mut SignInForm)| {
            let mut f = form();
            change(&mut f);
            field_of(check_form(&f, &presets))
        };
        assert_eq!(blank(|f| f.node_a = " ".into()), "nodeA");
        assert_eq!(blank(|f| f.user = String::new()), "user");
        assert_eq!(blank(|f| f.extension = String::new()), "extension");
        assert_eq!(
            blank(|f| {
                f.mobile_agent = Some(MobileAgentForm {
                    mode: "CALL_BY_CALL".into(),
                    dial_number: " ".into(),
                })
            }),
            "mobileAgent.dialNumber"
        );
    }

    #[test]
    fn nodes_locked_by_it_win_over_the_form() {
        let mut presets = Settings::default();
        presets.nodes.a = Some("it-a.corp:9443".into());
        presets.nodes.b = Some("it-b.corp".into());
        presets.nodes.locked = true;
        let target = check_form(&form(), &presets).unwrap();
        assert_eq!(target.node_a, "it-a.corp");
        assert_eq!(target.port, 9443);
        assert_eq!(target.node_b.as_deref(), Some("it-b.corp"));
    }

    #[test]
    fn hosts_and_ports_are_split() {
        assert_eq!(split_host_port("fin-a").unwrap(), ("fin-a".into(), None));
        assert_eq!(
            split_host_port("fin-a:8445").unwrap(),
            ("fin-a".into(), Some(8445))
        );
        assert_eq!(
            split_host_port("[::1]:9443").unwrap(),
            ("::1".into(), Some(9443))
        );
        assert_eq!(split_host_port("::1").unwrap(), ("::1".into(), None));
        assert_eq!(
            split_host_port("fin-a:http").unwrap_err().code(),
            "invalid_request"
        );
    }

    #[test]
    fn mobile_agents_need_a_known_mode() {
        let mut f = form();
        f.mobile_agent = Some(MobileAgentForm {
            mode: "SOMETIMES".into(),
            dial_number: "4085551234".into(),
        });
        let error = check_form(&f, &Settings::default()).unwrap_err();
        assert_eq!(error.code(), "invalid_request");
        f.mobile_agent = Some(MobileAgentForm {
            mode: "nailed_connection".into(),
            dial_number: "4085551234".into(),
        });
        let target = check_form(&f, &Settings::default()).unwrap();
        assert_eq!(
            target.port, 8445,
            "the settings' port when the form names none"
        );
        assert_eq!(
            target.mobile_agent.map(|m| m.mode),
            Some(MobileAgentMode::NailedConnection)
        );
    }
}
