//! Shared helpers of the center / conformance tests: a driver for the contact center,
//! and an XML comparer that checks structure, element order and text against fixture
//! files after normalising volatile values.
#![allow(dead_code, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use base64::Engine as _;
use finesse_emulator::center::{
    CallId, CallSpec, CallVariable, ContactCenter, Method, NodeId, Publication, RestReply,
    RestRequest, Truth,
};
use finesse_emulator::clock::SimTime;
use finesse_emulator::config::LabConfig;
use finesse_xml::Element;

pub const PASSWORD: &str = "ringside";

/// A contact center driven by a hand-moved clock.
pub struct Lab {
    pub center: ContactCenter,
    pub now: SimTime,
}

impl Lab {
    pub fn demo() -> Self {
        Lab::with(LabConfig::demo())
    }

    pub fn with(config: LabConfig) -> Self {
        Lab {
            center: ContactCenter::new(config),
            now: SimTime(1_000),
        }
    }

    /// The demo lab with 1001 READY on 2001, then `others` (user, extension) signed in
    /// NOT_READY, then a Sales customer call that 1001 answered.
    pub fn with_answered_call(others: &[(&str, &str)]) -> (Self, CallId) {
        let mut lab = Lab::demo();
        lab.sign_in("1001", "2001");
        lab.ready("1001");
        for (user, extension) in others {
            lab.sign_in(user, extension);
        }
        let call = lab.customer_call("5001");
        let reply = lab.act("1001", call, "ANSWER", "2001");
        assert_eq!(reply.status, 202, "{}", reply.body);
        (lab, call)
    }

    /// Move time forward and run what became due.
    pub fn wait(&mut self, seconds: u64) {
        self.now = SimTime(self.now.0 + seconds * 1000);
        self.center.advance(self.now);
    }

    pub fn request(&mut self, node: NodeId, request: RestRequest) -> RestReply {
        self.center.handle_rest(self.now, node, request)
    }

    pub fn get(&mut self, user: &str, path: &str) -> RestReply {
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let mut r = RestRequest::new(Method::Get, path);
        r.query = query.to_owned();
        r.authorization = Some(basic(user, PASSWORD));
        self.center.handle_rest(self.now, NodeId::A, r)
    }

    pub fn send(&mut self, method: Method, user: &str, path: &str, body: &str) -> RestReply {
        let mut r = RestRequest::new(method, path);
        r.authorization = Some(basic(user, PASSWORD));
        r.content_type = Some("application/xml".into());
        r.request_id = Some(format!("req-{user}"));
        r.body = body.as_bytes().to_vec();
        self.center.handle_rest(self.now, NodeId::A, r)
    }

    pub fn put_user(&mut self, user: &str, target: &str, body: &str) -> RestReply {
        self.send(
            Method::Put,
            user,
            &format!("/finesse/api/User/{target}"),
            body,
        )
    }

    pub fn sign_in(&mut self, user: &str, extension: &str) {
        let body = format!("<User><state>LOGIN</state><extension>{extension}</extension></User>");
        let reply = self.put_user(user, user, &body);
        assert_eq!(reply.status, 202, "{}", reply.body);
    }

    pub fn ready(&mut self, user: &str) {
        let reply = self.put_user(user, user, "<User><state>READY</state></User>");
        assert_eq!(reply.status, 202, "{}", reply.body);
    }

    pub fn not_ready(&mut self, user: &str, reason: &str) {
        let body =
            format!("<User><state>NOT_READY</state><reasonCodeId>{reason}</reasonCodeId></User>");
        let reply = self.put_user(user, user, &body);
        assert_eq!(reply.status, 202, "{}", reply.body);
    }

    pub fn act(&mut self, user: &str, call: CallId, action: &str, target: &str) -> RestReply {
        let body = format!(
            "<Dialog><requestedAction>{action}</requestedAction><targetMediaAddress>{target}</targetMediaAddress></Dialog>"
        );
        self.send(
            Method::Put,
            user,
            &format!("/finesse/api/Dialog/{call}"),
            &body,
        )
    }

    pub fn act_to(
        &mut self,
        user: &str,
        call: CallId,
        action: &str,
        target: &str,
        to: &str,
    ) -> RestReply {
        let body = format!(
            "<Dialog><requestedAction>{action}</requestedAction><toAddress>{to}</toAddress><targetMediaAddress>{target}</targetMediaAddress></Dialog>"
        );
        self.send(
            Method::Put,
            user,
            &format!("/finesse/api/Dialog/{call}"),
            &body,
        )
    }

    pub fn post_dialogs(&mut self, user: &str, body: &str) -> RestReply {
        self.send(
            Method::Post,
            user,
            &format!("/finesse/api/User/{user}/Dialogs"),
            body,
        )
    }

    /// A customer call from +14085550100 to the Sales queue with some call data.
    pub fn customer_call(&mut self, queue: &str) -> CallId {
        let spec = CallSpec {
            caller: "+14085550100".into(),
            queue: queue.into(),
            call_variables: vec![
                CallVariable::new("callVariable1", "Chuck Smith"),
                CallVariable::new("callVariable2", "ACC-12345"),
            ],
            ecc: vec![CallVariable::new("user.priority", "gold")],
            ..CallSpec::default()
        };
        self.center.place_call(self.now, spec).unwrap()
    }

    pub fn truth(&self) -> Truth {
        self.center.truth()
    }

    pub fn events(&mut self) -> Vec<Publication> {
        self.center.take_publications()
    }

    pub fn clear_events(&mut self) {
        self.center.take_publications();
    }

    /// The dialogs of an agent, as GET Dialogs would list them.
    pub fn dialogs_of(&self, agent: &str) -> Vec<CallId> {
        self.truth()
            .agent(agent)
            .map(|a| a.dialogs.clone())
            .unwrap_or_default()
    }
}

pub fn basic(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

/// `(node, event, source)` of each publication.
pub fn summary(events: &[Publication]) -> Vec<(String, String, String)> {
    events
        .iter()
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

/// The single publication on `node` with `event`; fails when there is not exactly one.
pub fn only<'a>(events: &'a [Publication], node: &str, event: &str) -> &'a Publication {
    let found: Vec<&Publication> = events
        .iter()
        .filter(|p| p.node == node && event_of(p).eq_ignore_ascii_case(event))
        .collect();
    assert_eq!(found.len(), 1, "{event} on {node}: {:#?}", summary(events));
    found[0]
}

/// The last publication on `node`.
pub fn last<'a>(events: &'a [Publication], node: &str) -> &'a Publication {
    events
        .iter()
        .rev()
        .find(|p| p.node == node)
        .unwrap_or_else(|| panic!("nothing on {node}: {:#?}", summary(events)))
}

pub fn event_of(p: &Publication) -> String {
    finesse_xml::parse(&p.update)
        .ok()
        .and_then(|d| d.child_text("event").map(str::to_owned))
        .unwrap_or_default()
}

pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(fixture_path(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

/// Compare an XML document with a fixture file: element names (exact case), order,
/// attributes and leaf text must match once volatile values are normalised.
pub fn assert_matches_fixture(actual: &str, name: &str) {
    let expected = fixture(name);
    let actual_tree = normalise(
        &finesse_xml::parse(actual).unwrap_or_else(|e| panic!("actual XML: {e}\n{actual}")),
    );
    let expected_tree =
        normalise(&finesse_xml::parse(&expected).unwrap_or_else(|e| panic!("fixture {name}: {e}")));
    if let Some(difference) = first_difference(&expected_tree, &actual_tree, "") {
        panic!("{name}: {difference}\n--- actual ---\n{actual}");
    }
}

/// A tree reduced to what the comparison looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Node>,
}

/// Timestamps → `{timestamp}`, epoch milliseconds → `{epoch-ms}`, dialog ids → `{dialog-N}`
/// by order of first appearance, non-empty requestIds → `{request-id}`.
pub fn normalise(root: &Element) -> Node {
    let mut dialogs = BTreeMap::new();
    convert(root, &mut dialogs)
}

fn convert(el: &Element, dialogs: &mut BTreeMap<String, usize>) -> Node {
    let text = if el.children.is_empty() {
        normalise_text(&el.name, el.text.trim(), dialogs)
    } else {
        String::new()
    };
    let mut attributes = el.attributes.clone();
    attributes.sort();
    Node {
        name: el.name.clone(),
        attributes,
        text,
        children: el.children.iter().map(|c| convert(c, dialogs)).collect(),
    }
}

fn dialog_placeholder(id: &str, dialogs: &mut BTreeMap<String, usize>) -> String {
    let next = dialogs.len() + 1;
    let n = *dialogs.entry(id.to_owned()).or_insert(next);
    format!("{{dialog-{n}}}")
}

fn normalise_text(name: &str, text: &str, dialogs: &mut BTreeMap<String, usize>) -> String {
    if is_timestamp(text) {
        return "{timestamp}".into();
    }
    match name {
        "lastSuccessCTIHeartbeatTime" if !text.is_empty() => return "{epoch-ms}".into(),
        "requestId" if !text.is_empty() => return "{request-id}".into(),
        "id" if text.len() >= 6 && text.chars().all(|c| c.is_ascii_digit()) => {
            return dialog_placeholder(text, dialogs);
        }
        _ => {}
    }
    if let Some((prefix, id)) = text.rsplit_once("/finesse/api/Dialog/") {
        if !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()) {
            return format!(
                "{prefix}/finesse/api/Dialog/{}",
                dialog_placeholder(id, dialogs)
            );
        }
    }
    text.to_owned()
}

fn is_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    let shape = |i: usize, c: u8| b.get(i) == Some(&c);
    (b.len() == 24 || b.len() == 20)
        && shape(4, b'-')
        && shape(7, b'-')
        && shape(10, b'T')
        && shape(13, b':')
        && shape(16, b':')
        && b.last() == Some(&b'Z')
}

pub fn first_difference(expected: &Node, actual: &Node, path: &str) -> Option<String> {
    let here = format!("{path}/{}", expected.name);
    if expected.name != actual.name {
        return Some(format!(
            "at {path}: expected <{}>, found <{}>",
            expected.name, actual.name
        ));
    }
    if expected.attributes != actual.attributes {
        return Some(format!(
            "at {here}: attributes {:?} != {:?}",
            expected.attributes, actual.attributes
        ));
    }
    if expected.text != actual.text {
        return Some(format!(
            "at {here}: text {:?} != {:?}",
            expected.text, actual.text
        ));
    }
    let names = |n: &Node| {
        n.children
            .iter()
            .map(|c| c.name.clone())
            .collect::<Vec<_>>()
    };
    if expected.children.len() != actual.children.len() {
        return Some(format!(
            "at {here}: children {:?} != {:?}",
            names(expected),
            names(actual)
        ));
    }
    expected
        .children
        .iter()
        .zip(&actual.children)
        .find_map(|(e, a)| first_difference(e, a, &here))
}
