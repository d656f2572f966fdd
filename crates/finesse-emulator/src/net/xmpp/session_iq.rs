//! IQ handling of a stream: resource binding, roster, ping, service discovery, and the
//! pub-sub service's subscribe / unsubscribe / subscriptions (XEP-0060 §6, §5.6).
use finesse_xml::Element;

use super::super::router::BoundSession;
use super::super::stanza::{self, Envelope};
use super::super::subscriptions::SubscriptionError;
use super::{new_short_id, Action, SessionCore};

impl SessionCore {
    /// An IQ after authentication: binding first, then server, account and pub-sub requests.
    pub(super) fn on_iq(&mut self, el: &Element) -> Vec<Action> {
        let kind = el.attr("type").unwrap_or("");
        if kind != "get" && kind != "set" {
            return Vec::new();
        }
        let Some(id) = el.attr("id") else {
            return self.stream_error("invalid-xml", Some("iq without id"));
        };
        let to = el.attr("to");
        let payload = el.children.first();
        let payload_ns = payload.and_then(|p| p.namespace.as_deref()).unwrap_or("");
        let payload_name = payload.map(|p| p.name.as_str()).unwrap_or("");
        let reply = IqReply {
            ns: self.framing.stanza_ns(),
            from: to.map(str::to_owned),
            to: self.bound.as_ref().map(|b| b.full_jid.clone()),
            id: id.to_owned(),
        };
        let Some(bound) = self.bound.clone() else {
            return match (kind, payload_name, payload_ns) {
                ("set", "bind", stanza::BIND_NS) => self.on_bind(id, payload),
                ("set", "session", stanza::SESSION_NS) => reply.result(None),
                _ => reply.error("auth", "not-authorized", None),
            };
        };
        match self.classify(to, &bound) {
            Target::Server => match (kind, payload_name, payload_ns) {
                ("get", "ping", stanza::PING_NS) => reply.result(None),
                ("set", "session", stanza::SESSION_NS) => reply.result(None),
                ("get", "query", stanza::ROSTER_NS) => {
                    reply.result(Some(&stanza::roster(&self.finesse_bare)))
                }
                ("set", "query", stanza::ROSTER_NS) => reply.result(None),
                ("get", "query", stanza::DISCO_INFO_NS) => reply.result(Some(&stanza::disco_info(
                    "server",
                    "im",
                    "Cisco Finesse Notification Service (emulated)",
                    &[
                        stanza::DISCO_INFO_NS,
                        stanza::DISCO_ITEMS_NS,
                        stanza::PING_NS,
                        stanza::ROSTER_NS,
                    ],
                ))),
                ("get", "query", stanza::DISCO_ITEMS_NS) => {
                    reply.result(Some(&stanza::disco_items(&[&self.pubsub_domain])))
                }
                ("set", "bind", stanza::BIND_NS) => reply.error("cancel", "not-allowed", None),
                _ => reply.error("cancel", "service-unavailable", None),
            },
            Target::PubSub => match (kind, payload_name, payload_ns) {
                ("get", "ping", stanza::PING_NS) => reply.result(None),
                ("get", "query", stanza::DISCO_INFO_NS) => reply.result(Some(&stanza::disco_info(
                    "pubsub",
                    "service",
                    "Publish-Subscribe service",
                    &[
                        stanza::DISCO_INFO_NS,
                        stanza::PUBSUB_NS,
                        "http://jabber.org/protocol/pubsub#subscribe",
                        "http://jabber.org/protocol/pubsub#retrieve-subscriptions",
                    ],
                ))),
                ("get", "query", stanza::DISCO_ITEMS_NS) => {
                    reply.result(Some(&stanza::disco_items(&[])))
                }
                (_, "pubsub", stanza::PUBSUB_NS) => match payload {
                    Some(pubsub) => self.on_pubsub(kind, pubsub, &bound, &reply),
                    None => reply.error("modify", "bad-request", None),
                },
                _ => reply.error("cancel", "feature-not-implemented", None),
            },
            Target::Elsewhere => reply.error("cancel", "service-unavailable", None),
        }
    }

    fn classify(&self, to: Option<&str>, bound: &BoundSession) -> Target {
        match to {
            None => Target::Server,
            Some(to) if to.eq_ignore_ascii_case(&self.place.domain) => Target::Server,
            Some(to) if to.eq_ignore_ascii_case(&bound.bare_jid) => Target::Server,
            Some(to) if to.eq_ignore_ascii_case(&self.pubsub_domain) => Target::PubSub,
            Some(_) => Target::Elsewhere,
        }
    }

    fn on_bind(&mut self, id: &str, payload: Option<&Element>) -> Vec<Action> {
        let Some(user) = self.user.clone() else {
            return Vec::new();
        };
        let requested = payload
            .and_then(|p| p.child_text("resource"))
            .map(str::to_owned);
        let resource = match requested {
            Some(r) if r.len() > 1023 || r.chars().any(char::is_control) => {
                let reply = IqReply {
                    ns: self.framing.stanza_ns(),
                    from: None,
                    to: None,
                    id: id.to_owned(),
                };
                return reply.error("modify", "bad-request", None);
            }
            Some(r) => r,
            None => format!("emulator-{}", new_short_id()),
        };
        let bound = self.services.router().bind(
            self.place.node,
            &user,
            &self.place.domain,
            &resource,
            self.tx.clone(),
        );
        tracing::info!(node = ?self.place.node, jid = %bound.full_jid, "XMPP resource bound");
        let reply = IqReply {
            ns: self.framing.stanza_ns(),
            from: None,
            to: None,
            id: id.to_owned(),
        };
        let actions = reply.result(Some(&stanza::bind_result(&bound.full_jid)));
        self.bound = Some(bound);
        // Binding may have ended an older session whose presence the center tracks.
        self.services.pump();
        actions
    }

    fn on_pubsub(
        &self,
        kind: &str,
        pubsub: &Element,
        bound: &BoundSession,
        reply: &IqReply,
    ) -> Vec<Action> {
        let router = self.services.router();
        let error = |e: SubscriptionError| match e {
            SubscriptionError::InvalidJid => reply.error(
                "modify",
                "bad-request",
                Some(("invalid-jid", stanza::PUBSUB_ERRORS_NS)),
            ),
            SubscriptionError::NodeIdRequired => reply.error(
                "modify",
                "bad-request",
                Some(("nodeid-required", stanza::PUBSUB_ERRORS_NS)),
            ),
            SubscriptionError::NotSubscribed => reply.error(
                "cancel",
                "unexpected-request",
                Some(("not-subscribed", stanza::PUBSUB_ERRORS_NS)),
            ),
        };
        let node_of = |el: &Element| el.attr("node").unwrap_or("").to_owned();
        if kind == "set" {
            if let Some(subscribe) = pubsub.child("subscribe") {
                let jid = subscribe.attr("jid").unwrap_or("");
                return match router.subscribe(bound.id, &node_of(subscribe), jid) {
                    Ok(view) => reply.result(Some(&stanza::pubsub_subscription(&view))),
                    Err(e) => error(e),
                };
            }
            if let Some(unsubscribe) = pubsub.child("unsubscribe") {
                let jid = unsubscribe.attr("jid").unwrap_or("");
                return match router.unsubscribe(
                    bound.id,
                    &node_of(unsubscribe),
                    jid,
                    unsubscribe.attr("subid"),
                ) {
                    Ok(()) => reply.result(None),
                    Err(e) => error(e),
                };
            }
        } else if let Some(request) = pubsub.child("subscriptions") {
            let filter = request.attr("node");
            let subs: Vec<_> = router
                .subscriptions(bound.id)
                .into_iter()
                .filter(|s| filter.is_none_or(|n| n == s.node))
                .collect();
            return reply.result(Some(&stanza::pubsub_subscriptions(&subs)));
        }
        reply.error("cancel", "feature-not-implemented", None)
    }
}

enum Target {
    /// The server itself or the user's own account.
    Server,
    /// `pubsub.<domain>`.
    PubSub,
    /// Another user or an unknown service: no client-to-client routing here.
    Elsewhere,
}

struct IqReply {
    ns: Option<&'static str>,
    from: Option<String>,
    to: Option<String>,
    id: String,
}

impl IqReply {
    fn envelope(&self) -> Envelope<'_> {
        Envelope {
            ns: self.ns,
            from: self.from.as_deref(),
            to: self.to.as_deref(),
            id: Some(&self.id),
        }
    }

    fn result(&self, payload: Option<&str>) -> Vec<Action> {
        vec![Action::Send(stanza::iq_result(self.envelope(), payload))]
    }

    fn error(&self, error_type: &str, condition: &str, app: Option<(&str, &str)>) -> Vec<Action> {
        vec![Action::Send(stanza::iq_error(
            self.envelope(),
            error_type,
            condition,
            app,
        ))]
    }
}
