//! Incoming XMPP framing: cuts a classic `<stream:stream>` byte stream (TCP) into the stream
//! header, whole stanzas and the stream end, and reads RFC 7395 WebSocket messages.
//!
//! TCP reads arrive split and coalesced at arbitrary byte positions, so the splitter is an
//! incremental lexer that keeps its state between reads and never rescans. It is bounded:
//! a stanza larger than the limit, nesting deeper than the limit, comments, processing
//! instructions or DTDs inside the stream, and text between stanzas are errors the
//! session answers with a stream error.
use finesse_xml::{Element, Limits};

/// Size and depth limits for what a client may send.
#[derive(Debug, Clone, Copy)]
pub struct SplitLimits {
    /// Largest stanza (or stream header) in bytes.
    pub max_stanza_bytes: usize,
    /// Deepest element nesting inside a stanza.
    pub max_depth: usize,
}

impl Default for SplitLimits {
    fn default() -> Self {
        // Finesse clients send pings, presence, subscribe IQs: a few hundred bytes each.
        SplitLimits {
            max_stanza_bytes: 64 * 1024,
            max_depth: 32,
        }
    }
}

/// One unit of the incoming stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamEvent {
    /// The stream header (`<stream:stream …>` or RFC 7395 `<open/>`), attributes only.
    Open(Element),
    /// A complete first-level element.
    Stanza(Element),
    /// `</stream:stream>` or RFC 7395 `<close/>`.
    Close,
}

/// Why the incoming stream cannot be read further; each maps to an RFC 6120 stream error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    #[error("not well-formed: {0}")]
    NotWellFormed(String),
    #[error("a stanza exceeds {limit} bytes")]
    TooLarge { limit: usize },
    #[error("restricted XML: {0}")]
    Restricted(&'static str),
    #[error("the stream did not start with a stream header")]
    BadFormat,
}

impl SplitError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            SplitError::NotWellFormed(_) => "xmpp_not_well_formed",
            SplitError::TooLarge { .. } => "xmpp_stanza_too_large",
            SplitError::Restricted(_) => "xmpp_restricted_xml",
            SplitError::BadFormat => "xmpp_bad_format",
        }
    }

    /// The RFC 6120 stream error condition element name.
    pub fn condition(&self) -> &'static str {
        match self {
            SplitError::NotWellFormed(_) => "not-well-formed",
            SplitError::TooLarge { .. } => "policy-violation",
            SplitError::Restricted(_) => "restricted-xml",
            SplitError::BadFormat => "bad-format",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TagKind {
    Start,
    End,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lex {
    /// Character data (or whitespace between stanzas).
    Text,
    /// Just read `<`.
    Lt,
    /// Inside a start or end tag.
    Tag {
        kind: TagKind,
        quote: Option<u8>,
        prev: u8,
    },
    /// Inside `<? … ?>` (only the XML declaration before the header is allowed).
    Pi { prev: u8 },
    /// Just read `<!`.
    Bang,
    /// Inside `<![CDATA[ … ]]>`.
    CData { prev2: u8, prev: u8 },
}

/// The incremental splitter for classic TCP streams. Create a new one for each stream
/// restart (after STARTTLS and after SASL success).
#[derive(Debug)]
pub struct StanzaSplitter {
    buf: Vec<u8>,
    pos: usize,
    lex: Lex,
    /// 0 before the stream header, 1 between stanzas, 2+ inside a stanza.
    depth: usize,
    tag_start: usize,
    stanza_start: usize,
    header_seen: bool,
    limits: SplitLimits,
}

impl StanzaSplitter {
    /// A splitter waiting for the stream header.
    pub fn new(limits: SplitLimits) -> Self {
        StanzaSplitter {
            buf: Vec::new(),
            pos: 0,
            lex: Lex::Text,
            depth: 0,
            tag_start: 0,
            stanza_start: 0,
            header_seen: false,
            limits,
        }
    }

    /// Feed the next bytes read from the socket; returns every unit completed by them.
    /// After an error the splitter must not be fed again.
    pub fn feed(&mut self, data: &[u8]) -> Result<Vec<StreamEvent>, SplitError> {
        self.buf.extend_from_slice(data);
        let mut events = Vec::new();
        while self.pos < self.buf.len() {
            let i = self.pos;
            let b = self.buf[i];
            self.pos += 1;
            self.step(i, b, &mut events)?;
            if events.last() == Some(&StreamEvent::Close) {
                break;
            }
        }
        self.check_size()?;
        self.compact();
        Ok(events)
    }

    fn step(&mut self, i: usize, b: u8, events: &mut Vec<StreamEvent>) -> Result<(), SplitError> {
        match self.lex {
            Lex::Text => {
                if b == b'<' {
                    self.tag_start = i;
                    self.lex = Lex::Lt;
                } else if self.depth <= 1 && !b.is_ascii_whitespace() {
                    return Err(if self.depth == 0 {
                        SplitError::BadFormat
                    } else {
                        SplitError::NotWellFormed("text outside a stanza".into())
                    });
                }
            }
            Lex::Lt => {
                self.lex = match b {
                    b'/' => Lex::Tag {
                        kind: TagKind::End,
                        quote: None,
                        prev: b,
                    },
                    b'?' => Lex::Pi { prev: b },
                    b'!' => Lex::Bang,
                    b'>' | b'<' | b'=' | b'"' | b'\'' => {
                        return Err(SplitError::NotWellFormed("empty or broken tag".into()))
                    }
                    _ if b.is_ascii_whitespace() => {
                        return Err(SplitError::NotWellFormed("whitespace after '<'".into()))
                    }
                    _ => Lex::Tag {
                        kind: TagKind::Start,
                        quote: None,
                        prev: b,
                    },
                };
            }
            Lex::Tag { kind, quote, prev } => match quote {
                Some(q) => {
                    let quote = if b == q { None } else { Some(q) };
                    self.lex = Lex::Tag {
                        kind,
                        quote,
                        prev: b,
                    };
                }
                None if b == b'"' || b == b'\'' => {
                    self.lex = Lex::Tag {
                        kind,
                        quote: Some(b),
                        prev: b,
                    };
                }
                None if b == b'<' => {
                    return Err(SplitError::NotWellFormed("'<' inside a tag".into()))
                }
                None if b == b'>' => {
                    self.lex = Lex::Text;
                    self.tag_complete(i, kind, prev == b'/', events)?;
                }
                None => {
                    self.lex = Lex::Tag {
                        kind,
                        quote,
                        prev: b,
                    }
                }
            },
            Lex::Pi { prev } => {
                if self.header_seen {
                    return Err(SplitError::Restricted(
                        "processing instruction inside the stream",
                    ));
                }
                self.lex = if prev == b'?' && b == b'>' {
                    Lex::Text
                } else {
                    Lex::Pi { prev: b }
                };
            }
            Lex::Bang => match b {
                b'[' if self.depth >= 2 => {
                    self.lex = Lex::CData { prev2: 0, prev: 0 };
                }
                b'-' => return Err(SplitError::Restricted("comments are not allowed")),
                _ => {
                    return Err(SplitError::Restricted(
                        "document type declarations are not allowed",
                    ))
                }
            },
            Lex::CData { prev2, prev } => {
                self.lex = if prev2 == b']' && prev == b']' && b == b'>' {
                    Lex::Text
                } else {
                    Lex::CData {
                        prev2: prev,
                        prev: b,
                    }
                };
            }
        }
        Ok(())
    }

    fn tag_complete(
        &mut self,
        end: usize,
        kind: TagKind,
        self_closing: bool,
        events: &mut Vec<StreamEvent>,
    ) -> Result<(), SplitError> {
        match (kind, self.depth) {
            (TagKind::Start, 0) => {
                if self_closing {
                    return Err(SplitError::BadFormat);
                }
                let header = String::from_utf8(self.buf[self.tag_start..end].to_vec())
                    .map_err(|_| SplitError::NotWellFormed("invalid UTF-8".into()))?;
                let element = finesse_xml::parse(&format!("{header}/>"))
                    .map_err(|e| SplitError::NotWellFormed(e.to_string()))?;
                if !element.is("stream") {
                    return Err(SplitError::BadFormat);
                }
                self.header_seen = true;
                self.depth = 1;
                events.push(StreamEvent::Open(element));
            }
            (TagKind::End, 0) => return Err(SplitError::BadFormat),
            (TagKind::Start, 1) => {
                self.stanza_start = self.tag_start;
                if self_closing {
                    events.push(StreamEvent::Stanza(self.parse_stanza(end)?));
                } else {
                    self.depth = 2;
                }
            }
            (TagKind::End, 1) => {
                let name = String::from_utf8_lossy(&self.buf[self.tag_start + 2..end]);
                if name.trim() != "stream:stream" {
                    return Err(SplitError::NotWellFormed(format!(
                        "unexpected </{}>",
                        name.trim()
                    )));
                }
                events.push(StreamEvent::Close);
            }
            (TagKind::Start, depth) => {
                if !self_closing {
                    if depth > self.limits.max_depth {
                        return Err(SplitError::Restricted("elements nested too deeply"));
                    }
                    self.depth += 1;
                }
            }
            (TagKind::End, depth) => {
                self.depth = depth - 1;
                if self.depth == 1 {
                    events.push(StreamEvent::Stanza(self.parse_stanza(end)?));
                }
            }
        }
        Ok(())
    }

    fn parse_stanza(&self, end: usize) -> Result<Element, SplitError> {
        let bytes = &self.buf[self.stanza_start..=end];
        let text = std::str::from_utf8(bytes)
            .map_err(|_| SplitError::NotWellFormed("invalid UTF-8".into()))?;
        parse_element(text, self.limits)
    }

    /// The unfinished unit (stanza, or a tag between stanzas) must stay within the limit.
    fn check_size(&self) -> Result<(), SplitError> {
        let pending_from = match (self.depth, self.lex) {
            (d, _) if d >= 2 => Some(self.stanza_start),
            (_, Lex::Text) => None,
            _ => Some(self.tag_start),
        };
        match pending_from {
            Some(start) if self.buf.len() - start > self.limits.max_stanza_bytes => {
                Err(SplitError::TooLarge {
                    limit: self.limits.max_stanza_bytes,
                })
            }
            _ => Ok(()),
        }
    }

    /// Drop bytes no longer needed so the buffer only holds the unit in progress.
    fn compact(&mut self) {
        let keep_from = match (self.depth, self.lex) {
            (d, _) if d >= 2 => self.stanza_start,
            (_, Lex::Text) => self.pos,
            _ => self.tag_start,
        };
        if keep_from == 0 {
            return;
        }
        self.buf.drain(..keep_from);
        self.pos -= keep_from;
        self.tag_start = self.tag_start.saturating_sub(keep_from);
        self.stanza_start = self.stanza_start.saturating_sub(keep_from);
    }
}

fn parse_element(text: &str, limits: SplitLimits) -> Result<Element, SplitError> {
    finesse_xml::parse_with_limits(
        text,
        Limits {
            max_bytes: limits.max_stanza_bytes,
            max_depth: limits.max_depth + 1,
        },
    )
    .map_err(|e| match e {
        finesse_xml::XmlError::TooLarge { limit } => SplitError::TooLarge { limit },
        finesse_xml::XmlError::TooDeep { .. } => {
            SplitError::Restricted("elements nested too deeply")
        }
        other => SplitError::NotWellFormed(other.to_string()),
    })
}

/// Namespace of RFC 7395 `<open/>` and `<close/>`.
pub const FRAMING_NS: &str = "urn:ietf:params:xml:ns:xmpp-framing";

/// Read one RFC 7395 WebSocket text message: exactly one complete element.
pub fn read_websocket_message(text: &str, limits: SplitLimits) -> Result<StreamEvent, SplitError> {
    if text.len() > limits.max_stanza_bytes {
        return Err(SplitError::TooLarge {
            limit: limits.max_stanza_bytes,
        });
    }
    if text.contains("<!--") {
        return Err(SplitError::Restricted("comments are not allowed"));
    }
    if text.contains("<!DOCTYPE") {
        return Err(SplitError::Restricted(
            "document type declarations are not allowed",
        ));
    }
    let element = parse_element(text, limits)?;
    let framing = element.namespace.as_deref() == Some(FRAMING_NS);
    Ok(if framing && element.is("open") {
        StreamEvent::Open(element)
    } else if framing && element.is("close") {
        StreamEvent::Close
    } else {
        StreamEvent::Stanza(element)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' \
        xmlns:stream='http://etherx.jabber.org/streams' to='fin-a.lab' version='1.0'>";

    fn feed_all(
        splitter: &mut StanzaSplitter,
        chunks: &[&[u8]],
    ) -> Result<Vec<StreamEvent>, SplitError> {
        let mut events = Vec::new();
        for chunk in chunks {
            events.extend(splitter.feed(chunk)?);
        }
        Ok(events)
    }

    fn names(events: &[StreamEvent]) -> Vec<String> {
        events
            .iter()
            .map(|e| match e {
                StreamEvent::Open(el) => format!("open:{}", el.attr("to").unwrap_or("")),
                StreamEvent::Stanza(el) => el.name.clone(),
                StreamEvent::Close => "close".to_owned(),
            })
            .collect()
    }

    #[test]
    fn header_stanzas_and_close_are_found_in_one_read() {
        let input = format!(
            "{HEADER}<presence/> <iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>\n</stream:stream>"
        );
        let mut s = StanzaSplitter::new(SplitLimits::default());
        let events = s.feed(input.as_bytes()).unwrap();
        assert_eq!(
            names(&events),
            ["open:fin-a.lab", "presence", "iq", "close"]
        );
    }

    #[test]
    fn every_split_position_gives_the_same_units() {
        let input = format!(
            "{HEADER}<message to='a@b' id=\"x>y\"><body>1 &lt; 2 <![CDATA[<not-a-tag>]]></body></message><presence type='unavailable'/>"
        );
        let bytes = input.as_bytes();
        let mut whole = StanzaSplitter::new(SplitLimits::default());
        let expected = whole.feed(bytes).unwrap();
        assert_eq!(names(&expected), ["open:fin-a.lab", "message", "presence"]);
        for cut in 1..bytes.len() {
            let mut s = StanzaSplitter::new(SplitLimits::default());
            let got = feed_all(&mut s, &[&bytes[..cut], &bytes[cut..]]).unwrap();
            assert_eq!(got, expected, "split at byte {cut}");
        }
        let mut bytewise = StanzaSplitter::new(SplitLimits::default());
        let chunks: Vec<&[u8]> = bytes.chunks(1).collect();
        assert_eq!(feed_all(&mut bytewise, &chunks).unwrap(), expected);
    }

    #[test]
    fn message_body_keeps_quoted_angle_brackets_and_cdata() {
        let input = format!("{HEADER}<message id=\"a>b\"><body><![CDATA[<x>]]></body></message>");
        let mut s = StanzaSplitter::new(SplitLimits::default());
        let events = s.feed(input.as_bytes()).unwrap();
        let StreamEvent::Stanza(message) = &events[1] else {
            panic!("expected a stanza, got {events:?}");
        };
        assert_eq!(message.attr("id"), Some("a>b"));
        assert_eq!(message.child("body").map(|b| b.text.as_str()), Some("<x>"));
    }

    #[test]
    fn garbage_instead_of_a_header_is_bad_format() {
        let mut s = StanzaSplitter::new(SplitLimits::default());
        assert_eq!(
            s.feed(b"GET / HTTP/1.1\r\n").unwrap_err(),
            SplitError::BadFormat
        );
        let mut s = StanzaSplitter::new(SplitLimits::default());
        assert_eq!(s.feed(b"<presence/>").unwrap_err(), SplitError::BadFormat);
    }

    #[test]
    fn broken_stanzas_and_stray_text_are_not_well_formed() {
        for bad in ["hello", "<iq><a></b></iq>", "< iq/>", "</iq>"] {
            let mut s = StanzaSplitter::new(SplitLimits::default());
            let err = feed_all(&mut s, &[HEADER.as_bytes(), bad.as_bytes()]).unwrap_err();
            assert_eq!(err.condition(), "not-well-formed", "input {bad:?}: {err:?}");
        }
    }

    #[test]
    fn comments_and_doctype_are_restricted() {
        for bad in ["<!-- hi -->", "<iq><!DOCTYPE x></iq>", "<?pi x?>"] {
            let mut s = StanzaSplitter::new(SplitLimits::default());
            let err = feed_all(&mut s, &[HEADER.as_bytes(), bad.as_bytes()]).unwrap_err();
            assert_eq!(err.condition(), "restricted-xml", "input {bad:?}");
        }
    }

    #[test]
    fn an_endless_stanza_is_cut_off_at_the_limit() {
        let limits = SplitLimits {
            max_stanza_bytes: 1024,
            max_depth: 8,
        };
        let mut s = StanzaSplitter::new(limits);
        s.feed(HEADER.as_bytes()).unwrap();
        s.feed(b"<message><body>").unwrap();
        let mut result = Ok(Vec::new());
        for _ in 0..10 {
            result = s.feed(&[b'x'; 200]);
            if result.is_err() {
                break;
            }
        }
        assert_eq!(result.unwrap_err(), SplitError::TooLarge { limit: 1024 });
    }

    #[test]
    fn an_endless_tag_is_cut_off_at_the_limit() {
        let limits = SplitLimits {
            max_stanza_bytes: 256,
            max_depth: 8,
        };
        let mut s = StanzaSplitter::new(limits);
        let err = s
            .feed(format!("<stream:stream a='{}", "y".repeat(400)).as_bytes())
            .unwrap_err();
        assert_eq!(err, SplitError::TooLarge { limit: 256 });
    }

    #[test]
    fn deep_nesting_is_restricted() {
        let limits = SplitLimits {
            max_stanza_bytes: 4096,
            max_depth: 4,
        };
        let mut s = StanzaSplitter::new(limits);
        let deep = "<a>".repeat(10);
        let err = feed_all(&mut s, &[HEADER.as_bytes(), deep.as_bytes()]).unwrap_err();
        assert_eq!(err.condition(), "restricted-xml");
    }

    #[test]
    fn buffer_only_holds_the_unit_in_progress() {
        let mut s = StanzaSplitter::new(SplitLimits::default());
        s.feed(HEADER.as_bytes()).unwrap();
        for _ in 0..1000 {
            s.feed(b"<presence/> ").unwrap();
        }
        s.feed(b"<iq id='1'>").unwrap();
        assert_eq!(s.buf, b"<iq id='1'>");
    }

    #[test]
    fn websocket_messages_are_open_close_or_stanzas() {
        let limits = SplitLimits::default();
        let open = read_websocket_message(
            r#"<open xmlns="urn:ietf:params:xml:ns:xmpp-framing" to="fin-a.lab" version="1.0"/>"#,
            limits,
        )
        .unwrap();
        assert!(matches!(open, StreamEvent::Open(el) if el.attr("to") == Some("fin-a.lab")));
        let close = read_websocket_message(
            r#"<close xmlns="urn:ietf:params:xml:ns:xmpp-framing"/>"#,
            limits,
        )
        .unwrap();
        assert_eq!(close, StreamEvent::Close);
        let iq = read_websocket_message(r#"<iq xmlns="jabber:client" type="get" id="1"/>"#, limits)
            .unwrap();
        assert!(matches!(iq, StreamEvent::Stanza(el) if el.is("iq")));
        assert_eq!(
            read_websocket_message("<iq>", limits)
                .unwrap_err()
                .condition(),
            "not-well-formed"
        );
    }
}
