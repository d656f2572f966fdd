//! XML for the Finesse objects, shaped like real servers' output.
//!
//! REST bodies and notification payloads share these writers; only the root element
//! differs (`User` vs `user`, `Dialog` vs `dialog`).
mod dialog;
pub(crate) mod directory;
mod user;

use finesse_xml::XmlWriter;

use super::model::Reason;

/// The declaration JAXB puts in front of every REST body.
pub(crate) const XML_DECLARATION: &str =
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

/// A REST body: declaration + document.
pub(crate) fn rest_body(document: &str) -> String {
    format!("{XML_DECLARATION}{document}")
}

fn bool_text(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// A reason code as in the ReasonCode API and User payloads (§5.1 order).
pub(crate) fn write_reason_code(w: &mut XmlWriter, name: &str, reason: &Reason) {
    w.open(name)
        .text_element("uri", &format!("/finesse/api/ReasonCode/{}", reason.id))
        .text_element("category", reason.category.as_str())
        .text_element("code", &reason.code.to_string())
        .text_element("label", &reason.label)
        .text_element("forAll", bool_text(reason.for_all))
        .text_element("systemCode", bool_text(reason.system))
        .text_element("id", &reason.id)
        .close();
}

/// The shorter reason code of a Team member (§6.1 sample order).
fn write_reason_summary(w: &mut XmlWriter, reason: &Reason) {
    w.open("reasonCode")
        .text_element("category", reason.category.as_str())
        .text_element("code", &reason.code.to_string())
        .text_element("label", &reason.label)
        .text_element("id", &reason.id)
        .text_element("uri", &format!("/finesse/api/ReasonCode/{}", reason.id))
        .close();
}
