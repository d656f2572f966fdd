//! Behaviour tests of the center through its public API (REST in, publications out).
mod calls;
mod presence;
mod routing;
mod transitions;
mod wrap_up;

use base64::Engine as _;

use super::{
    AgentState, CallId, CallSpec, ContactCenter, Method, NodeId, Publication, RestReply,
    RestRequest,
};
use crate::clock::SimTime;
use crate::config::LabConfig;

pub(super) const PASSWORD: &str = "ringside";

pub(super) fn secs(s: u64) -> SimTime {
    SimTime(s * 1000)
}

pub(super) fn demo() -> ContactCenter {
    ContactCenter::new(LabConfig::demo())
}

pub(super) fn with(config: LabConfig) -> ContactCenter {
    ContactCenter::new(config)
}

pub(super) fn auth(user: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{PASSWORD}"))
    )
}

pub(super) fn get(c: &mut ContactCenter, now: SimTime, user: &str, path: &str) -> RestReply {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let mut r = RestRequest::new(Method::Get, path);
    r.query = query.to_owned();
    r.authorization = Some(auth(user));
    c.handle_rest(now, NodeId::A, r)
}

pub(super) fn send(
    c: &mut ContactCenter,
    now: SimTime,
    method: Method,
    user: &str,
    path: &str,
    body: &str,
) -> RestReply {
    let mut r = RestRequest::new(method, path);
    r.authorization = Some(auth(user));
    r.content_type = Some("application/xml".into());
    r.request_id = Some(format!("req-{user}"));
    r.body = body.as_bytes().to_vec();
    c.handle_rest(now, NodeId::A, r)
}

pub(super) fn put_user(
    c: &mut ContactCenter,
    now: SimTime,
    user: &str,
    target: &str,
    body: &str,
) -> RestReply {
    send(
        c,
        now,
        Method::Put,
        user,
        &format!("/finesse/api/User/{target}"),
        body,
    )
}

/// `POST /User/{user}/Dialogs`: make a call, monitor or barge.
pub(super) fn post_dialogs(
    c: &mut ContactCenter,
    now: SimTime,
    user: &str,
    body: &str,
) -> RestReply {
    send(
        c,
        now,
        Method::Post,
        user,
        &format!("/finesse/api/User/{user}/Dialogs"),
        body,
    )
}

/// `PUT /Dialog/{call}` with any dialog request body.
pub(super) fn put_dialog(
    c: &mut ContactCenter,
    now: SimTime,
    user: &str,
    call: CallId,
    body: &str,
) -> RestReply {
    send(
        c,
        now,
        Method::Put,
        user,
        &format!("/finesse/api/Dialog/{call}"),
        body,
    )
}

pub(super) fn sign_in(c: &mut ContactCenter, now: SimTime, id: &str, extension: &str) {
    let body = format!("<User><state>LOGIN</state><extension>{extension}</extension></User>");
    let reply = put_user(c, now, id, id, &body);
    assert_eq!(reply.status, 202, "{}", reply.body);
}

pub(super) fn ready(c: &mut ContactCenter, now: SimTime, id: &str) {
    let reply = put_user(c, now, id, id, "<User><state>READY</state></User>");
    assert_eq!(reply.status, 202, "{}", reply.body);
}

pub(super) fn not_ready(c: &mut ContactCenter, now: SimTime, id: &str, reason: &str) {
    let body =
        format!("<User><state>NOT_READY</state><reasonCodeId>{reason}</reasonCodeId></User>");
    let reply = put_user(c, now, id, id, &body);
    assert_eq!(reply.status, 202, "{}", reply.body);
}

pub(super) fn dialog_action(
    c: &mut ContactCenter,
    now: SimTime,
    user: &str,
    call: CallId,
    action: &str,
    target: &str,
) -> RestReply {
    let body = format!(
        "<Dialog><requestedAction>{action}</requestedAction><targetMediaAddress>{target}</targetMediaAddress></Dialog>"
    );
    put_dialog(c, now, user, call, &body)
}

pub(super) fn state(c: &ContactCenter, id: &str) -> AgentState {
    c.truth()
        .agent(id)
        .map(|a| a.state)
        .unwrap_or(AgentState::Logout)
}

pub(super) fn queue_call(c: &mut ContactCenter, now: SimTime, queue: &str) -> CallId {
    c.place_call(
        now,
        CallSpec {
            caller: "+14085550100".into(),
            queue: queue.into(),
            ..CallSpec::default()
        },
    )
    .unwrap()
}

/// Sign in on the own extension and go READY.
pub(super) fn ready_agent(c: &mut ContactCenter, now: SimTime, id: &str) {
    let ext = c
        .config()
        .agents
        .iter()
        .find(|a| a.id == id)
        .unwrap()
        .extension
        .clone();
    sign_in(c, now, id, &ext);
    ready(c, now, id);
}

/// `(node, event, source)` of each publication, for sequence assertions.
pub(super) fn summary(pubs: &[Publication]) -> Vec<(String, String, String)> {
    pubs.iter()
        .map(|p| {
            let doc = finesse_xml::parse(&p.update).unwrap();
            (
                p.node.clone(),
                doc.child_text("event").unwrap_or("").to_owned(),
                doc.child_text("source").unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// Text at a path inside an `<Update>`'s data.
pub(super) fn data_text(p: &Publication, path: &[&str]) -> Option<String> {
    let doc = finesse_xml::parse(&p.update).unwrap();
    let data = doc.child("data")?;
    data.descend(path)
        .and_then(|e| e.text_trimmed())
        .map(str::to_owned)
}
