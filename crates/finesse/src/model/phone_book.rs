use finesse_xml::Element;
use serde::{Deserialize, Serialize};

use super::read::{self, xml_object};
use super::user::display_name;
use super::{wire_enum, ModelError};

wire_enum! {
    /// Who a phone book is for.
    PhoneBookType {
        Global => "GLOBAL",
        Team => "TEAM",
    }
}

/// A phone book contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    /// From `<id>` or the tail of `<uri>`.
    pub id: Option<String>,
    pub uri: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone_number: String,
    pub description: Option<String>,
}

xml_object!(Contact, root = "Contact", list = "Contacts");

impl Contact {
    /// Reads a `<Contact>` element; a contact without a phone number is an error.
    pub fn from_element(element: &Element) -> Result<Self, ModelError> {
        read::expect_root(element, "Contact")?;
        Ok(Contact {
            id: read::id_or_uri_tail(element),
            uri: read::text(element, "uri"),
            first_name: read::text(element, "firstName"),
            last_name: read::text(element, "lastName"),
            phone_number: read::required(element, "phoneNumber", "Contact")?,
            description: read::text(element, "description"),
        })
    }

    /// "First Last", or the phone number when the contact has no name.
    pub fn full_name(&self) -> String {
        display_name(
            self.first_name.as_deref(),
            self.last_name.as_deref(),
            &self.phone_number,
        )
    }
}

/// A phone book: the User-API variant links its contacts (`contacts_uri`), the TeamResource
/// variant embeds them (`contacts`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PhoneBook {
    /// From `<id>` or the tail of `<uri>`; the TeamResource variant may carry neither.
    pub id: Option<String>,
    pub uri: Option<String>,
    pub name: String,
    pub book_type: Option<PhoneBookType>,
    pub contacts_uri: Option<String>,
    pub contacts: Vec<Contact>,
}

xml_object!(PhoneBook, root = "PhoneBook", list = "PhoneBooks");

impl PhoneBook {
    /// Reads a `<PhoneBook>` element; the name is required.
    pub fn from_element(element: &Element) -> Result<Self, ModelError> {
        read::expect_root(element, "PhoneBook")?;
        // `<contacts>` (a URI) and `<Contacts>` (embedded list) differ only in case, so
        // tell them apart by whether the element has children.
        let contacts_element = element.child("contacts");
        let embedded = contacts_element.filter(|c| !c.children.is_empty());
        Ok(PhoneBook {
            id: read::id_or_uri_tail(element),
            uri: read::text(element, "uri"),
            name: read::required(element, "name", "PhoneBook")?,
            book_type: element.child_text("type").map(PhoneBookType::from_wire),
            contacts_uri: contacts_element
                .filter(|c| c.children.is_empty())
                .and_then(|c| c.text_trimmed())
                .map(str::to_owned),
            contacts: match embedded {
                Some(list) => list
                    .children_named("Contact")
                    .map(Contact::from_element)
                    .collect::<Result<_, _>>()?,
                None => Vec::new(),
            },
        })
    }
}
