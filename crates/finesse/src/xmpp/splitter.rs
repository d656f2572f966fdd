//! Cuts a classic XMPP TCP stream into top-level pieces.
//!
//! A TCP stream is one never-ending XML document: `<stream:stream …>` opens it, every stanza is a
//! child of that root, and `</stream:stream>` ends it. Reads return arbitrary slices of it, so a
//! stanza may arrive one byte at a time or several stanzas in one read. The splitter is a small
//! byte-level state machine that only tracks what it needs to find stanza boundaries (tags, quoted
//! attribute values, comments, CDATA, processing instructions); the stanza itself is parsed later
//! by `finesse_xml`. Its state survives between reads, so no byte is scanned twice.

use std::collections::VecDeque;

use super::error::XmppError;

/// One top-level piece of a TCP stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum StreamPiece {
    /// The `<stream:stream …>` start tag (never self-closed), verbatim.
    Open(String),
    /// A complete stanza (`<iq>…</iq>`, `<stream:features>…</stream:features>`, …), verbatim.
    Stanza(String),
    /// `</stream:stream>`.
    Close,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lex {
    /// Character data (or whitespace between stanzas).
    Text,
    /// Just read `<`.
    Lt,
    /// Inside a start tag; `quote` is the open attribute quote, `last` the previous significant byte.
    StartTag {
        quote: Option<u8>,
        last: u8,
    },
    EndTag,
    /// Inside `<? … ?>`.
    Pi {
        last: u8,
    },
    /// Read `<!` and `matched` more bytes of `--` or `[CDATA[`.
    Bang {
        matched: usize,
    },
    Comment {
        dashes: usize,
    },
    Cdata {
        brackets: usize,
    },
}

const COMMENT_OPEN: &[u8] = b"--";
const CDATA_OPEN: &[u8] = b"[CDATA[";

#[derive(Debug)]
pub(crate) struct StanzaSplitter {
    buf: Vec<u8>,
    /// Next byte of `buf` to scan.
    pos: usize,
    lex: Lex,
    /// Offset of the `<` that started the markup being scanned.
    tag_start: usize,
    /// Element depth below the stream root; a stanza's own element is depth 1.
    depth: usize,
    stanza_start: Option<usize>,
    max_stanza: usize,
    ready: VecDeque<StreamPiece>,
}

impl StanzaSplitter {
    /// A splitter refusing any stanza (or stream header) larger than `max_stanza` bytes.
    pub(crate) fn new(max_stanza: usize) -> Self {
        StanzaSplitter {
            buf: Vec::new(),
            pos: 0,
            lex: Lex::Text,
            tag_start: 0,
            depth: 0,
            stanza_start: None,
            max_stanza,
            ready: VecDeque::new(),
        }
    }

    /// True when no partial piece is buffered (a clean point to stop reading or upgrade to TLS).
    pub(crate) fn is_idle(&self) -> bool {
        self.ready.is_empty()
            && self.stanza_start.is_none()
            && self.lex == Lex::Text
            && self.pos == self.buf.len()
    }

    /// Feed bytes just read from the socket.
    pub(crate) fn push(&mut self, data: &[u8]) -> Result<(), XmppError> {
        self.compact();
        if self.buf.len() + data.len() > self.max_stanza {
            return Err(XmppError::Protocol(format!(
                "a stanza exceeds the {} byte limit",
                self.max_stanza
            )));
        }
        self.buf.extend_from_slice(data);
        self.scan()
    }

    /// The next complete piece, if any.
    pub(crate) fn next_piece(&mut self) -> Option<StreamPiece> {
        self.ready.pop_front()
    }

    /// Drop bytes nothing refers to any more, keeping offsets consistent.
    fn compact(&mut self) {
        let keep_from = match (self.stanza_start, self.lex) {
            (Some(start), _) => start,
            (None, Lex::Text) => self.pos,
            (None, _) => self.tag_start,
        };
        if keep_from == 0 {
            return;
        }
        self.buf.drain(..keep_from);
        self.pos -= keep_from;
        self.tag_start = self.tag_start.saturating_sub(keep_from);
        self.stanza_start = self.stanza_start.map(|s| s - keep_from);
    }

    fn scan(&mut self) -> Result<(), XmppError> {
        while self.pos < self.buf.len() {
            let b = self.buf[self.pos];
            self.lex = match self.lex {
                Lex::Text => {
                    if b == b'<' {
                        self.tag_start = self.pos;
                        Lex::Lt
                    } else if self.depth == 0 && !b.is_ascii_whitespace() {
                        return Err(protocol("text outside any stanza"));
                    } else {
                        Lex::Text
                    }
                }
                Lex::Lt => match b {
                    b'/' => Lex::EndTag,
                    b'?' => Lex::Pi { last: b },
                    b'!' => Lex::Bang { matched: 0 },
                    b'>' | b'<' => return Err(protocol("empty tag")),
                    b if b.is_ascii_whitespace() => return Err(protocol("whitespace after '<'")),
                    b => Lex::StartTag {
                        quote: None,
                        last: b,
                    },
                },
                Lex::StartTag { quote: Some(q), .. } => {
                    if b == q {
                        Lex::StartTag {
                            quote: None,
                            last: b,
                        }
                    } else {
                        self.lex
                    }
                }
                Lex::StartTag { quote: None, last } => match b {
                    b'"' | b'\'' => Lex::StartTag {
                        quote: Some(b),
                        last: b,
                    },
                    b'<' => return Err(protocol("'<' inside a tag")),
                    b'>' => {
                        self.start_tag_done(last == b'/')?;
                        Lex::Text
                    }
                    b if b.is_ascii_whitespace() => self.lex,
                    b => Lex::StartTag {
                        quote: None,
                        last: b,
                    },
                },
                Lex::EndTag => match b {
                    b'>' => {
                        self.end_tag_done()?;
                        Lex::Text
                    }
                    b'<' => return Err(protocol("'<' inside a tag")),
                    _ => Lex::EndTag,
                },
                Lex::Pi { last } => {
                    if b == b'>' && last == b'?' {
                        Lex::Text
                    } else {
                        Lex::Pi { last: b }
                    }
                }
                Lex::Bang { matched } => self.bang(b, matched)?,
                Lex::Comment { dashes } => match b {
                    b'-' => Lex::Comment { dashes: dashes + 1 },
                    b'>' if dashes >= 2 => Lex::Text,
                    _ => Lex::Comment { dashes: 0 },
                },
                Lex::Cdata { brackets } => match b {
                    b']' => Lex::Cdata {
                        brackets: brackets + 1,
                    },
                    b'>' if brackets >= 2 => Lex::Text,
                    _ => Lex::Cdata { brackets: 0 },
                },
            };
            self.pos += 1;
        }
        Ok(())
    }

    fn bang(&mut self, b: u8, matched: usize) -> Result<Lex, XmppError> {
        let comment =
            COMMENT_OPEN.get(matched) == Some(&b) && self.bang_prefix_is(COMMENT_OPEN, matched);
        let cdata = CDATA_OPEN.get(matched) == Some(&b) && self.bang_prefix_is(CDATA_OPEN, matched);
        let matched = matched + 1;
        if comment && matched == COMMENT_OPEN.len() {
            Ok(Lex::Comment { dashes: 0 })
        } else if cdata && matched == CDATA_OPEN.len() {
            if self.depth == 0 {
                return Err(protocol("CDATA outside any stanza"));
            }
            Ok(Lex::Cdata { brackets: 0 })
        } else if comment || cdata {
            Ok(Lex::Bang { matched })
        } else {
            Err(protocol(
                "document type declarations are not allowed in XMPP",
            ))
        }
    }

    /// Whether the bytes after `<!` read so far equal `expected[..matched]`.
    fn bang_prefix_is(&self, expected: &[u8], matched: usize) -> bool {
        let seen = &self.buf[self.tag_start + 2..self.pos];
        seen.len() == matched && expected.starts_with(seen)
    }

    fn tag_name(&self) -> &[u8] {
        let tag = &self.buf[self.tag_start..=self.pos];
        let start = if tag.get(1) == Some(&b'/') { 2 } else { 1 };
        let rest = &tag[start..];
        let end = rest
            .iter()
            .position(|c| c.is_ascii_whitespace() || *c == b'/' || *c == b'>')
            .unwrap_or(rest.len());
        &rest[..end]
    }

    fn is_stream_root(&self) -> bool {
        let name = self.tag_name();
        name == b"stream" || name.ends_with(b":stream")
    }

    fn start_tag_done(&mut self, self_closing: bool) -> Result<(), XmppError> {
        if self.depth > 0 {
            if !self_closing {
                self.depth += 1;
            }
            return Ok(());
        }
        if self.is_stream_root() {
            if self_closing {
                return Err(protocol("the stream header is self-closed"));
            }
            let header = self.text(self.tag_start, self.pos)?;
            self.ready.push_back(StreamPiece::Open(header));
            return Ok(());
        }
        if self_closing {
            let stanza = self.text(self.tag_start, self.pos)?;
            self.ready.push_back(StreamPiece::Stanza(stanza));
        } else {
            self.stanza_start = Some(self.tag_start);
            self.depth = 1;
        }
        Ok(())
    }

    fn end_tag_done(&mut self) -> Result<(), XmppError> {
        if self.depth == 0 {
            if self.is_stream_root() {
                self.ready.push_back(StreamPiece::Close);
                return Ok(());
            }
            return Err(protocol("closing tag without a matching start tag"));
        }
        self.depth -= 1;
        if self.depth == 0 {
            let start = self.stanza_start.take().unwrap_or(self.tag_start);
            let stanza = self.text(start, self.pos)?;
            self.ready.push_back(StreamPiece::Stanza(stanza));
        }
        Ok(())
    }

    fn text(&self, start: usize, end_inclusive: usize) -> Result<String, XmppError> {
        String::from_utf8(self.buf[start..=end_inclusive].to_vec())
            .map_err(|_| protocol("a stanza is not valid UTF-8"))
    }
}

fn protocol(message: &str) -> XmppError {
    XmppError::Protocol(message.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVER_GREETING: &str = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' \
        xmlns:stream='http://etherx.jabber.org/streams' id='s1' from='fin-a' version='1.0'>\
        <stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism>\
        </mechanisms></stream:features><iq type='result' id='a&gt;b' to=\"x>y\"/>\
        <message><body><![CDATA[</message> <x>]]></body><!-- a </message> comment --></message></stream:stream>";

    fn expected() -> Vec<StreamPiece> {
        vec![
            StreamPiece::Open(
                "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' \
                 id='s1' from='fin-a' version='1.0'>"
                    .into(),
            ),
            StreamPiece::Stanza(
                "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN\
                 </mechanism></mechanisms></stream:features>"
                    .into(),
            ),
            StreamPiece::Stanza("<iq type='result' id='a&gt;b' to=\"x>y\"/>".into()),
            StreamPiece::Stanza(
                "<message><body><![CDATA[</message> <x>]]></body><!-- a </message> comment --></message>".into(),
            ),
            StreamPiece::Close,
        ]
    }

    fn drain(splitter: &mut StanzaSplitter, out: &mut Vec<StreamPiece>) {
        while let Some(piece) = splitter.next_piece() {
            out.push(piece);
        }
    }

    #[test]
    fn a_whole_greeting_in_one_read_yields_every_piece() {
        let mut splitter = StanzaSplitter::new(1 << 20);
        splitter.push(SERVER_GREETING.as_bytes()).unwrap();
        let mut pieces = Vec::new();
        drain(&mut splitter, &mut pieces);
        assert_eq!(pieces, expected());
        assert!(splitter.is_idle());
    }

    #[test]
    fn byte_by_byte_reads_yield_the_same_pieces() {
        let mut splitter = StanzaSplitter::new(1 << 20);
        let mut pieces = Vec::new();
        for byte in SERVER_GREETING.as_bytes() {
            splitter.push(std::slice::from_ref(byte)).unwrap();
            drain(&mut splitter, &mut pieces);
        }
        assert_eq!(pieces, expected());
    }

    #[test]
    fn multi_byte_characters_split_across_reads_survive() {
        let mut splitter = StanzaSplitter::new(1 << 20);
        let stanza = "<message><body>Grüße — 電話</body></message>";
        let (a, b) = stanza.as_bytes().split_at(18);
        splitter.push(a).unwrap();
        assert_eq!(splitter.next_piece(), None);
        splitter.push(b).unwrap();
        assert_eq!(
            splitter.next_piece(),
            Some(StreamPiece::Stanza(stanza.into()))
        );
    }

    #[test]
    fn oversized_stanzas_are_refused_before_buffering_them() {
        let mut splitter = StanzaSplitter::new(64);
        splitter.push(b"<message><body>").unwrap();
        let err = splitter.push(&[b'x'; 100]).unwrap_err();
        assert_eq!(err.code(), "protocol");
    }

    #[test]
    fn consumed_stanzas_do_not_count_towards_the_limit() {
        let mut splitter = StanzaSplitter::new(64);
        for _ in 0..100 {
            splitter
                .push(b"<presence from='finesse@fin-a/x'/> ")
                .unwrap();
            assert!(matches!(
                splitter.next_piece(),
                Some(StreamPiece::Stanza(_))
            ));
        }
    }

    #[test]
    fn garbage_and_doctypes_are_protocol_errors() {
        for garbage in [
            &b"HTTP/1.1 400 Bad Request\r\n"[..],
            b"<!DOCTYPE x>",
            b"<>",
            b"\x16\x03\x01\x02\x00",
        ] {
            let mut splitter = StanzaSplitter::new(1024);
            assert_eq!(
                splitter.push(garbage).unwrap_err().code(),
                "protocol",
                "{garbage:?}"
            );
        }
    }
}
