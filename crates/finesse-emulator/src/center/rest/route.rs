//! The resources the emulator serves, parsed from the request path.
use crate::center::Method;

/// One Finesse resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route {
    SystemInfo,
    User(String),
    UserDialogs(String),
    UserReasonCodes(String),
    UserReasonCode(String, String),
    UserWrapUpReasons(String),
    UserWrapUpReason(String, String),
    UserLayout(String),
    UserLayouts(String),
    UserPhoneBooks(String),
    UserQueues(String),
    Users,
    Dialog(String),
    PhoneBook(String),
    PhoneBookContacts(String),
    Queue(String),
    Team(String),
    TeamReasonCodes(String),
    TeamWrapUpReasons(String),
    TeamLayouts(String),
    TeamPhoneBooks(String),
}

impl Route {
    /// Parse `/finesse/api/...` (one trailing slash tolerated); `None` for anything else.
    pub fn parse(path: &str) -> Option<Route> {
        let rest = path.strip_prefix("/finesse/api/")?;
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        let segs: Vec<String> = rest.split('/').map(str::to_owned).collect();
        if segs.iter().any(String::is_empty) {
            return None;
        }
        let s: Vec<&str> = segs.iter().map(String::as_str).collect();
        let route = match s.as_slice() {
            ["SystemInfo"] => Route::SystemInfo,
            ["Users"] => Route::Users,
            ["User", id] => Route::User(id.to_string()),
            ["User", id, "Dialogs"] => Route::UserDialogs(id.to_string()),
            ["User", id, "ReasonCodes"] => Route::UserReasonCodes(id.to_string()),
            ["User", id, "ReasonCode", rc] => Route::UserReasonCode(id.to_string(), rc.to_string()),
            ["User", id, "WrapUpReasons"] => Route::UserWrapUpReasons(id.to_string()),
            ["User", id, "WrapUpReason", w] => {
                Route::UserWrapUpReason(id.to_string(), w.to_string())
            }
            ["User", id, "MediaPropertiesLayout"] => Route::UserLayout(id.to_string()),
            ["User", id, "MediaPropertiesLayouts"] => Route::UserLayouts(id.to_string()),
            ["User", id, "PhoneBooks"] => Route::UserPhoneBooks(id.to_string()),
            ["User", id, "Queues"] => Route::UserQueues(id.to_string()),
            ["Dialog", id] => Route::Dialog(id.to_string()),
            ["PhoneBook", id] => Route::PhoneBook(id.to_string()),
            ["PhoneBook", id, "Contacts"] => Route::PhoneBookContacts(id.to_string()),
            ["Queue", id] => Route::Queue(id.to_string()),
            ["Team", id] => Route::Team(id.to_string()),
            ["TeamResource", id, "ReasonCodes"] => Route::TeamReasonCodes(id.to_string()),
            ["TeamResource", id, "WrapUpReasons"] => Route::TeamWrapUpReasons(id.to_string()),
            ["TeamResource", id, "MediaPropertiesLayouts"] => Route::TeamLayouts(id.to_string()),
            ["TeamResource", id, "PhoneBooks"] => Route::TeamPhoneBooks(id.to_string()),
            _ => return None,
        };
        Some(route)
    }

    pub fn allows(&self, method: Method) -> bool {
        match self {
            Route::User(_) | Route::Dialog(_) => matches!(method, Method::Get | Method::Put),
            Route::UserDialogs(_) => matches!(method, Method::Get | Method::Post),
            _ => method == Method::Get,
        }
    }

    /// The `Allow` header of a 405.
    pub fn allow_header(&self) -> &'static str {
        match self {
            Route::User(_) | Route::Dialog(_) => "GET,OPTIONS,HEAD,PUT",
            Route::UserDialogs(_) => "GET,OPTIONS,HEAD,POST",
            _ => "GET,OPTIONS,HEAD",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_resources() {
        assert_eq!(
            Route::parse("/finesse/api/User/1001/"),
            Some(Route::User("1001".into()))
        );
        assert_eq!(
            Route::parse("/finesse/api/User/1001/ReasonCode/4"),
            Some(Route::UserReasonCode("1001".into(), "4".into()))
        );
        assert_eq!(
            Route::parse("/finesse/api/TeamResource/1/PhoneBooks"),
            Some(Route::TeamPhoneBooks("1".into()))
        );
        assert_eq!(Route::parse("/finesse/api/User//Dialogs"), None);
        assert_eq!(Route::parse("/finesse/api/user/1001"), None);
        assert_eq!(Route::parse("/other"), None);
    }
}
