use quick_xml::events::Event;
use quick_xml::Reader;

/// Why a document could not be read.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum XmlError {
    #[error("malformed XML: {0}")]
    Malformed(String),
    #[error("the document is empty")]
    Empty,
    #[error("the document is larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("elements are nested deeper than {limit} levels")]
    TooDeep { limit: usize },
}

impl XmlError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            XmlError::Malformed(_) => "xml_malformed",
            XmlError::Empty => "xml_empty",
            XmlError::TooLarge { .. } => "xml_too_large",
            XmlError::TooDeep { .. } => "xml_too_deep",
        }
    }
}

/// Bounds that keep a hostile or broken peer from exhausting memory or stack.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        // A Team of 2,000 users is ~1.5 MB; phone books can hold 6,000 contacts.
        Limits {
            max_bytes: 16 * 1024 * 1024,
            max_depth: 64,
        }
    }
}

/// One element: its local name (prefix stripped), attributes, children and text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element {
    pub name: String,
    /// Namespace URI declared on this element via `xmlns` (default namespace only).
    pub namespace: Option<String>,
    pub attributes: Vec<(String, String)>,
    pub children: Vec<Element>,
    /// Concatenated, unescaped text directly inside this element (not trimmed).
    pub text: String,
}

impl Element {
    pub fn new(name: impl Into<String>) -> Self {
        Element {
            name: name.into(),
            ..Element::default()
        }
    }

    /// Local name compared without ASCII case.
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// The first child with this local name (any case).
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.is(name))
    }

    /// Every child with this local name (any case), in document order.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.is(name))
    }

    /// Trimmed text of a child; `None` when the child is absent or empty ("empty = absent").
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).and_then(|c| c.text_trimmed())
    }

    /// Trimmed text of a child, parsed; `None` when absent, empty or unparsable.
    pub fn child_parse<T: std::str::FromStr>(&self, name: &str) -> Option<T> {
        self.child_text(name).and_then(|t| t.parse().ok())
    }

    /// This element's own trimmed text, `None` when empty.
    pub fn text_trimmed(&self) -> Option<&str> {
        let t = self.text.trim();
        (!t.is_empty()).then_some(t)
    }

    /// Follow a path of child names, e.g. `["mediaProperties", "callvariables"]`.
    pub fn descend(&self, path: &[&str]) -> Option<&Element> {
        path.iter().try_fold(self, |el, name| el.child(name))
    }

    /// An attribute by local name (any case).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| local(k).eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Boolean child: `true`/`false` in any case; anything else is absent.
    pub fn child_bool(&self, name: &str) -> Option<bool> {
        match self.child_text(name)?.to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// Parse a whole document into its root element with default limits.
pub fn parse(input: &str) -> Result<Element, XmlError> {
    parse_with_limits(input, Limits::default())
}

/// Parse a whole document into its root element.
pub fn parse_with_limits(input: &str, limits: Limits) -> Result<Element, XmlError> {
    if input.len() > limits.max_bytes {
        return Err(XmlError::TooLarge {
            limit: limits.max_bytes,
        });
    }
    let mut reader = Reader::from_str(input);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let event = reader.read_event().map_err(|e| {
            XmlError::Malformed(format!("{e} at byte {}", reader.buffer_position()))
        })?;
        match event {
            Event::Start(start) => {
                if root.is_some() {
                    return Err(XmlError::Malformed("content after the root element".into()));
                }
                if stack.len() >= limits.max_depth {
                    return Err(XmlError::TooDeep {
                        limit: limits.max_depth,
                    });
                }
                stack.push(element_from(&start)?);
            }
            Event::Empty(start) => {
                if root.is_some() {
                    return Err(XmlError::Malformed("content after the root element".into()));
                }
                let el = element_from(&start)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::End(_) => {
                let Some(done) = stack.pop() else {
                    return Err(XmlError::Malformed("unexpected closing tag".into()));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => root = Some(done),
                }
            }
            Event::Text(text) => {
                let unescaped = text
                    .unescape()
                    .map_err(|e| XmlError::Malformed(e.to_string()))?;
                match stack.last_mut() {
                    Some(el) => el.text.push_str(&unescaped),
                    None if unescaped.trim().is_empty() => {}
                    None => {
                        return Err(XmlError::Malformed("text outside the root element".into()))
                    }
                }
            }
            Event::CData(data) => {
                let raw = String::from_utf8_lossy(&data.into_inner()).into_owned();
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&raw);
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(XmlError::Malformed(
            "document ends inside an element".into(),
        ));
    }
    root.ok_or(XmlError::Empty)
}

fn element_from(start: &quick_xml::events::BytesStart<'_>) -> Result<Element, XmlError> {
    let qname = String::from_utf8_lossy(start.name().as_ref()).into_owned();
    let mut el = Element::new(local(&qname).to_owned());
    for attr in start.attributes() {
        let attr = attr.map_err(|e| XmlError::Malformed(e.to_string()))?;
        let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
        let value = attr
            .unescape_value()
            .map_err(|e| XmlError::Malformed(e.to_string()))?
            .into_owned();
        if key == "xmlns" {
            el.namespace = Some(value.clone());
        }
        el.attributes.push((key, value));
    }
    Ok(el)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_are_found_regardless_of_case_and_order() {
        let el =
            parse("<User><state>READY</state><ReasonCode><label>x</label></ReasonCode></User>")
                .unwrap();
        assert_eq!(el.child_text("STATE"), Some("READY"));
        assert_eq!(
            el.descend(&["reasonCode", "label"])
                .and_then(Element::text_trimmed),
            Some("x")
        );
    }

    #[test]
    fn empty_elements_read_as_absent() {
        let el = parse("<User><pendingState></pendingState><ext/></User>").unwrap();
        assert_eq!(el.child_text("pendingState"), None);
        assert_eq!(el.child_text("ext"), None);
        assert!(el.child("ext").is_some());
    }

    #[test]
    fn escaped_text_is_unescaped_once() {
        let el = parse("<n>&lt;Update&gt;&amp;amp;&lt;/Update&gt;</n>").unwrap();
        assert_eq!(el.text, "<Update>&amp;</Update>");
    }

    #[test]
    fn prefixes_are_stripped_and_namespace_kept() {
        let el = parse(r#"<p:a xmlns="urn:x" xmlns:p="urn:p"><p:b/></p:a>"#).unwrap();
        assert_eq!(el.name, "a");
        assert_eq!(el.namespace.as_deref(), Some("urn:x"));
        assert!(el.child("b").is_some());
    }

    #[test]
    fn truncated_documents_are_errors() {
        assert_eq!(
            parse("<User><state>READY</state>").unwrap_err().code(),
            "xml_malformed"
        );
        assert_eq!(parse("").unwrap_err(), XmlError::Empty);
        assert_eq!(parse("<a></b>").unwrap_err().code(), "xml_malformed");
    }

    #[test]
    fn limits_are_enforced() {
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert_eq!(parse(&deep).unwrap_err().code(), "xml_too_deep");
        let small = Limits {
            max_bytes: 10,
            max_depth: 8,
        };
        assert_eq!(
            parse_with_limits("<a>0123456789</a>", small)
                .unwrap_err()
                .code(),
            "xml_too_large"
        );
    }
}
