use finesse_xml::{Element, Limits};

use super::NotificationError;
use crate::model::wire_enum;

wire_enum! {
    /// What happened to the `source` resource. Compared without case: real error events say
    /// `put`.
    UpdateEvent {
        /// Added to a collection.
        Post => "POST",
        /// Changed.
        Put => "PUT",
        /// Removed from a collection.
        Delete => "DELETE",
    }
}

/// The `<Update>` document inside a notification.
#[derive(Debug, Clone, PartialEq)]
pub struct Update {
    pub event: UpdateEvent,
    /// The `requestId` header of the REST request that caused this update; `None` for
    /// unsolicited updates.
    pub request_id: Option<String>,
    /// URI of the changed resource (`/finesse/api/Dialog/42`, `/finesse/api/User/1001`…).
    pub source: String,
    /// The `<data>` element; its first child element is the payload.
    pub data: Option<Element>,
}

impl Update {
    /// Parses an `<Update>` document (the notification's unescaped text).
    pub fn from_xml(xml: &str) -> Result<Update, NotificationError> {
        Self::from_xml_with_limits(xml, Limits::default())
    }

    fn from_xml_with_limits(xml: &str, limits: Limits) -> Result<Update, NotificationError> {
        let root =
            finesse_xml::parse_with_limits(xml, limits).map_err(NotificationError::UpdateXml)?;
        Self::from_element(&root)
    }

    /// Reads an `<Update>` element, its children in any order and case.
    pub fn from_element(element: &Element) -> Result<Update, NotificationError> {
        if !element.is("Update") {
            return Err(NotificationError::NotAnUpdate(element.name.clone()));
        }
        let event = element
            .child_text("event")
            .map(UpdateEvent::from_wire)
            .ok_or(NotificationError::MissingField("event"))?;
        let source = element
            .child_text("source")
            .ok_or(NotificationError::MissingField("source"))?
            .to_owned();
        Ok(Update {
            event,
            request_id: element.child_text("requestId").map(str::to_owned),
            source,
            data: element.child("data").cloned(),
        })
    }

    /// The payload: the first element inside `<data>`.
    pub fn payload(&self) -> Option<&Element> {
        self.data.as_ref().and_then(|data| data.children.first())
    }

    /// Reads the Update of a `<notification>` element: normally its escaped text, but an
    /// `<Update>` child element is accepted too.
    pub(super) fn from_notification(
        notification: &Element,
        limits: Limits,
    ) -> Result<Update, NotificationError> {
        if let Some(text) = notification.text_trimmed() {
            return Self::from_xml_with_limits(text, limits);
        }
        match notification.children.first() {
            Some(child) => Self::from_element(child),
            None => Err(NotificationError::EmptyNotification),
        }
    }
}
