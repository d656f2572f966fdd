//! Outgoing stream-level framing: the parts that differ between a classic TCP stream
//! (`<stream:stream>` … `</stream:stream>`) and RFC 7395 WebSocket framing (`<open/>`,
//! `<close/>`, every element self-contained with its namespaces declared).
use finesse_xml::XmlWriter;

use super::splitter::FRAMING_NS;

/// The `stream:` prefix's namespace.
pub const STREAMS_NS: &str = "http://etherx.jabber.org/streams";
/// Stream error conditions.
pub const STREAM_ERRORS_NS: &str = "urn:ietf:params:xml:ns:xmpp-streams";
/// The default namespace of client streams.
pub const CLIENT_NS: &str = "jabber:client";

/// How stream-level elements are written on this transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// Classic XMPP over TCP (5222 with STARTTLS, 5223 direct TLS).
    Tcp,
    /// RFC 7395 XMPP over WebSocket (`/ws/`).
    WebSocket,
}

impl Framing {
    /// The reply to a client's stream header.
    pub fn stream_header(self, domain: &str, stream_id: &str) -> String {
        match self {
            Framing::Tcp => {
                let mut w = XmlWriter::new();
                w.open_with(
                    "stream:stream",
                    &[
                        ("xmlns:stream", STREAMS_NS),
                        ("xmlns", CLIENT_NS),
                        ("from", domain),
                        ("id", stream_id),
                        ("xml:lang", "en"),
                        ("version", "1.0"),
                    ],
                );
                // The stream element stays open for the life of the stream.
                format!("<?xml version='1.0' encoding='UTF-8'?>{}", open_tag_only(w))
            }
            Framing::WebSocket => {
                let mut w = XmlWriter::new();
                w.empty_element(
                    "open",
                    &[
                        ("xmlns", FRAMING_NS),
                        ("from", domain),
                        ("id", stream_id),
                        ("xml:lang", "en"),
                        ("version", "1.0"),
                    ],
                );
                w.finish()
            }
        }
    }

    /// `<stream:features>` around already-serialised feature elements.
    pub fn features(self, inner: &str) -> String {
        let mut w = XmlWriter::new();
        match self {
            Framing::Tcp => w.open("stream:features"),
            Framing::WebSocket => w.open_with("stream:features", &[("xmlns:stream", STREAMS_NS)]),
        };
        w.raw(inner);
        w.finish()
    }

    /// A stream error with an RFC 6120 condition and optional text.
    pub fn stream_error(self, condition: &str, text: Option<&str>) -> String {
        let mut w = XmlWriter::new();
        match self {
            Framing::Tcp => w.open("stream:error"),
            Framing::WebSocket => w.open_with("stream:error", &[("xmlns:stream", STREAMS_NS)]),
        };
        w.empty_element(condition, &[("xmlns", STREAM_ERRORS_NS)]);
        if let Some(text) = text {
            w.open_with("text", &[("xmlns", STREAM_ERRORS_NS), ("xml:lang", "en")])
                .text(text)
                .close();
        }
        w.finish()
    }

    /// The end of the stream.
    pub fn close(self) -> String {
        match self {
            Framing::Tcp => "</stream:stream>".to_owned(),
            Framing::WebSocket => {
                let mut w = XmlWriter::new();
                w.empty_element("close", &[("xmlns", FRAMING_NS)]);
                w.finish()
            }
        }
    }

    /// The namespace to declare on each stanza: on WebSocket every message stands alone, on
    /// TCP stanzas inherit `jabber:client` from the stream element.
    pub fn stanza_ns(self) -> Option<&'static str> {
        match self {
            Framing::Tcp => None,
            Framing::WebSocket => Some(CLIENT_NS),
        }
    }
}

fn open_tag_only(w: XmlWriter) -> String {
    let mut doc = w.finish();
    if let Some(close_at) = doc.rfind("</") {
        doc.truncate(close_at);
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcp_header_opens_the_stream_without_closing_it() {
        let header = Framing::Tcp.stream_header("fin-a.lab", "s1");
        assert!(header.starts_with("<?xml version='1.0' encoding='UTF-8'?><stream:stream "));
        assert!(header.ends_with("version=\"1.0\">"), "{header}");
        assert!(header.contains("from=\"fin-a.lab\""));
    }

    #[test]
    fn websocket_elements_declare_their_namespaces() {
        let ws = Framing::WebSocket;
        let parsed = finesse_xml::parse(&ws.stream_header("fin-a.lab", "s1")).unwrap();
        assert_eq!(parsed.namespace.as_deref(), Some(FRAMING_NS));
        let error = finesse_xml::parse(&ws.stream_error("conflict", Some("replaced"))).unwrap();
        assert!(error.child("conflict").is_some());
        assert_eq!(error.child_text("text"), Some("replaced"));
        assert!(finesse_xml::parse(
            &ws.features("<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>")
        )
        .is_ok());
        assert_eq!(ws.close(), format!("<close xmlns=\"{FRAMING_NS}\"/>"));
    }
}
