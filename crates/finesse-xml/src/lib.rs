//! A small XML element tree for Finesse payloads.
//!
//! Finesse documents are small (a User, a Dialog, an `Update`), so a tree is simpler and
//! safer than streaming: readers look children up by *local name, ignoring ASCII case*,
//! which is how Ringside tolerates `<ReasonCode>` vs `<reasonCode>`, `<user>` vs `<User>`,
//! any element order, and namespaces that differ between Finesse builds.
//!
//! The writer is strict: it emits exactly the elements it is given, escaped.
#![deny(unsafe_code)]

mod reader;
mod writer;

pub use reader::{parse, parse_with_limits, Element, Limits, XmlError};
pub use writer::{escape_text, XmlWriter};
