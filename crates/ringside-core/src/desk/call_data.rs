//! Call data as the agent reads it: the server's layout names the values worth showing and
//! their labels; without a layout every call variable shows under its own key.
use std::collections::HashSet;

use finesse::model::{Dialog, MediaPropertiesLayout};

use super::monitor_call::card_property;
use super::view::CallDataItem;

/// Labels longer than this many characters are cut for display.
pub const SHORT_LABEL_CHARS: usize = 15;

/// `label` cut after [`SHORT_LABEL_CHARS`] characters with `…`, or whole when it fits.
pub fn short_label(label: &str) -> String {
    let mut chars = label.chars();
    let head: String = chars.by_ref().take(SHORT_LABEL_CHARS).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

/// The dialog's call data in display order, seen by the agent on `extension`; items without a
/// value are left out.
pub(super) fn call_data(
    dialog: &Dialog,
    layout: Option<&MediaPropertiesLayout>,
    extension: Option<&str>,
) -> Vec<CallDataItem> {
    match layout.filter(|layout| layout.entries().next().is_some()) {
        Some(layout) => by_layout(dialog, layout, extension),
        None => by_key(dialog),
    }
}

/// Header first, then each column top to bottom; a property the layout names twice shows once.
fn by_layout(
    dialog: &Dialog,
    layout: &MediaPropertiesLayout,
    extension: Option<&str>,
) -> Vec<CallDataItem> {
    let mut shown = HashSet::new();
    layout
        .entries()
        .filter_map(|entry| {
            let key = entry.media_property.trim();
            let value = card_property(dialog, extension, key)?;
            if !shown.insert(key.to_owned()) {
                return None;
            }
            let label = match entry.display_name.trim() {
                "" => key,
                name => name,
            };
            Some(item(
                key,
                label,
                value,
                entry.show_in_pop_over == Some(true),
            ))
        })
        .collect()
}

/// Call variables, then ECC variables, each in the order Finesse sent them, labelled by key.
fn by_key(dialog: &Dialog) -> Vec<CallDataItem> {
    let variables = &dialog.media_properties.call_variables;
    let plain = variables.iter().filter(|v| !v.is_ecc());
    let ecc = variables.iter().filter(|v| v.is_ecc());
    plain
        .chain(ecc)
        .filter(|v| !v.value.trim().is_empty())
        .map(|v| item(&v.name, &v.name, &v.value, false))
        .collect()
}

fn item(key: &str, label: &str, value: &str, in_pop_up: bool) -> CallDataItem {
    CallDataItem {
        key: key.to_owned(),
        label: label.to_owned(),
        short_label: short_label(label),
        value: value.to_owned(),
        in_pop_up,
    }
}
