/// Escape text for element content or attribute values.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// A strict, compact XML writer: elements are written exactly as asked, in order.
#[derive(Debug, Default, Clone)]
pub struct XmlWriter {
    out: String,
    open: Vec<String>,
}

impl XmlWriter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Open `<name attr="v" ...>`.
    pub fn open(&mut self, name: &str) -> &mut Self {
        self.open_with(name, &[])
    }

    pub fn open_with(&mut self, name: &str, attrs: &[(&str, &str)]) -> &mut Self {
        self.out.push('<');
        self.out.push_str(name);
        self.push_attrs(attrs);
        self.out.push('>');
        self.open.push(name.to_owned());
        self
    }

    /// Close the innermost open element.
    pub fn close(&mut self) -> &mut Self {
        if let Some(name) = self.open.pop() {
            self.out.push_str("</");
            self.out.push_str(&name);
            self.out.push('>');
        }
        self
    }

    /// `<name>text</name>`; an empty text is written as `<name></name>` (Finesse's habit).
    pub fn text_element(&mut self, name: &str, text: &str) -> &mut Self {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push('>');
        self.out.push_str(&escape_text(text));
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
        self
    }

    /// `<name>text</name>` only when `text` is `Some`.
    pub fn optional_element(&mut self, name: &str, text: Option<&str>) -> &mut Self {
        if let Some(text) = text {
            self.text_element(name, text);
        }
        self
    }

    /// `<name attr="v"/>`.
    pub fn empty_element(&mut self, name: &str, attrs: &[(&str, &str)]) -> &mut Self {
        self.out.push('<');
        self.out.push_str(name);
        self.push_attrs(attrs);
        self.out.push_str("/>");
        self
    }

    /// Text content inside the current element.
    pub fn text(&mut self, text: &str) -> &mut Self {
        self.out.push_str(&escape_text(text));
        self
    }

    /// Already-serialised XML, inserted verbatim.
    pub fn raw(&mut self, xml: &str) -> &mut Self {
        self.out.push_str(xml);
        self
    }

    /// Close everything still open and return the document.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        self.out
    }

    fn push_attrs(&mut self, attrs: &[(&str, &str)]) {
        for (k, v) in attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            self.out.push_str(&escape_text(v));
            self.out.push('"');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_nested_elements_in_order_with_escaping() {
        let mut w = XmlWriter::new();
        w.open("User")
            .text_element("state", "NOT_READY")
            .text_element("label", "R&D <1>");
        assert_eq!(
            w.finish(),
            "<User><state>NOT_READY</state><label>R&amp;D &lt;1&gt;</label></User>"
        );
    }

    #[test]
    fn empty_text_keeps_open_and_close_tags() {
        let mut w = XmlWriter::new();
        w.text_element("pendingState", "");
        assert_eq!(w.finish(), "<pendingState></pendingState>");
    }
}
