use finesse_xml::Element;
use serde::{Deserialize, Serialize};

use super::read::{self, xml_object};
use super::ModelError;

/// One labelled field of the call popup: which media property to show, under which name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LayoutEntry {
    /// May be empty (Finesse allows an unlabelled entry).
    pub display_name: String,
    /// A call variable, ECC name, BA variable or built-in (see
    /// [`Dialog::media_property`](super::Dialog::media_property)).
    pub media_property: String,
    pub show_in_pop_over: Option<bool>,
    pub ui_editable: Option<bool>,
}

/// How the desktop labels call data (`MediaPropertiesLayout`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaPropertiesLayout {
    pub uri: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    /// `DEFAULT` or `CUSTOM`.
    pub layout_type: Option<String>,
    pub header: Vec<LayoutEntry>,
    /// First column is the left one, second the right one.
    pub columns: Vec<Vec<LayoutEntry>>,
}

xml_object!(
    MediaPropertiesLayout,
    root = "MediaPropertiesLayout",
    list = "MediaPropertiesLayouts"
);

impl MediaPropertiesLayout {
    /// Reads a `<MediaPropertiesLayout>` element; entries without a `mediaProperty` are
    /// skipped since they cannot show anything.
    pub fn from_element(element: &Element) -> Result<Self, ModelError> {
        read::expect_root(element, "MediaPropertiesLayout")?;
        Ok(MediaPropertiesLayout {
            uri: read::text(element, "uri"),
            name: read::text(element, "name"),
            description: read::text(element, "description"),
            layout_type: read::text(element, "type"),
            header: element.child("header").map(entries).unwrap_or_default(),
            columns: element
                .children_named("column")
                .map(entries)
                .filter(|column| !column.is_empty())
                .collect(),
        })
    }

    /// Every entry in display order: header first, then each column top to bottom.
    pub fn entries(&self) -> impl Iterator<Item = &LayoutEntry> + '_ {
        self.header.iter().chain(self.columns.iter().flatten())
    }
}

fn entries(element: &Element) -> Vec<LayoutEntry> {
    element
        .children_named("entry")
        .filter_map(|entry| {
            Some(LayoutEntry {
                display_name: read::text(entry, "displayName").unwrap_or_default(),
                media_property: read::text(entry, "mediaProperty")?,
                show_in_pop_over: entry.child_bool("showInPopOver"),
                ui_editable: entry.child_bool("uiEditable"),
            })
        })
        .collect()
}
