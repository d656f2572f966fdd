//! Decoding Finesse XMPP pub-sub notifications into typed events.
//!
//! A notification is an XMPP `<message>` carrying `event/items/item/notification`, whose
//! *text* is an escaped `<Update>` document: two XML documents, one inside the other.
//! [`Notification::from_message`] finds the notification by local name (Finesse builds differ
//! in namespaces), parses the inner [`Update`], and [`Notification::classify`] turns it into a
//! [`FinesseEvent`].

mod event;
mod update;

pub use event::FinesseEvent;
pub use update::{Update, UpdateEvent};

use finesse_xml::{Element, Limits, XmlError};

use crate::model::ModelError;

/// Why a notification could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotificationError {
    /// The XMPP stanza itself is not well-formed.
    #[error("the stanza is not readable XML: {0}")]
    Stanza(XmlError),
    /// A pub-sub `<notification>` with neither text nor an `<Update>` child.
    #[error("the notification carries no Update document")]
    EmptyNotification,
    /// The notification's text is not a readable XML document.
    #[error("the notification text is not a readable Update document: {0}")]
    UpdateXml(XmlError),
    /// The notification's document is XML but not an `<Update>`.
    #[error("expected an <Update> document but found <{0}>")]
    NotAnUpdate(String),
    /// The `<Update>` lacks an element every update has.
    #[error("the Update has no <{0}>")]
    MissingField(&'static str),
    /// The `<data>` payload is a known object that could not be read.
    #[error("the <{object}> payload is unreadable: {source}")]
    Payload {
        object: String,
        #[source]
        source: ModelError,
    },
}

impl NotificationError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            NotificationError::Stanza(_) => "stanza_malformed",
            NotificationError::EmptyNotification => "notification_empty",
            NotificationError::UpdateXml(_) => "update_malformed",
            NotificationError::NotAnUpdate(_) => "not_an_update",
            NotificationError::MissingField(_) => "update_missing_field",
            NotificationError::Payload { .. } => "payload_invalid",
        }
    }
}

/// One pub-sub notification: the node it was published on and the update it carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    /// `items/@node`, e.g. `/finesse/api/User/1001001/Dialogs`. This, not the update's
    /// `source`, says which subscription delivered it.
    pub node: String,
    pub update: Update,
}

impl Notification {
    /// Decodes the first notification of a `<message>` stanza.
    ///
    /// `Ok(None)` for stanzas that are not pub-sub item events (chat, headlines, retractions).
    pub fn from_message(message: &Element) -> Result<Option<Notification>, NotificationError> {
        Self::first(Self::decode_all(message, Limits::default()))
    }

    /// Parses a `<message>` stanza and decodes its first notification.
    pub fn from_message_xml(xml: &str) -> Result<Option<Notification>, NotificationError> {
        Self::from_message_xml_with_limits(xml, Limits::default())
    }

    /// [`from_message_xml`](Self::from_message_xml) with explicit size and depth limits,
    /// applied to the stanza and to the embedded Update alike.
    pub fn from_message_xml_with_limits(
        xml: &str,
        limits: Limits,
    ) -> Result<Option<Notification>, NotificationError> {
        let message =
            finesse_xml::parse_with_limits(xml, limits).map_err(NotificationError::Stanza)?;
        Self::first(Self::decode_all(&message, limits))
    }

    /// Every notification of a stanza (pub-sub allows several items per event; Openfire
    /// sends one).
    pub fn all_from_message(message: &Element) -> Result<Vec<Notification>, NotificationError> {
        Self::decode_all(message, Limits::default())
    }

    /// The `requestId` the update carries, if any (correlates with a REST request).
    pub fn request_id(&self) -> Option<&str> {
        self.update.request_id.as_deref()
    }

    fn first(
        all: Result<Vec<Notification>, NotificationError>,
    ) -> Result<Option<Notification>, NotificationError> {
        Ok(all?.into_iter().next())
    }

    fn decode_all(
        message: &Element,
        limits: Limits,
    ) -> Result<Vec<Notification>, NotificationError> {
        let Some(items) = message.descend(&["event", "items"]) else {
            return Ok(Vec::new());
        };
        let node = items.attr("node").unwrap_or_default().trim().to_owned();
        items
            .children_named("item")
            .filter_map(|item| item.child("notification"))
            .map(|notification| {
                Ok(Notification {
                    node: node.clone(),
                    update: Update::from_notification(notification, limits)?,
                })
            })
            .collect()
    }
}
