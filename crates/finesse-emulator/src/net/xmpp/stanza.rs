//! Builders for the stanzas the server sends. Attribute order and element shapes follow
//! what Openfire sends to Finesse clients (`finesse-protocol.md` §9.4, §9.5).
use finesse_xml::XmlWriter;

// Namespaces of the elements the server reads and writes (RFC 6120, XEP-0030/0060/0199/0198).

/// SASL negotiation.
pub const SASL_NS: &str = "urn:ietf:params:xml:ns:xmpp-sasl";
/// STARTTLS negotiation.
pub const TLS_NS: &str = "urn:ietf:params:xml:ns:xmpp-tls";
/// Resource binding.
pub const BIND_NS: &str = "urn:ietf:params:xml:ns:xmpp-bind";
/// Legacy session establishment (RFC 3921).
pub const SESSION_NS: &str = "urn:ietf:params:xml:ns:xmpp-session";
/// Stanza error conditions.
pub const STANZA_ERRORS_NS: &str = "urn:ietf:params:xml:ns:xmpp-stanzas";
/// The roster.
pub const ROSTER_NS: &str = "jabber:iq:roster";
/// XEP-0199 ping.
pub const PING_NS: &str = "urn:xmpp:ping";
/// XEP-0030 service discovery, info.
pub const DISCO_INFO_NS: &str = "http://jabber.org/protocol/disco#info";
/// XEP-0030 service discovery, items.
pub const DISCO_ITEMS_NS: &str = "http://jabber.org/protocol/disco#items";
/// XEP-0060 requests (and Finesse's `<notification>`).
pub const PUBSUB_NS: &str = "http://jabber.org/protocol/pubsub";
/// XEP-0060 event messages.
pub const PUBSUB_EVENT_NS: &str = "http://jabber.org/protocol/pubsub#event";
/// XEP-0060 application error conditions.
pub const PUBSUB_ERRORS_NS: &str = "http://jabber.org/protocol/pubsub#errors";
/// XEP-0198 stream management (refused).
pub const STREAM_MANAGEMENT_NS: &str = "urn:xmpp:sm:3";

/// Features offered before authentication.
pub fn features_before_auth(offer_starttls: bool) -> String {
    let mut w = XmlWriter::new();
    if offer_starttls {
        w.empty_element("starttls", &[("xmlns", TLS_NS)]);
    }
    w.open_with("mechanisms", &[("xmlns", SASL_NS)])
        .text_element("mechanism", "PLAIN")
        .close();
    w.finish()
}

/// Features offered after authentication: resource binding and (optional) session.
/// Stream management is deliberately absent: Finesse's Openfire does not support it.
pub fn features_after_auth() -> String {
    let mut w = XmlWriter::new();
    w.empty_element("bind", &[("xmlns", BIND_NS)]);
    w.open_with("session", &[("xmlns", SESSION_NS)])
        .empty_element("optional", &[])
        .close();
    w.finish()
}

/// Go ahead with the TLS handshake.
pub fn starttls_proceed() -> String {
    empty("proceed", TLS_NS)
}

/// STARTTLS refused (already secured, or not offered here).
pub fn starttls_failure() -> String {
    empty("failure", TLS_NS)
}

/// Authentication succeeded; the client restarts the stream.
pub fn sasl_success() -> String {
    empty("success", SASL_NS)
}

/// An empty SASL challenge: the client sent no initial response.
pub fn sasl_challenge() -> String {
    empty("challenge", SASL_NS)
}

/// `<failure xmlns=sasl><condition/></failure>`.
pub fn sasl_failure(condition: &str) -> String {
    let mut w = XmlWriter::new();
    w.open_with("failure", &[("xmlns", SASL_NS)])
        .empty_element(condition, &[])
        .close();
    w.finish()
}

/// Stream management requests are refused (Openfire in Finesse has it disabled).
pub fn stream_management_failed() -> String {
    let mut w = XmlWriter::new();
    w.open_with("failed", &[("xmlns", STREAM_MANAGEMENT_NS)])
        .empty_element("unexpected-request", &[("xmlns", STANZA_ERRORS_NS)])
        .close();
    w.finish()
}

/// Addressing and namespace of one outgoing stanza.
#[derive(Debug, Clone, Copy)]
pub struct Envelope<'a> {
    /// `jabber:client` on WebSocket, nothing on TCP.
    pub ns: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub id: Option<&'a str>,
}

impl<'a> Envelope<'a> {
    fn attrs(&self, kind: Option<&'a str>) -> Vec<(&'a str, &'a str)> {
        let mut attrs = Vec::new();
        if let Some(ns) = self.ns {
            attrs.push(("xmlns", ns));
        }
        if let Some(from) = self.from {
            attrs.push(("from", from));
        }
        if let Some(to) = self.to {
            attrs.push(("to", to));
        }
        if let Some(id) = self.id {
            attrs.push(("id", id));
        }
        if let Some(kind) = kind {
            attrs.push(("type", kind));
        }
        attrs
    }
}

/// `<iq type="result">` with optional, already-serialised payload.
pub fn iq_result(env: Envelope<'_>, payload: Option<&str>) -> String {
    let mut w = XmlWriter::new();
    match payload {
        Some(payload) => {
            w.open_with("iq", &env.attrs(Some("result")))
                .raw(payload)
                .close();
        }
        None => {
            w.empty_element("iq", &env.attrs(Some("result")));
        }
    }
    w.finish()
}

/// `<iq type="error">` with a stanza error condition and, optionally, an application
/// condition in its own namespace (XEP-0060 uses `pubsub#errors`).
pub fn iq_error(
    env: Envelope<'_>,
    error_type: &str,
    condition: &str,
    app_condition: Option<(&str, &str)>,
) -> String {
    let mut w = XmlWriter::new();
    w.open_with("iq", &env.attrs(Some("error")))
        .open_with("error", &[("type", error_type)])
        .empty_element(condition, &[("xmlns", STANZA_ERRORS_NS)]);
    if let Some((name, ns)) = app_condition {
        w.empty_element(name, &[("xmlns", ns)]);
    }
    w.finish()
}

/// The result of resource binding.
pub fn bind_result(full_jid: &str) -> String {
    let mut w = XmlWriter::new();
    w.open_with("bind", &[("xmlns", BIND_NS)])
        .text_element("jid", full_jid)
        .close();
    w.finish()
}

/// The roster every agent has: the Finesse server user, mutually subscribed.
pub fn roster(finesse_bare_jid: &str) -> String {
    let mut w = XmlWriter::new();
    w.open_with("query", &[("xmlns", ROSTER_NS)])
        .empty_element(
            "item",
            &[
                ("jid", finesse_bare_jid),
                ("name", "finesse"),
                ("subscription", "both"),
            ],
        )
        .close();
    w.finish()
}

/// `<presence>`; `kind` is `None` for available.
pub fn presence(env: Envelope<'_>, kind: Option<&str>) -> String {
    let mut w = XmlWriter::new();
    w.empty_element("presence", &env.attrs(kind));
    w.finish()
}

/// Service discovery answer: one identity plus features.
pub fn disco_info(category: &str, kind: &str, name: &str, features: &[&str]) -> String {
    let mut w = XmlWriter::new();
    w.open_with("query", &[("xmlns", DISCO_INFO_NS)])
        .empty_element(
            "identity",
            &[("category", category), ("type", kind), ("name", name)],
        );
    for feature in features {
        w.empty_element("feature", &[("var", feature)]);
    }
    w.finish()
}

/// Service discovery items.
pub fn disco_items(items: &[&str]) -> String {
    let mut w = XmlWriter::new();
    w.open_with("query", &[("xmlns", DISCO_ITEMS_NS)]);
    for jid in items {
        w.empty_element("item", &[("jid", jid)]);
    }
    w.finish()
}

/// One pub-sub subscription as XEP-0060 reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionView {
    pub node: String,
    pub jid: String,
    pub subid: String,
}

/// `<pubsub><subscription …/></pubsub>`: the answer to a subscribe request.
pub fn pubsub_subscription(sub: &SubscriptionView) -> String {
    let mut w = XmlWriter::new();
    w.open_with("pubsub", &[("xmlns", PUBSUB_NS)]);
    subscription_element(&mut w, sub);
    w.finish()
}

/// `<pubsub><subscriptions>…</subscriptions></pubsub>`: the requester's subscriptions.
pub fn pubsub_subscriptions(subs: &[SubscriptionView]) -> String {
    let mut w = XmlWriter::new();
    w.open_with("pubsub", &[("xmlns", PUBSUB_NS)])
        .open("subscriptions");
    for sub in subs {
        subscription_element(&mut w, sub);
    }
    w.finish()
}

fn subscription_element(w: &mut XmlWriter, sub: &SubscriptionView) {
    w.empty_element(
        "subscription",
        &[
            ("node", &sub.node),
            ("jid", &sub.jid),
            ("subid", &sub.subid),
            ("subscription", "subscribed"),
        ],
    );
}

/// The pub-sub event message of `finesse-protocol.md` §9.4. The `<Update>` document is
/// carried as escaped text inside `<notification>`, never as child elements.
pub fn pubsub_event(env: Envelope<'_>, node: &str, item_id: &str, update: &str) -> String {
    let mut w = XmlWriter::new();
    w.open_with("message", &env.attrs(None))
        .open_with("event", &[("xmlns", PUBSUB_EVENT_NS)])
        .open_with("items", &[("node", node)])
        .open_with("item", &[("id", item_id)])
        .open_with("notification", &[("xmlns", PUBSUB_NS)])
        .text(update);
    w.finish()
}

fn empty(name: &str, ns: &str) -> String {
    let mut w = XmlWriter::new();
    w.empty_element(name, &[("xmlns", ns)]);
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_notification_carries_the_update_as_text_not_elements() {
        let env = Envelope {
            ns: None,
            from: Some("pubsub.fin-a.lab"),
            to: Some("1001@fin-a.lab"),
            id: Some("m1"),
        };
        let xml = pubsub_event(
            env,
            "/finesse/api/User/1001",
            "i1",
            "<Update><event>PUT</event></Update>",
        );
        let message = finesse_xml::parse(&xml).unwrap();
        let notification = message
            .descend(&["event", "items", "item", "notification"])
            .unwrap();
        assert!(notification.children.is_empty());
        assert_eq!(notification.text, "<Update><event>PUT</event></Update>");
        assert_eq!(
            message.descend(&["event", "items"]).unwrap().attr("node"),
            Some("/finesse/api/User/1001")
        );
    }

    #[test]
    fn iq_error_has_stanza_and_application_conditions() {
        let env = Envelope {
            ns: Some("jabber:client"),
            from: Some("pubsub.fin-a.lab"),
            to: Some("1001@fin-a.lab/tray"),
            id: Some("sub1"),
        };
        let xml = iq_error(
            env,
            "modify",
            "bad-request",
            Some(("invalid-jid", PUBSUB_ERRORS_NS)),
        );
        let iq = finesse_xml::parse(&xml).unwrap();
        assert_eq!(iq.attr("type"), Some("error"));
        let error = iq.child("error").unwrap();
        assert!(error.child("bad-request").is_some());
        assert_eq!(
            error.child("invalid-jid").unwrap().namespace.as_deref(),
            Some(PUBSUB_ERRORS_NS)
        );
    }
}
