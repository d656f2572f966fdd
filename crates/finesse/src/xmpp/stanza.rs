//! The few stanzas the client writes, and helpers to read the ones it receives.

use base64::Engine;
use finesse_xml::{escape_text, Element, XmlWriter};

pub(crate) const NS_CLIENT: &str = "jabber:client";
pub(crate) const NS_STREAM: &str = "http://etherx.jabber.org/streams";
pub(crate) const NS_FRAMING: &str = "urn:ietf:params:xml:ns:xmpp-framing";
pub(crate) const NS_TLS: &str = "urn:ietf:params:xml:ns:xmpp-tls";
pub(crate) const NS_SASL: &str = "urn:ietf:params:xml:ns:xmpp-sasl";
pub(crate) const NS_BIND: &str = "urn:ietf:params:xml:ns:xmpp-bind";
pub(crate) const NS_SESSION: &str = "urn:ietf:params:xml:ns:xmpp-session";
pub(crate) const NS_STANZAS: &str = "urn:ietf:params:xml:ns:xmpp-stanzas";
pub(crate) const NS_PING: &str = "urn:xmpp:ping";
pub(crate) const NS_PUBSUB: &str = "http://jabber.org/protocol/pubsub";

/// The `type` of an IQ request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IqType {
    Get,
    Set,
}

impl IqType {
    fn as_str(self) -> &'static str {
        match self {
            IqType::Get => "get",
            IqType::Set => "set",
        }
    }
}

/// RFC 7395 `<open/>` for a WebSocket stream.
pub(crate) fn websocket_open(domain: &str) -> String {
    let mut w = XmlWriter::new();
    w.empty_element(
        "open",
        &[("xmlns", NS_FRAMING), ("to", domain), ("version", "1.0")],
    );
    w.finish()
}

pub(crate) fn websocket_close() -> String {
    let mut w = XmlWriter::new();
    w.empty_element("close", &[("xmlns", NS_FRAMING)]);
    w.finish()
}

/// The classic stream header, left open: the stream is the root of one long document.
pub(crate) fn tcp_stream_header(domain: &str) -> String {
    format!(
        "<?xml version='1.0'?><stream:stream xmlns='{NS_CLIENT}' xmlns:stream='{NS_STREAM}' to='{}' version='1.0'>",
        escape_text(domain)
    )
}

pub(crate) const TCP_STREAM_CLOSE: &str = "</stream:stream>";

pub(crate) fn starttls() -> String {
    let mut w = XmlWriter::new();
    w.empty_element("starttls", &[("xmlns", NS_TLS)]);
    w.finish()
}

/// SASL PLAIN: base64 of `\0username\0password` (no authorization identity).
pub(crate) fn auth_plain(username: &str, password: &str) -> String {
    let mut message = Vec::with_capacity(username.len() + password.len() + 2);
    message.push(0);
    message.extend_from_slice(username.as_bytes());
    message.push(0);
    message.extend_from_slice(password.as_bytes());
    let encoded = base64::engine::general_purpose::STANDARD.encode(message);
    let mut w = XmlWriter::new();
    w.open_with("auth", &[("xmlns", NS_SASL), ("mechanism", "PLAIN")])
        .text(&encoded);
    w.finish()
}

// Stanzas name their namespace explicitly: over WebSocket (RFC 7395) there is no stream root to
// inherit `jabber:client` from, and over TCP the explicit declaration equals the default.

/// `<iq type=… id=… to=…>payload</iq>`; `payload` must be well-formed XML.
pub(crate) fn iq(iq_type: IqType, id: &str, to: Option<&str>, payload: &str) -> String {
    let mut attrs = vec![("xmlns", NS_CLIENT), ("type", iq_type.as_str()), ("id", id)];
    if let Some(to) = to {
        attrs.push(("to", to));
    }
    let mut w = XmlWriter::new();
    w.open_with("iq", &attrs).raw(payload);
    w.finish()
}

pub(crate) fn bind(id: &str, resource: &str) -> String {
    let mut w = XmlWriter::new();
    w.open_with("bind", &[("xmlns", NS_BIND)])
        .text_element("resource", resource);
    iq(IqType::Set, id, None, &w.finish())
}

pub(crate) fn session(id: &str) -> String {
    let mut w = XmlWriter::new();
    w.empty_element("session", &[("xmlns", NS_SESSION)]);
    iq(IqType::Set, id, None, &w.finish())
}

pub(crate) fn ping(id: &str, to: &str) -> String {
    let mut w = XmlWriter::new();
    w.empty_element("ping", &[("xmlns", NS_PING)]);
    iq(IqType::Get, id, Some(to), &w.finish())
}

/// An empty result answering a request (server ping, roster push).
pub(crate) fn iq_result(id: &str, to: Option<&str>) -> String {
    let mut attrs = vec![("xmlns", NS_CLIENT), ("type", "result"), ("id", id)];
    if let Some(to) = to {
        attrs.push(("to", to));
    }
    let mut w = XmlWriter::new();
    w.empty_element("iq", &attrs);
    w.finish()
}

/// `service-unavailable`: the answer RFC 6120 requires for requests we do not handle.
pub(crate) fn iq_service_unavailable(id: &str, to: Option<&str>) -> String {
    let mut attrs = vec![("xmlns", NS_CLIENT), ("type", "error"), ("id", id)];
    if let Some(to) = to {
        attrs.push(("to", to));
    }
    let mut w = XmlWriter::new();
    w.open_with("iq", &attrs)
        .open_with("error", &[("type", "cancel")])
        .empty_element("service-unavailable", &[("xmlns", NS_STANZAS)]);
    w.finish()
}

pub(crate) fn initial_presence() -> String {
    let mut w = XmlWriter::new();
    w.open_with("presence", &[("xmlns", NS_CLIENT)])
        .text_element("priority", "0");
    w.finish()
}

pub(crate) fn unavailable_presence() -> String {
    let mut w = XmlWriter::new();
    w.empty_element("presence", &[("xmlns", NS_CLIENT), ("type", "unavailable")]);
    w.finish()
}

/// XEP-0060 `<pubsub><subscribe|unsubscribe node=… jid=…/></pubsub>`.
pub(crate) fn pubsub_subscription_change(action: &str, node: &str, jid: &str) -> String {
    let mut w = XmlWriter::new();
    w.open_with("pubsub", &[("xmlns", NS_PUBSUB)])
        .empty_element(action, &[("node", node), ("jid", jid)]);
    w.finish()
}

pub(crate) fn pubsub_subscriptions_query() -> String {
    let mut w = XmlWriter::new();
    w.open_with("pubsub", &[("xmlns", NS_PUBSUB)])
        .empty_element("subscriptions", &[]);
    w.finish()
}

/// Serialise an element tree: attributes as given (including `xmlns`), text before children.
pub fn write_element(element: &Element) -> String {
    let mut w = XmlWriter::new();
    write_into(&mut w, element);
    w.finish()
}

fn write_into(w: &mut XmlWriter, element: &Element) {
    let attrs: Vec<(&str, &str)> = element
        .attributes
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    if element.children.is_empty() && element.text.is_empty() {
        w.empty_element(&element.name, &attrs);
        return;
    }
    w.open_with(&element.name, &attrs).text(&element.text);
    for child in &element.children {
        write_into(w, child);
    }
    w.close();
}

/// The defined condition of an error element: its first child that is not `<text>`.
pub(crate) fn error_condition(error: &Element) -> String {
    error
        .children
        .iter()
        .find(|c| !c.is("text"))
        .map(|c| c.name.clone())
        .unwrap_or_else(|| "undefined-condition".to_owned())
}

/// The `<error>` inside an IQ error, as (condition, text).
pub(crate) fn stanza_error(iq: &Element) -> (String, Option<String>) {
    match iq.child("error") {
        Some(error) => (
            error_condition(error),
            error.child_text("text").map(str::to_owned),
        ),
        None => ("undefined-condition".to_owned(), None),
    }
}

/// The bare part (`local@domain`) of a JID.
pub(crate) fn bare_jid(jid: &str) -> &str {
    jid.split('/').next().unwrap_or(jid)
}

/// Presence availability: `Some(true)` for available, `Some(false)` for unavailable, `None` for
/// subscription management and errors, which say nothing about the peer being online.
pub(crate) fn presence_availability(presence: &Element) -> Option<bool> {
    match presence.attr("type") {
        None => Some(true),
        Some(t) if t.eq_ignore_ascii_case("unavailable") => Some(false),
        Some(_) => None,
    }
}

/// Whether an IQ request carries a XEP-0199 ping.
pub(crate) fn is_ping_request(iq: &Element) -> bool {
    iq.attr("type") == Some("get")
        && iq
            .child("ping")
            .is_some_and(|p| p.namespace.as_deref() == Some(NS_PING))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sasl_plain_carries_nul_separated_credentials() {
        let auth = finesse_xml::parse(&auth_plain("1001001", "pässword")).unwrap();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(auth.text.trim())
            .unwrap();
        assert_eq!(decoded, b"\x001001001\x00p\xc3\xa4ssword");
        assert_eq!(auth.attr("mechanism"), Some("PLAIN"));
    }

    #[test]
    fn the_tcp_header_is_left_open() {
        let header = tcp_stream_header("fin-a.example.com");
        assert_eq!(
            header,
            "<?xml version='1.0'?><stream:stream xmlns='jabber:client' \
             xmlns:stream='http://etherx.jabber.org/streams' to='fin-a.example.com' version='1.0'>"
        );
    }

    #[test]
    fn elements_round_trip_through_the_writer() {
        let xml = r#"<pubsub xmlns="http://jabber.org/protocol/pubsub"><publish node="/finesse/api/User/1"><item><notification xmlns="http://jabber.org/protocol/pubsub">&lt;Update&gt;&amp;&lt;/Update&gt;</notification></item></publish></pubsub>"#;
        let element = finesse_xml::parse(xml).unwrap();
        assert_eq!(write_element(&element), xml);
    }
}
