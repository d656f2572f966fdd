//! The REST API as a pure function: request in, reply out, publications queued.
//!
//! Order of checks (each failing check answers at once): node OUT_OF_SERVICE → 503
//! (except SystemInfo); Basic credentials → 401 (SystemInfo may be read without them, as
//! clients poll it before signing in; bad credentials are still refused); unknown path →
//! 404; wrong verb → 405; body content type → 415, size (> 64 KiB) / encoding / XML → 400;
//! then the resource's own rules.
mod dialog;
mod error;
mod lookup;
mod route;
mod user;

use finesse_xml::{Element, Limits};

pub(crate) use self::error::RestError;
use self::route::Route;
use super::publish::{dialogs_uri, user_uri};
use super::render::rest_body;
use super::{ContactCenter, ErrorTarget, Method, NodeId, RequestTag, RestReply, RestRequest};
use crate::center::auth::parse_basic;
use crate::center::AuthFailure;
use crate::clock::SimTime;

/// Largest PUT/POST body accepted.
pub(crate) const MAX_BODY_BYTES: usize = 64 * 1024;

impl ContactCenter {
    /// Answer one REST request as node `node` would at time `now`.
    pub fn handle_rest(&mut self, now: SimTime, node: NodeId, request: RestRequest) -> RestReply {
        let mut reply = match self.dispatch(now, node, &request) {
            Ok(reply) => reply,
            Err(error) => error.into_reply(),
        };
        if request.method != Method::Get {
            if let Some(id) = &request.request_id {
                reply.headers.push(("requestId".into(), id.clone()));
            }
        }
        reply
    }

    fn dispatch(
        &mut self,
        now: SimTime,
        node: NodeId,
        request: &RestRequest,
    ) -> Result<RestReply, RestError> {
        let route = Route::parse(&request.path);
        let system_info = matches!(route, Some(Route::SystemInfo));
        if !system_info && !self.node_in_service(node) {
            return Err(RestError::out_of_service());
        }
        let requester = match (&request.authorization, system_info) {
            (None, true) => None,
            (header, _) => Some(self.check_credentials(now, header.as_deref())?),
        };
        let route =
            route.ok_or_else(|| RestError::not_found("Resource not found", &request.path))?;
        if !route.allows(request.method) {
            return Err(RestError::method_not_allowed(route.allow_header()));
        }
        match (request.method, requester) {
            (Method::Get, requester) => {
                let query = parse_query(&request.query);
                let body = self.get(now, node, &route, requester, &query)?;
                Ok(RestReply {
                    status: 200,
                    headers: vec![("Content-Type".into(), "application/xml".into())],
                    body: rest_body(&body),
                })
            }
            (_, Some(requester)) => {
                let body = parse_body(request)?;
                self.change(now, node, &route, requester, &body, request)?;
                Ok(RestReply {
                    status: 202,
                    headers: Vec::new(),
                    body: String::new(),
                })
            }
            (_, None) => Err(RestError::unauthorized("")),
        }
    }

    /// Basic credentials → the requester's index.
    fn check_credentials(
        &mut self,
        now: SimTime,
        header: Option<&str>,
    ) -> Result<usize, RestError> {
        let Some((user, password)) = header.and_then(parse_basic) else {
            return Err(RestError::unauthorized(""));
        };
        match self.authenticate(now, &user, &password) {
            Ok(id) => self
                .agent_index(&id)
                .ok_or_else(|| RestError::unauthorized(&user)),
            Err(AuthFailure::UnknownUser | AuthFailure::WrongPassword | AuthFailure::LockedOut) => {
                Err(RestError::unauthorized(&user))
            }
        }
    }

    /// A PUT or POST: validated and applied, or rolled back entirely.
    fn change(
        &mut self,
        now: SimTime,
        node: NodeId,
        route: &Route,
        requester: usize,
        body: &Element,
        request: &RestRequest,
    ) -> Result<(), RestError> {
        let requester_id = self.agent_id(requester);
        let (errors, resource) = match route {
            Route::User(uri_id) => {
                let target = self
                    .agent_index(uri_id)
                    .map_or_else(|| uri_id.clone(), |i| self.agent_id(i));
                let mut nodes = vec![(user_uri(&target), target.clone())];
                if !target.eq_ignore_ascii_case(&requester_id) {
                    // The requester must learn about the failure of its own request.
                    nodes.push((user_uri(&requester_id), requester_id.clone()));
                }
                (
                    ErrorTarget {
                        nodes,
                        source: user_uri(&target),
                    },
                    user_uri(&target),
                )
            }
            Route::UserDialogs(_) => (
                ErrorTarget {
                    nodes: vec![(dialogs_uri(&requester_id), requester_id.clone())],
                    source: dialogs_uri(&requester_id),
                },
                dialogs_uri(&requester_id),
            ),
            Route::Dialog(id) => (
                ErrorTarget {
                    nodes: vec![(dialogs_uri(&requester_id), requester_id.clone())],
                    source: format!("/finesse/api/Dialog/{id}"),
                },
                format!("/finesse/api/Dialog/{id}"),
            ),
            _ => return Err(RestError::method_not_allowed(route.allow_header())),
        };
        let snapshot = self.st.clone();
        let mark = self.outbox.len();
        self.tag = Some(RequestTag {
            request_id: request.request_id.clone().unwrap_or_default(),
            requester: requester_id,
            resource,
            errors,
        });
        let result = match route {
            Route::User(uri_id) => self.put_user(now, node, requester, uri_id, body),
            Route::UserDialogs(uri_id) => self.post_dialogs(now, requester, uri_id, body),
            Route::Dialog(id) => self.put_dialog(now, requester, id, body),
            _ => Err(RestError::method_not_allowed(route.allow_header())),
        };
        match result {
            Ok(()) => {
                if let Some(fault) = self.faults[node.index()].pop_front() {
                    self.st = snapshot;
                    self.outbox.truncate(mark);
                    self.publish_request_error(&fault.into());
                } else {
                    self.route(now);
                }
            }
            Err(_) => {
                self.st = snapshot;
                self.outbox.truncate(mark);
            }
        }
        self.tag = None;
        result
    }
}

/// Content type, size, encoding and well-formedness of a PUT/POST body.
fn parse_body(request: &RestRequest) -> Result<Element, RestError> {
    let content_type = request.content_type.as_deref().unwrap_or("");
    let media_type = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if media_type != "application/xml" && media_type != "text/xml" {
        return Err(RestError::unsupported_media_type(content_type));
    }
    if request.body.len() > MAX_BODY_BYTES {
        return Err(RestError::bad_request(format!(
            "The request body is larger than {MAX_BODY_BYTES} bytes"
        )));
    }
    let text = std::str::from_utf8(&request.body)
        .map_err(|_| RestError::bad_request("The request body is not UTF-8"))?;
    if text.trim().is_empty() {
        return Err(RestError::bad_request("The request body is empty"));
    }
    let limits = Limits {
        max_bytes: MAX_BODY_BYTES,
        max_depth: 32,
    };
    finesse_xml::parse_with_limits(text, limits)
        .map_err(|_| RestError::bad_request("The request body is not well-formed XML"))
}

/// The body must be the resource it is sent to (`<User>` to a User, `<Dialog>` to dialogs).
fn expect_root(body: &Element, name: &str) -> Result<(), RestError> {
    if body.is(name) {
        Ok(())
    } else {
        Err(RestError::invalid_input(
            name,
            format!("The request body must be a {name}"),
        ))
    }
}

/// The text of a child the request cannot do without (400 Parameter Missing).
fn required<'a>(parent: &'a Element, name: &str) -> Result<&'a str, RestError> {
    parent
        .child_text(name)
        .ok_or_else(|| RestError::missing(name))
}

/// `a=b&c=d` → pairs, with `%XX` and `+` decoded.
fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex_value(bytes[i + 1]), hex_value(bytes[i + 2]))
            {
                (Some(high), Some(low)) => {
                    out.push(high * 16 + low);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(b: u8) -> Option<u8> {
    char::from(b)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

fn query_value<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_are_decoded() {
        let q = parse_query("category=NOT_READY&nocache=123&x=a%20b+c&bad=%zz&end=%4");
        assert_eq!(query_value(&q, "CATEGORY"), Some("NOT_READY"));
        assert_eq!(query_value(&q, "x"), Some("a b c"));
        assert_eq!(query_value(&q, "bad"), Some("%zz"));
        assert_eq!(query_value(&q, "end"), Some("%4"));
    }
}
