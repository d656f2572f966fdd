//! A tray menu as a panel reads it from `com.canonical.dbusmenu`'s `GetLayout`: entries
//! with their labels, enabled and check states, and submenus, found by label.
use std::collections::HashMap;
use std::fmt;

use zbus::zvariant::{OwnedValue, Value};

/// A layout entry as `GetLayout` returns the root: id, properties, children (each a
/// variant holding an entry of the same shape).
pub type RawLayout = (i32, HashMap<String, OwnedValue>, Vec<OwnedValue>);

/// One entry of a dbusmenu layout (the root is the menu itself, id 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuNode {
    pub id: i32,
    /// The label as shown: mnemonic underscores removed.
    pub label: String,
    pub enabled: bool,
    pub visible: bool,
    pub separator: bool,
    /// `Some(checked)` for a check or radio item.
    pub toggled: Option<bool>,
    pub children: Vec<MenuNode>,
}

/// A dbusmenu label as a person reads it: `_` marks a mnemonic, `__` is an underscore.
fn shown_label(label: &str) -> String {
    let mut shown = String::with_capacity(label.len());
    let mut chars = label.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '_' {
            if chars.peek() == Some(&'_') {
                chars.next();
                shown.push('_');
            }
        } else {
            shown.push(c);
        }
    }
    shown
}

impl MenuNode {
    /// The menu from `GetLayout`'s root entry.
    pub fn from_layout(layout: &RawLayout) -> Result<MenuNode, String> {
        let (id, properties, children) = layout;
        MenuNode::from_parts(
            *id,
            properties.iter().map(|(k, v)| (k.as_str(), &**v)),
            children.iter().map(|child| &**child),
        )
    }

    /// Read one `(ia{sv}av)` layout entry (a child arrives as a variant of one).
    fn from_value(value: &Value<'_>) -> Result<MenuNode, String> {
        let value = match value {
            Value::Value(inner) => inner.as_ref(),
            other => other,
        };
        let Value::Structure(entry) = value else {
            return Err(format!(
                "a menu layout entry that is not a structure: {value:?}"
            ));
        };
        let [Value::I32(id), Value::Dict(properties), Value::Array(children)] = entry.fields()
        else {
            return Err(format!("a menu layout entry of another shape: {entry:?}"));
        };
        let properties = properties.iter().filter_map(|(key, value)| match key {
            Value::Str(key) => Some((key.as_str(), value)),
            _ => None,
        });
        MenuNode::from_parts(*id, properties, children.inner().iter())
    }

    fn from_parts<'v>(
        id: i32,
        properties: impl Iterator<Item = (&'v str, &'v Value<'v>)>,
        children: impl Iterator<Item = &'v Value<'v>>,
    ) -> Result<MenuNode, String> {
        let mut node = MenuNode {
            id,
            label: String::new(),
            enabled: true,
            visible: true,
            separator: false,
            toggled: None,
            children: Vec::new(),
        };
        let mut toggle_type = String::new();
        let mut toggle_state = 0;
        for (key, value) in properties {
            let value = match value {
                Value::Value(inner) => inner.as_ref(),
                other => other,
            };
            match (key, value) {
                ("label", Value::Str(text)) => node.label = shown_label(text.as_str()),
                ("type", Value::Str(text)) => node.separator = text.as_str() == "separator",
                ("toggle-type", Value::Str(text)) => toggle_type = text.to_string(),
                ("toggle-state", Value::I32(state)) => toggle_state = *state,
                ("enabled", Value::Bool(on)) => node.enabled = *on,
                ("visible", Value::Bool(on)) => node.visible = *on,
                _ => {}
            }
        }
        if !toggle_type.is_empty() {
            node.toggled = Some(toggle_state == 1);
        }
        for child in children {
            node.children.push(MenuNode::from_value(child)?);
        }
        Ok(node)
    }

    /// The entries a panel draws: the visible children.
    pub fn entries(&self) -> impl Iterator<Item = &MenuNode> {
        self.children.iter().filter(|child| child.visible)
    }

    /// The visible entry with this label.
    pub fn item(&self, label: &str) -> Option<&MenuNode> {
        self.entries()
            .find(|child| !child.separator && child.label == label)
    }

    /// The entry at the end of a path of labels through submenus.
    pub fn find(&self, labels: &[&str]) -> Option<&MenuNode> {
        labels.iter().try_fold(self, |node, label| node.item(label))
    }

    /// The first visible entry whose label starts with `prefix`.
    pub fn line_starting(&self, prefix: &str) -> Option<&MenuNode> {
        self.entries()
            .find(|child| !child.separator && child.label.starts_with(prefix))
    }

    /// Whether the entry at `labels` is there and can be clicked.
    pub fn is_enabled(&self, labels: &[&str]) -> bool {
        self.find(labels).is_some_and(|node| node.enabled)
    }

    /// Whether the entry at `labels` is there and shows a check mark.
    pub fn is_checked(&self, labels: &[&str]) -> bool {
        self.find(labels)
            .is_some_and(|node| node.toggled == Some(true))
    }

    fn write_outline(&self, f: &mut fmt::Formatter<'_>, depth: usize) -> fmt::Result {
        for child in self.entries() {
            let indent = "  ".repeat(depth);
            if child.separator {
                writeln!(f, "{indent}────")?;
                continue;
            }
            let check = match child.toggled {
                Some(true) => "[x] ",
                Some(false) => "[ ] ",
                None => "",
            };
            let disabled = if child.enabled { "" } else { " (disabled)" };
            let submenu = if child.children.is_empty() {
                ""
            } else {
                " ▸"
            };
            writeln!(
                f,
                "{indent}{check}{}{disabled}{submenu}   #{}",
                child.label, child.id
            )?;
            child.write_outline(f, depth + 1)?;
        }
        Ok(())
    }
}

/// The menu as a panel draws it, one entry a line (for failure messages).
impl fmt::Display for MenuNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_outline(f, 0)
    }
}
