//! Shared reading helpers: documents, roots, lists, optional and required texts.

use finesse_xml::Element;

use super::ModelError;

/// A Finesse object that can be read from an element tree.
///
/// Every model type also has inherent `from_xml`/`from_element` functions; the trait lets
/// generic code (a REST `GET` helper, for instance) name "any readable object".
pub trait FromXml: Sized {
    /// The documented root element name (matched without case).
    const ROOT: &'static str;

    /// Reads the object from an already-parsed element whose name is [`Self::ROOT`].
    fn read_element(element: &Element) -> Result<Self, ModelError>;

    /// Parses a document and reads the object from its root.
    fn read_xml(xml: &str) -> Result<Self, ModelError> {
        Self::read_element(&document(xml)?)
    }
}

/// Generates the inherent `from_xml`/`list_from_xml`/`list_from_element` functions and the
/// [`FromXml`] impl from a hand-written inherent `from_element`.
macro_rules! xml_object {
    ($ty:ident, root = $root:literal) => {
        impl $ty {
            #[doc = concat!("Reads a `<", $root, ">` document (root name in any case).")]
            pub fn from_xml(xml: &str) -> Result<Self, $crate::model::ModelError> {
                Self::from_element(&$crate::model::read::document(xml)?)
            }
        }

        impl $crate::model::FromXml for $ty {
            const ROOT: &'static str = $root;

            fn read_element(
                element: &finesse_xml::Element,
            ) -> Result<Self, $crate::model::ModelError> {
                $ty::from_element(element)
            }
        }
    };
    ($ty:ident, root = $root:literal, list = $list:literal) => {
        xml_object!($ty, root = $root);

        impl $ty {
            #[doc = concat!(
                        "Reads a `<", $list, ">` document of `<", $root, ">` items; a lone `<",
                        $root, ">` root is read as a list of one."
                    )]
            pub fn list_from_xml(xml: &str) -> Result<Vec<Self>, $crate::model::ModelError> {
                Self::list_from_element(&$crate::model::read::document(xml)?)
            }

            #[doc = concat!("Reads the `<", $root, ">` items of a `<", $list, ">` element.")]
            pub fn list_from_element(
                element: &finesse_xml::Element,
            ) -> Result<Vec<Self>, $crate::model::ModelError> {
                $crate::model::read::list(element, $list, $root, Self::from_element)
            }
        }
    };
}
pub(crate) use xml_object;

/// Parses a whole document with the default size and depth limits.
pub(crate) fn document(xml: &str) -> Result<Element, ModelError> {
    Ok(finesse_xml::parse(xml)?)
}

/// Checks the element's name, ignoring case.
pub(crate) fn expect_root(element: &Element, expected: &'static str) -> Result<(), ModelError> {
    if element.is(expected) {
        Ok(())
    } else {
        Err(ModelError::UnexpectedRoot {
            expected,
            found: element.name.clone(),
        })
    }
}

/// Reads every `item` child of a `list` element; a lone `item` root is a list of one.
pub(crate) fn list<T>(
    element: &Element,
    list: &'static str,
    item: &'static str,
    read: impl Fn(&Element) -> Result<T, ModelError>,
) -> Result<Vec<T>, ModelError> {
    if element.is(item) {
        return Ok(vec![read(element)?]);
    }
    expect_root(element, list)?;
    element.children_named(item).map(read).collect()
}

/// Trimmed, owned text of a child; `None` when absent or empty.
pub(crate) fn text(element: &Element, name: &str) -> Option<String> {
    element.child_text(name).map(str::to_owned)
}

/// Trimmed text of a child that the object cannot exist without.
pub(crate) fn required(
    element: &Element,
    name: &'static str,
    object: &'static str,
) -> Result<String, ModelError> {
    text(element, name).ok_or(ModelError::missing(object, name))
}

/// Texts of `<list><item>…</item>…</list>`, skipping empty items.
pub(crate) fn texts(element: &Element, list: &str, item: &'static str) -> Vec<String> {
    element
        .child(list)
        .map(|l| {
            l.children_named(item)
                .filter_map(|i| i.text_trimmed().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The last non-empty path segment of a Finesse URI (`/finesse/api/Dialog/42` → `42`).
pub(crate) fn uri_tail(uri: &str) -> Option<&str> {
    let path = uri.split(['?', '#']).next().unwrap_or(uri);
    path.rsplit('/')
        .find(|segment| !segment.trim().is_empty())
        .map(str::trim)
}

/// An identifier from `<id>`, falling back to the tail of `<uri>`.
pub(crate) fn id_or_uri_tail(element: &Element) -> Option<String> {
    text(element, "id").or_else(|| {
        element
            .child_text("uri")
            .and_then(uri_tail)
            .map(str::to_owned)
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn uri_tail_is_the_last_non_empty_segment() {
        assert_eq!(uri_tail("/finesse/api/Dialog/16804377"), Some("16804377"));
        assert_eq!(uri_tail("/finesse/api/Queue/12/"), Some("12"));
        assert_eq!(
            uri_tail("/finesse/api/User/1234/WrapUpReason/205?x=1"),
            Some("205")
        );
        assert_eq!(uri_tail("/"), None);
        assert_eq!(uri_tail(""), None);
    }

    #[test]
    fn a_lone_item_root_reads_as_a_list_of_one() {
        let el = document("<Item><v>1</v></Item>").unwrap();
        let items = list(&el, "Items", "Item", |e| Ok(text(e, "v"))).unwrap();
        assert_eq!(items, vec![Some("1".to_owned())]);
    }

    #[test]
    fn a_list_with_a_foreign_root_is_rejected() {
        let el = document("<Other/>").unwrap();
        let err = list(&el, "Items", "Item", |e| Ok(e.name.clone())).unwrap_err();
        assert_eq!(err.code(), "unexpected_root");
    }
}
