use finesse_xml::Element;
use serde::{Deserialize, Serialize};

use super::read::{self, xml_object};
use super::{wire_enum, ModelError};

wire_enum! {
    /// Which state change a reason code explains.
    ReasonCategory {
        NotReady => "NOT_READY",
        Logout => "LOGOUT",
    }
}

/// A Not Ready or Logout reason code.
///
/// `id` is the Finesse database id — the value to send back as `reasonCodeId` — not the CTI
/// `code` that reports show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReasonCode {
    /// From `<id>`, or the tail of `<uri>` on builds that do not send `<id>`.
    /// Empty only for an embedded system code that carried neither.
    pub id: String,
    pub uri: Option<String>,
    /// `Other("")` when neither the code nor its list said.
    pub category: ReasonCategory,
    /// The CTI reason code (UCCE 1–65535, UCCX 1–999, or a system code such as 50002).
    pub code: Option<u32>,
    pub label: String,
    pub for_all: bool,
    /// A code Finesse or CTI applies itself (never offered to agents).
    pub system_code: bool,
}

xml_object!(ReasonCode, root = "ReasonCode");

impl ReasonCode {
    /// Reads a `<ReasonCode>`/`<reasonCode>` element; an id (or uri) is required.
    pub fn from_element(element: &Element) -> Result<Self, ModelError> {
        read::expect_root(element, "ReasonCode")?;
        let code = Self::read_fields(element, None);
        if code.id.is_empty() {
            return Err(ModelError::missing("ReasonCode", "id"));
        }
        Ok(code)
    }

    /// Reads a `<ReasonCodes>` list; items without a category take the list's `category`
    /// attribute (`<ReasonCodes category="NOT_READY">`).
    pub fn list_from_xml(xml: &str) -> Result<Vec<Self>, ModelError> {
        Self::list_from_element(&read::document(xml)?)
    }

    /// Reads the `<ReasonCode>` items of a `<ReasonCodes>` element.
    pub fn list_from_element(element: &Element) -> Result<Vec<Self>, ModelError> {
        let list_category = element.attr("category").map(ReasonCategory::from_wire);
        read::list(element, "ReasonCodes", "ReasonCode", |item| {
            let mut code = Self::from_element(item)?;
            if let (ReasonCategory::Other(empty), Some(category)) = (&code.category, &list_category)
            {
                if empty.is_empty() {
                    code.category = category.clone();
                }
            }
            Ok(code)
        })
    }

    /// Reads a reason code embedded in a User or team member, where a system code may come
    /// without id or category: those fall back to empty and `fallback_category`.
    pub(crate) fn from_embedded(
        element: &Element,
        fallback_category: Option<ReasonCategory>,
    ) -> Option<Self> {
        let code = Self::read_fields(element, fallback_category);
        let says_something = !code.id.is_empty() || code.code.is_some() || !code.label.is_empty();
        says_something.then_some(code)
    }

    fn read_fields(element: &Element, fallback_category: Option<ReasonCategory>) -> Self {
        let category = element
            .child_text("category")
            .map(ReasonCategory::from_wire)
            .or(fallback_category)
            .unwrap_or_else(|| ReasonCategory::Other(String::new()));
        ReasonCode {
            id: read::id_or_uri_tail(element).unwrap_or_default(),
            uri: read::text(element, "uri"),
            category,
            code: element.child_parse("code"),
            label: read::text(element, "label").unwrap_or_default(),
            for_all: element.child_bool("forAll").unwrap_or(false),
            system_code: element.child_bool("systemCode").unwrap_or(false),
        }
    }
}

/// A wrap-up reason. Finesse applies it by its label (`UPDATE_CALL_DATA` with
/// `wrapUpReason`), so the label is what matters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WrapUpReason {
    /// The tail of `<uri>` (or `<id>` when a build sends one); empty if neither.
    pub id: String,
    pub uri: Option<String>,
    pub label: String,
    pub for_all: bool,
}

xml_object!(WrapUpReason, root = "WrapUpReason", list = "WrapUpReasons");

impl WrapUpReason {
    /// Reads a `<WrapUpReason>` element; the label is required.
    pub fn from_element(element: &Element) -> Result<Self, ModelError> {
        read::expect_root(element, "WrapUpReason")?;
        Ok(WrapUpReason {
            id: read::id_or_uri_tail(element).unwrap_or_default(),
            uri: read::text(element, "uri"),
            label: read::required(element, "label", "WrapUpReason")?,
            for_all: element.child_bool("forAll").unwrap_or(false),
        })
    }
}
