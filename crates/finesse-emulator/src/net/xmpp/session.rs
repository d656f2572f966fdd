//! One client stream, independent of its transport: stream negotiation (STARTTLS offer,
//! SASL PLAIN, resource binding, session), presence, roster, ping, service discovery and the
//! pub-sub service — what Finesse's Openfire does for an agent (§9, §13.2).
//!
//! The transport feeds [`StreamEvent`]s and router messages in and executes the returned
//! [`Action`]s; the core does no I/O itself, which keeps it testable without sockets.
use std::sync::Arc;

use base64::Engine as _;
use finesse_xml::Element;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

use crate::center::{AuthFailure, NodeId};

use super::framing::Framing;
use super::router::{BoundSession, Router, ToSession};
use super::splitter::{SplitError, StreamEvent};
use super::stanza::{self, Envelope};

/// Failed SASL attempts tolerated on one stream before it is closed.
const MAX_FAILED_AUTHS: u32 = 5;

/// What a session needs from the rest of the lab.
pub trait XmppServices: Send + Sync {
    /// SASL PLAIN credentials check; returns the canonical agent id.
    fn authenticate(&self, id: &str, password: &str) -> Result<String, AuthFailure>;
    /// The shared session registry and pub-sub router.
    fn router(&self) -> &Router;
    /// Something changed that may have produced publications (presence): route them.
    fn pump(&self);
}

/// Where this stream lives: the Finesse node and its XMPP domain.
#[derive(Debug, Clone)]
pub struct StreamPlace {
    pub node: NodeId,
    pub domain: String,
}

/// How the stream starts on this transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamSecurity {
    /// TLS from the first byte (5223, `wss://`).
    Tls,
    /// Plain TCP that offers STARTTLS (5222).
    StartTlsOffered,
}

/// What the transport must do, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Write this (one stanza or stream-level element) to the peer.
    Send(String),
    /// Upgrade the socket to TLS now, then start a new splitter (discarding anything read).
    StartTls,
    /// Start a new splitter for the restarted stream (after SASL success).
    Restart,
    /// End the connection; `graceful` means the closing element was sent and the socket may
    /// be shut down cleanly, otherwise it is dropped as in a network failure.
    End { graceful: bool },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Waiting for the (re)started stream's header.
    Opening,
    /// Header answered; stanzas flow.
    Open,
    /// The stream has ended; nothing more is processed.
    Closed,
}

/// The transport-independent state of one client stream.
pub struct SessionCore {
    services: Arc<dyn XmppServices>,
    place: StreamPlace,
    pubsub_domain: String,
    finesse_bare: String,
    finesse_full: String,
    framing: Framing,
    security: StreamSecurity,
    tls_active: bool,
    phase: Phase,
    awaiting_sasl_response: bool,
    failed_auths: u32,
    user: Option<String>,
    bound: Option<BoundSession>,
    available: bool,
    tx: UnboundedSender<ToSession>,
    rx: Option<UnboundedReceiver<ToSession>>,
}

impl std::fmt::Debug for SessionCore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionCore")
            .field("node", &self.place.node)
            .field("phase", &self.phase)
            .field("bound", &self.bound)
            .finish_non_exhaustive()
    }
}

impl SessionCore {
    /// A stream waiting for its header.
    pub fn new(
        services: Arc<dyn XmppServices>,
        place: StreamPlace,
        framing: Framing,
        security: StreamSecurity,
    ) -> Self {
        let (tx, rx) = unbounded_channel();
        let domain = place.domain.to_lowercase();
        SessionCore {
            services,
            pubsub_domain: format!("pubsub.{domain}"),
            finesse_bare: format!("finesse@{domain}"),
            finesse_full: format!("finesse@{domain}/finesse"),
            place: StreamPlace {
                node: place.node,
                domain,
            },
            framing,
            security,
            tls_active: security == StreamSecurity::Tls,
            phase: Phase::Opening,
            awaiting_sasl_response: false,
            failed_auths: 0,
            user: None,
            bound: None,
            available: false,
            tx,
            rx: Some(rx),
        }
    }

    /// The receiving end of router messages; the transport polls it. Taken once.
    pub fn take_router_receiver(&mut self) -> Option<UnboundedReceiver<ToSession>> {
        self.rx.take()
    }

    /// The full JID once a resource is bound.
    pub fn full_jid(&self) -> Option<&str> {
        self.bound.as_ref().map(|b| b.full_jid.as_str())
    }

    /// The transport finished the TLS handshake requested by [`Action::StartTls`].
    pub fn tls_established(&mut self) {
        self.tls_active = true;
        self.phase = Phase::Opening;
    }

    /// One unit read from the peer.
    pub fn on_stream_event(&mut self, event: StreamEvent) -> Vec<Action> {
        if self.phase == Phase::Closed {
            return Vec::new();
        }
        match event {
            StreamEvent::Open(header) => self.on_open(&header),
            StreamEvent::Close => {
                self.phase = Phase::Closed;
                self.leave();
                vec![
                    Action::Send(self.framing.close()),
                    Action::End { graceful: true },
                ]
            }
            StreamEvent::Stanza(element) => {
                if self.phase == Phase::Opening {
                    return self.stream_error(
                        "bad-format",
                        Some("a stanza arrived before the stream header"),
                    );
                }
                self.on_stanza(&element)
            }
        }
    }

    /// The peer sent something unreadable.
    pub fn on_split_error(&mut self, error: &SplitError) -> Vec<Action> {
        if self.phase == Phase::Closed {
            return Vec::new();
        }
        tracing::info!(code = error.code(), "closing XMPP stream: {error}");
        let mut actions = Vec::new();
        if self.phase == Phase::Opening {
            // A stream error must travel inside a stream: open one first.
            actions.push(Action::Send(
                self.framing.stream_header(&self.place.domain, &new_id()),
            ));
        }
        actions.extend(self.stream_error(error.condition(), Some(&error.to_string())));
        actions
    }

    /// A message from the router.
    pub fn on_router_message(&mut self, message: ToSession) -> Vec<Action> {
        if self.phase == Phase::Closed {
            return Vec::new();
        }
        match message {
            ToSession::Event(item) => match &self.bound {
                Some(bound) => {
                    let id = new_short_id();
                    let env = Envelope {
                        ns: self.framing.stanza_ns(),
                        from: Some(&self.pubsub_domain),
                        to: Some(&bound.bare_jid),
                        id: Some(&id),
                    };
                    vec![Action::Send(stanza::pubsub_event(
                        env,
                        &item.node,
                        &item.item_id,
                        &item.update,
                    ))]
                }
                None => Vec::new(),
            },
            ToSession::FinessePresence { available } => {
                if self.available {
                    vec![Action::Send(self.finesse_presence(available))]
                } else {
                    Vec::new()
                }
            }
            ToSession::Conflict => {
                // The router has already forgotten this session.
                self.bound = None;
                self.stream_error("conflict", Some("Replaced by new connection"))
            }
            ToSession::Shutdown => {
                self.bound = None;
                self.stream_error("system-shutdown", None)
            }
            ToSession::Drop => {
                self.bound = None;
                self.phase = Phase::Closed;
                vec![Action::End { graceful: false }]
            }
        }
    }

    /// The socket went away without a stream close.
    pub fn on_transport_closed(&mut self) {
        self.phase = Phase::Closed;
        self.leave();
    }

    fn on_open(&mut self, header: &Element) -> Vec<Action> {
        if self.phase != Phase::Opening {
            return self.stream_error("bad-format", Some("unexpected stream header"));
        }
        let mut actions = vec![Action::Send(
            self.framing.stream_header(&self.place.domain, &new_id()),
        )];
        if let Some(to) = header.attr("to") {
            if !to.eq_ignore_ascii_case(&self.place.domain) {
                actions.extend(
                    self.stream_error("host-unknown", Some("this server serves another domain")),
                );
                return actions;
            }
        }
        self.phase = Phase::Open;
        let features = if self.user.is_none() {
            let offer_starttls =
                self.security == StreamSecurity::StartTlsOffered && !self.tls_active;
            stanza::features_before_auth(offer_starttls)
        } else {
            stanza::features_after_auth()
        };
        actions.push(Action::Send(self.framing.features(&features)));
        actions
    }

    fn on_stanza(&mut self, el: &Element) -> Vec<Action> {
        let ns = el.namespace.as_deref();
        if self.user.is_none() {
            return match (el.name.as_str(), ns) {
                ("starttls", Some(stanza::TLS_NS)) => self.on_starttls(),
                ("auth", Some(stanza::SASL_NS)) => self.on_auth(el),
                ("response", Some(stanza::SASL_NS)) if self.awaiting_sasl_response => {
                    self.awaiting_sasl_response = false;
                    self.check_plain(el.text.trim())
                }
                ("abort", Some(stanza::SASL_NS)) => {
                    self.awaiting_sasl_response = false;
                    vec![Action::Send(stanza::sasl_failure("aborted"))]
                }
                _ => self.stream_error("not-authorized", None),
            };
        }
        match el.name.as_str() {
            "iq" => self.on_iq(el),
            "presence" if self.bound.is_some() => self.on_presence(el),
            "presence" | "message" => Vec::new(),
            "enable" | "resume" if ns == Some(stanza::STREAM_MANAGEMENT_NS) => {
                vec![Action::Send(stanza::stream_management_failed())]
            }
            "r" | "a" if ns == Some(stanza::STREAM_MANAGEMENT_NS) => Vec::new(),
            _ => self.stream_error("unsupported-stanza-type", None),
        }
    }

    fn on_starttls(&mut self) -> Vec<Action> {
        if self.security == StreamSecurity::StartTlsOffered && !self.tls_active {
            vec![Action::Send(stanza::starttls_proceed()), Action::StartTls]
        } else {
            self.phase = Phase::Closed;
            vec![
                Action::Send(stanza::starttls_failure()),
                Action::Send(self.framing.close()),
                Action::End { graceful: true },
            ]
        }
    }

    fn on_auth(&mut self, el: &Element) -> Vec<Action> {
        if !el
            .attr("mechanism")
            .is_some_and(|m| m.eq_ignore_ascii_case("PLAIN"))
        {
            return vec![Action::Send(stanza::sasl_failure("invalid-mechanism"))];
        }
        let initial = el.text.trim();
        if initial.is_empty() {
            self.awaiting_sasl_response = true;
            return vec![Action::Send(stanza::sasl_challenge())];
        }
        self.check_plain(initial)
    }

    fn check_plain(&mut self, encoded: &str) -> Vec<Action> {
        let Some((authzid, authcid, password)) = decode_plain(encoded) else {
            return vec![Action::Send(stanza::sasl_failure("malformed-request"))];
        };
        let bare_of = |id: &str| format!("{}@{}", id.to_lowercase(), self.place.domain);
        if !authzid.is_empty()
            && !authzid.eq_ignore_ascii_case(&authcid)
            && !authzid.eq_ignore_ascii_case(&bare_of(&authcid))
        {
            return vec![Action::Send(stanza::sasl_failure("invalid-authzid"))];
        }
        match self.services.authenticate(&authcid, &password) {
            Ok(canonical) => {
                tracing::info!(node = ?self.place.node, user = %canonical, "XMPP authentication succeeded");
                self.user = Some(canonical);
                self.phase = Phase::Opening;
                vec![Action::Send(stanza::sasl_success()), Action::Restart]
            }
            Err(failure) => {
                self.failed_auths += 1;
                tracing::info!(node = ?self.place.node, reason = %failure, "XMPP authentication failed");
                let condition = match failure {
                    AuthFailure::LockedOut => "account-disabled",
                    AuthFailure::UnknownUser | AuthFailure::WrongPassword => "not-authorized",
                };
                let mut actions = vec![Action::Send(stanza::sasl_failure(condition))];
                if self.failed_auths >= MAX_FAILED_AUTHS {
                    self.phase = Phase::Closed;
                    actions.push(Action::Send(self.framing.close()));
                    actions.push(Action::End { graceful: true });
                }
                actions
            }
        }
    }

    fn on_presence(&mut self, el: &Element) -> Vec<Action> {
        let Some(bound) = self.bound.clone() else {
            return Vec::new();
        };
        let kind = el.attr("type");
        if let Some(to) = el.attr("to") {
            let to_finesse = to
                .split('/')
                .next()
                .is_some_and(|bare| bare.eq_ignore_ascii_case(&self.finesse_bare));
            return if to_finesse && kind == Some("probe") {
                let available = self.services.router().finesse_available(self.place.node);
                vec![Action::Send(self.finesse_presence(available))]
            } else {
                Vec::new()
            };
        }
        let available = match kind {
            None | Some("available") => true,
            Some("unavailable") => false,
            Some(_) => return Vec::new(),
        };
        let priority = el.child_parse::<i32>("priority").unwrap_or(0);
        let router = self.services.router();
        let became_available = router.set_presence(bound.id, available, priority);
        let finesse_available = router.finesse_available(self.place.node);
        self.available = available;
        self.services.pump();
        if became_available {
            vec![Action::Send(self.finesse_presence(finesse_available))]
        } else {
            Vec::new()
        }
    }

    fn finesse_presence(&self, available: bool) -> String {
        let env = Envelope {
            ns: self.framing.stanza_ns(),
            from: Some(&self.finesse_full),
            to: self.bound.as_ref().map(|b| b.full_jid.as_str()),
            id: None,
        };
        stanza::presence(env, (!available).then_some("unavailable"))
    }

    fn stream_error(&mut self, condition: &str, text: Option<&str>) -> Vec<Action> {
        self.phase = Phase::Closed;
        self.leave();
        vec![
            Action::Send(self.framing.stream_error(condition, text)),
            Action::Send(self.framing.close()),
            Action::End { graceful: true },
        ]
    }

    /// Forget the binding; the router reports presence transitions.
    fn leave(&mut self) {
        if let Some(bound) = self.bound.take() {
            self.services.router().unregister(bound.id);
            self.services.pump();
        }
        self.available = false;
    }
}

impl Drop for SessionCore {
    fn drop(&mut self) {
        self.leave();
    }
}

/// `authzid \0 authcid \0 password`, base64-encoded (RFC 4616).
fn decode_plain(encoded: &str) -> Option<(String, String, String)> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let mut parts = text.split('\0');
    let (authzid, authcid, password) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || authcid.is_empty() {
        return None;
    }
    Some((authzid.to_owned(), authcid.to_owned(), password.to_owned()))
}

fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

fn new_short_id() -> String {
    let mut id = new_id();
    id.truncate(8);
    id
}

#[path = "session_iq.rs"]
mod iq;

#[cfg(test)]
#[path = "session_tests.rs"]
mod tests;
