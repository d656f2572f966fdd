//! The phone books, loaded once per sign-in and searched locally as the agent types.
use finesse::model::{Contact, PhoneBook};
use finesse::session::{Session, SessionError};

use crate::desk::ContactView;

/// At most this many contacts answer one search.
pub const MAX_CONTACT_RESULTS: usize = 20;

/// Every contact of every phone book the agent may use. Books listed by the User API link
/// their contacts (fetched one by one); TeamResource books embed them.
pub(crate) async fn load_contacts(session: &Session) -> Result<Vec<ContactView>, SessionError> {
    let books = session.phone_books().await?;
    let mut all = Vec::new();
    for book in books {
        let contacts = match (&book.id, book.contacts.is_empty()) {
            (Some(id), true) => session.contacts(id).await?,
            _ => book.contacts.clone(),
        };
        all.extend(contacts.iter().map(|c| contact_view(&book, c)));
    }
    all.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then_with(|| a.number.cmp(&b.number))
    });
    Ok(all)
}

fn contact_view(book: &PhoneBook, contact: &Contact) -> ContactView {
    ContactView {
        name: contact.full_name(),
        number: contact.phone_number.clone(),
        description: contact.description.clone(),
        phone_book: book.name.clone(),
    }
}

/// Contacts whose name or number contains `query` (case-insensitive; in numbers, spaces,
/// dashes and brackets are ignored), in name order, at most [`MAX_CONTACT_RESULTS`]. An
/// empty query lists the first ones.
pub fn search_contacts(contacts: &[ContactView], query: &str) -> Vec<ContactView> {
    let words = query.trim().to_lowercase();
    let digits = dial_digits(&words);
    contacts
        .iter()
        .filter(|contact| {
            words.is_empty()
                || contact.name.to_lowercase().contains(&words)
                || contact.number.to_lowercase().contains(&words)
                || (!digits.is_empty() && dial_digits(&contact.number).contains(&digits))
        })
        .take(MAX_CONTACT_RESULTS)
        .cloned()
        .collect()
}

/// A number as dialled: digits, `+`, `*` and `#`, nothing else; empty unless the text is
/// made of dialling characters only.
fn dial_digits(text: &str) -> String {
    let dialable = |c: char| c.is_ascii_digit() || matches!(c, '+' | '*' | '#');
    let separator = |c: char| matches!(c, ' ' | '-' | '(' | ')' | '.' | '/');
    if text.chars().all(|c| dialable(c) || separator(c)) {
        text.chars().filter(|c| dialable(*c)).collect()
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(name: &str, number: &str) -> ContactView {
        ContactView {
            name: name.to_owned(),
            number: number.to_owned(),
            description: None,
            phone_book: "Directory".to_owned(),
        }
    }

    #[test]
    fn names_match_without_case_and_numbers_without_separators() {
        let book = vec![
            contact("Kathy Wong", "5054"),
            contact("Omar Reyes", "+1 (408) 555-0101"),
            contact("Front Desk", "4000"),
        ];
        let names = |found: Vec<ContactView>| found.into_iter().map(|c| c.name).collect::<Vec<_>>();
        assert_eq!(names(search_contacts(&book, "kATHY")), ["Kathy Wong"]);
        assert_eq!(names(search_contacts(&book, "408-555")), ["Omar Reyes"]);
        assert_eq!(
            names(search_contacts(&book, "40")),
            ["Omar Reyes", "Front Desk"]
        );
        assert!(search_contacts(&book, "zzz").is_empty());
        assert_eq!(search_contacts(&book, " ").len(), 3);
    }

    #[test]
    fn at_most_twenty_contacts_answer() {
        let book: Vec<ContactView> = (0..30)
            .map(|n| contact(&format!("Agent {n:02}"), &format!("{}", 2000 + n)))
            .collect();
        assert_eq!(search_contacts(&book, "agent").len(), MAX_CONTACT_RESULTS);
    }
}
