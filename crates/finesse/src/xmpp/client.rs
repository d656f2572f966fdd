//! Connecting, and the handle the session uses afterwards.

use std::sync::Arc;

use finesse_xml::Element;
use tokio::sync::{mpsc, oneshot};

use super::config::XmppConfig;
use super::driver::{Command, Driver, DriverSettings, SubscriptionChange};
use super::error::{DisconnectReason, TransportFailure, XmppError};
use super::negotiate::{self, Negotiated};
use super::stanza::{self, IqType};

/// Something the server sent (or the connection's end).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XmppEvent {
    /// A whole `<message>` stanza; pub-sub notifications carry the escaped `Update` inside.
    Message(Element),
    /// Presence of anyone other than `finesse@domain`.
    Presence { from: String, available: bool },
    /// Presence of the Finesse server user: unavailable means the Finesse web app is down.
    FinessePresence { available: bool },
    /// The connection ended; no event follows.
    Disconnected(DisconnectReason),
}

/// One of our pub-sub subscriptions as the service reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PubSubSubscription {
    pub node: String,
    pub jid: String,
    /// `subscribed`, `pending`, `unconfigured` or `none`.
    pub status: String,
}

/// Entry point of the notification client.
pub struct XmppClient;

/// Events buffered between the connection and the session before the connection waits.
const EVENT_BUFFER: usize = 1024;

impl XmppClient {
    /// Connect over the first transport that works. Transports that cannot carry a stream are
    /// skipped; refused credentials stop at once (no other transport is tried, nothing is retried).
    pub async fn connect(
        config: XmppConfig,
    ) -> Result<(XmppHandle, mpsc::Receiver<XmppEvent>), XmppError> {
        config.validate()?;
        let tls = config
            .trust
            .client_config()
            .map_err(|e| XmppError::Tls(format!("{e} [{}]", e.code())))?;
        let mut attempts = Vec::new();
        for transport in &config.transports {
            tracing::debug!(%transport, jid = %config.bare_jid(), "connecting to the notification service");
            match negotiate::establish(transport, &config, tls.clone()).await {
                Ok(negotiated) => {
                    tracing::info!(%transport, jid = %negotiated.bound_jid, "notification service connected");
                    return Ok(start(config, negotiated));
                }
                Err(failed) if failed.authenticated || failed.error.is_authentication_failure() => {
                    tracing::warn!(%transport, error = %failed.error, "notification service login failed");
                    return Err(failed.error);
                }
                Err(failed) => {
                    tracing::info!(%transport, error = %failed.error, "notification transport failed");
                    attempts.push(TransportFailure {
                        transport: transport.clone(),
                        error: failed.error,
                    });
                }
            }
        }
        Err(all_failed(attempts))
    }
}

/// A certificate problem is the one the user can act on, so it wins over "nothing reachable".
fn all_failed(attempts: Vec<TransportFailure>) -> XmppError {
    if let Some(tls) = attempts
        .iter()
        .find(|a| matches!(a.error, XmppError::Tls(_)))
    {
        let others: Vec<String> = attempts
            .iter()
            .filter(|a| !matches!(a.error, XmppError::Tls(_)))
            .map(|a| format!("{} → {}", a.transport, a.error))
            .collect();
        let mut message = format!("{} → {}", tls.transport, tls.error);
        if !others.is_empty() {
            message.push_str(&format!(" (other transports: {})", others.join("; ")));
        }
        return XmppError::Tls(message);
    }
    XmppError::TransportUnavailable { attempts }
}

fn start(config: XmppConfig, negotiated: Negotiated) -> (XmppHandle, mpsc::Receiver<XmppEvent>) {
    let (events_tx, events_rx) = mpsc::channel(EVENT_BUFFER);
    let (commands_tx, commands_rx) = mpsc::channel(64);
    let settings = DriverSettings {
        domain: config.domain.to_lowercase(),
        bound_jid: negotiated.bound_jid.clone(),
        ping_interval: config.ping_interval,
        ping_timeout: config.ping_timeout,
        max_missed_pings: config.max_missed_pings,
        request_timeout: config.request_timeout,
    };
    let handle = XmppHandle {
        commands: commands_tx,
        bound_jid: Arc::from(negotiated.bound_jid.as_str()),
        pubsub_domain: Arc::from(config.pubsub_domain.to_lowercase().as_str()),
    };
    Driver::spawn(settings, negotiated, commands_rx, events_tx);
    (handle, events_rx)
}

/// Cheap to clone; every clone talks to the same connection. When the last handle is dropped
/// the connection is closed.
#[derive(Debug, Clone)]
pub struct XmppHandle {
    commands: mpsc::Sender<Command>,
    bound_jid: Arc<str>,
    pubsub_domain: Arc<str>,
}

impl XmppHandle {
    /// The full JID the server bound (`agent@domain/resource`).
    pub fn bound_jid(&self) -> &str {
        &self.bound_jid
    }

    /// False once the connection has ended.
    pub fn is_connected(&self) -> bool {
        !self.commands.is_closed()
    }

    /// Subscribe our full JID to a pub-sub node (e.g. `/finesse/api/Team/5005/Users`).
    pub async fn subscribe(&self, node: &str) -> Result<(), XmppError> {
        let payload = stanza::pubsub_subscription_change("subscribe", node, &self.bound_jid);
        self.request(
            IqType::Set,
            &self.pubsub_domain,
            payload,
            Some(SubscriptionChange::Added(node.to_owned())),
        )
        .await
        .map(drop)
    }

    /// Remove our full JID's subscription from a node.
    pub async fn unsubscribe(&self, node: &str) -> Result<(), XmppError> {
        let payload = stanza::pubsub_subscription_change("unsubscribe", node, &self.bound_jid);
        self.request(
            IqType::Set,
            &self.pubsub_domain,
            payload,
            Some(SubscriptionChange::Removed(node.to_owned())),
        )
        .await
        .map(drop)
    }

    /// Our subscriptions as the pub-sub service lists them.
    pub async fn subscriptions(&self) -> Result<Vec<PubSubSubscription>, XmppError> {
        let answer = self
            .request(
                IqType::Get,
                &self.pubsub_domain,
                stanza::pubsub_subscriptions_query(),
                None,
            )
            .await?;
        let list = answer
            .descend(&["pubsub", "subscriptions"])
            .map(|s| {
                s.children_named("subscription")
                    .map(|sub| PubSubSubscription {
                        node: sub.attr("node").unwrap_or_default().to_owned(),
                        jid: sub.attr("jid").unwrap_or_default().to_owned(),
                        status: sub.attr("subscription").unwrap_or("subscribed").to_owned(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(list)
    }

    /// Send any IQ request and wait for its `result` stanza (an `error` answer is
    /// [`XmppError::IqError`]).
    pub async fn send_iq(
        &self,
        iq_type: IqType,
        to: &str,
        payload: &Element,
    ) -> Result<Element, XmppError> {
        self.request(iq_type, to, stanza::write_element(payload), None)
            .await
    }

    /// [`XmppHandle::send_iq`] with the payload as XML text; it must be one well-formed element.
    pub async fn send_iq_xml(
        &self,
        iq_type: IqType,
        to: &str,
        payload_xml: &str,
    ) -> Result<Element, XmppError> {
        let payload = finesse_xml::parse(payload_xml)
            .map_err(|e| XmppError::Protocol(format!("IQ payload: {e}")))?;
        self.send_iq(iq_type, to, &payload).await
    }

    /// Leave cleanly: unsubscribe every node subscribed through this connection, send unavailable
    /// presence, close the stream, close the socket. Idempotent; failures along the way are logged.
    pub async fn disconnect(&self) {
        let (reply, nodes) = oneshot::channel();
        if self
            .commands
            .send(Command::ExplicitNodes { reply })
            .await
            .is_err()
        {
            return;
        }
        for node in nodes.await.unwrap_or_default() {
            if let Err(error) = self.unsubscribe(&node).await {
                tracing::info!(%node, %error, "unsubscribing before disconnect failed");
            }
        }
        let (reply, done) = oneshot::channel();
        if self.commands.send(Command::Close { reply }).await.is_ok() {
            done.await.ok();
        }
    }

    async fn request(
        &self,
        iq_type: IqType,
        to: &str,
        payload: String,
        change: Option<SubscriptionChange>,
    ) -> Result<Element, XmppError> {
        let (reply, answer) = oneshot::channel();
        let command = Command::Iq {
            iq_type,
            to: to.to_owned(),
            payload,
            change,
            reply,
        };
        self.commands
            .send(command)
            .await
            .map_err(|_| XmppError::Closed(String::new()))?;
        answer.await.map_err(|_| XmppError::Closed(String::new()))?
    }
}
