use std::sync::Mutex;

use super::*;
use crate::net::xmpp::router::{EventItem, PresenceSink};
use crate::net::xmpp::splitter::{read_websocket_message, SplitLimits};

#[derive(Default)]
struct FakeLab {
    presence: Mutex<Vec<(String, bool)>>,
}

impl PresenceSink for FakeLab {
    fn presence_changed(&self, _node: NodeId, user_id: &str, available: bool) {
        self.presence
            .lock()
            .unwrap()
            .push((user_id.to_owned(), available));
    }
}

struct FakeServices {
    router: Router,
    lab: Arc<FakeLab>,
}

impl XmppServices for FakeServices {
    fn authenticate(&self, id: &str, password: &str) -> Result<String, AuthFailure> {
        match (id.to_ascii_lowercase().as_str(), password) {
            ("agent1", "secret") => Ok("Agent1".to_owned()),
            ("agent1", _) => Err(AuthFailure::WrongPassword),
            _ => Err(AuthFailure::UnknownUser),
        }
    }
    fn router(&self) -> &Router {
        &self.router
    }
    fn pump(&self) {}
}

fn services() -> Arc<FakeServices> {
    let lab = Arc::new(FakeLab::default());
    Arc::new(FakeServices {
        router: Router::new(lab.clone()),
        lab,
    })
}

fn core(services: &Arc<FakeServices>, security: StreamSecurity) -> SessionCore {
    SessionCore::new(
        services.clone(),
        StreamPlace {
            node: NodeId::A,
            domain: "fin-a.lab".into(),
        },
        Framing::WebSocket,
        security,
    )
}

fn ws(core: &mut SessionCore, text: &str) -> Vec<Action> {
    let event = read_websocket_message(text, SplitLimits::default()).unwrap();
    core.on_stream_event(event)
}

fn sent(actions: &[Action]) -> Vec<Element> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Send(xml) => Some(finesse_xml::parse(xml).unwrap()),
            _ => None,
        })
        .collect()
}

const OPEN: &str =
    r#"<open xmlns="urn:ietf:params:xml:ns:xmpp-framing" to="fin-a.lab" version="1.0"/>"#;

fn plain(authzid: &str, authcid: &str, password: &str) -> String {
    let raw = format!("{authzid}\0{authcid}\0{password}");
    base64::engine::general_purpose::STANDARD.encode(raw)
}

fn auth(core: &mut SessionCore, authcid: &str, password: &str) -> Vec<Action> {
    ws(
        core,
        &format!(
            r#"<auth xmlns="urn:ietf:params:xml:ns:xmpp-sasl" mechanism="PLAIN">{}</auth>"#,
            plain("", authcid, password)
        ),
    )
}

/// Open, authenticate, restart, bind `resource` and send initial presence.
fn signed_in(services: &Arc<FakeServices>, resource: &str) -> SessionCore {
    let mut c = core(services, StreamSecurity::Tls);
    ws(&mut c, OPEN);
    assert_eq!(
        auth(&mut c, "agent1", "secret").last(),
        Some(&Action::Restart)
    );
    ws(&mut c, OPEN);
    ws(
        &mut c,
        &format!(
            r#"<iq xmlns="jabber:client" type="set" id="b1"><bind xmlns="urn:ietf:params:xml:ns:xmpp-bind"><resource>{resource}</resource></bind></iq>"#
        ),
    );
    ws(
        &mut c,
        r#"<presence xmlns="jabber:client"><priority>0</priority></presence>"#,
    );
    c
}

#[test]
fn features_offer_starttls_only_on_plain_tcp_and_never_stream_management() {
    let s = services();
    let mut plain_tcp = core(&s, StreamSecurity::StartTlsOffered);
    let features = &sent(&ws(&mut plain_tcp, OPEN))[1];
    assert!(features.child("starttls").is_some());
    assert_eq!(
        features.descend(&["mechanisms", "mechanism"]).unwrap().text,
        "PLAIN"
    );

    let mut tls = core(&s, StreamSecurity::Tls);
    let features = &sent(&ws(&mut tls, OPEN))[1];
    assert!(features.child("starttls").is_none());
    assert!(features.child("sm").is_none());
}

#[test]
fn starttls_is_proceeded_then_the_stream_restarts_without_it() {
    let s = services();
    let mut c = core(&s, StreamSecurity::StartTlsOffered);
    ws(&mut c, OPEN);
    let actions = ws(
        &mut c,
        r#"<starttls xmlns="urn:ietf:params:xml:ns:xmpp-tls"/>"#,
    );
    assert_eq!(sent(&actions)[0].name, "proceed");
    assert_eq!(actions.last(), Some(&Action::StartTls));
    c.tls_established();
    let features = &sent(&ws(&mut c, OPEN))[1];
    assert!(features.child("starttls").is_none());
    assert!(features.child("mechanisms").is_some());
}

#[test]
fn wrong_password_gets_not_authorized_and_the_stream_stays_open() {
    let s = services();
    let mut c = core(&s, StreamSecurity::Tls);
    ws(&mut c, OPEN);
    let actions = auth(&mut c, "agent1", "nope");
    let failure = &sent(&actions)[0];
    assert_eq!(failure.name, "failure");
    assert!(failure.child("not-authorized").is_some());
    assert!(!actions.iter().any(|a| matches!(a, Action::End { .. })));
    assert_eq!(
        auth(&mut c, "agent1", "secret").last(),
        Some(&Action::Restart)
    );
}

#[test]
fn repeated_failures_close_the_stream() {
    let s = services();
    let mut c = core(&s, StreamSecurity::Tls);
    ws(&mut c, OPEN);
    let mut last = Vec::new();
    for _ in 0..MAX_FAILED_AUTHS {
        last = auth(&mut c, "nobody", "x");
    }
    assert_eq!(last.last(), Some(&Action::End { graceful: true }));
}

#[test]
fn authzid_of_another_user_is_refused() {
    let s = services();
    let mut c = core(&s, StreamSecurity::Tls);
    ws(&mut c, OPEN);
    let body = plain("someone@fin-a.lab", "agent1", "secret");
    let actions = ws(
        &mut c,
        &format!(
            r#"<auth xmlns="urn:ietf:params:xml:ns:xmpp-sasl" mechanism="PLAIN">{body}</auth>"#
        ),
    );
    assert!(sent(&actions)[0].child("invalid-authzid").is_some());
    let own = plain("agent1@fin-a.lab", "agent1", "secret");
    let actions = ws(
        &mut c,
        &format!(
            r#"<auth xmlns="urn:ietf:params:xml:ns:xmpp-sasl" mechanism="PLAIN">{own}</auth>"#
        ),
    );
    assert_eq!(actions.last(), Some(&Action::Restart));
}

#[test]
fn stanzas_before_authentication_end_the_stream_with_not_authorized() {
    let s = services();
    let mut c = core(&s, StreamSecurity::Tls);
    ws(&mut c, OPEN);
    let actions = ws(
        &mut c,
        r#"<iq xmlns="jabber:client" type="get" id="1"><ping xmlns="urn:xmpp:ping"/></iq>"#,
    );
    let error = &sent(&actions)[0];
    assert_eq!(error.name, "error");
    assert!(error.child("not-authorized").is_some());
    assert_eq!(actions.last(), Some(&Action::End { graceful: true }));
}

#[test]
fn wrong_domain_in_the_header_is_host_unknown() {
    let s = services();
    let mut c = core(&s, StreamSecurity::Tls);
    let actions = ws(
        &mut c,
        r#"<open xmlns="urn:ietf:params:xml:ns:xmpp-framing" to="elsewhere.lab" version="1.0"/>"#,
    );
    assert!(sent(&actions)[1].child("host-unknown").is_some());
}

#[test]
fn bind_uses_the_lower_cased_agent_id_and_requested_resource() {
    let s = services();
    let mut c = core(&s, StreamSecurity::Tls);
    ws(&mut c, OPEN);
    auth(&mut c, "AGENT1", "secret");
    let features = &sent(&ws(&mut c, OPEN))[1];
    assert!(features.child("bind").is_some());
    let actions = ws(
        &mut c,
        r#"<iq xmlns="jabber:client" type="set" id="b1"><bind xmlns="urn:ietf:params:xml:ns:xmpp-bind"><resource>tray</resource></bind></iq>"#,
    );
    let result = &sent(&actions)[0];
    assert_eq!(result.attr("type"), Some("result"));
    assert_eq!(result.attr("id"), Some("b1"));
    assert_eq!(
        result.descend(&["bind", "jid"]).unwrap().text,
        "agent1@fin-a.lab/tray"
    );
}

#[test]
fn initial_presence_brings_finesse_presence_and_reports_the_user_available() {
    let s = services();
    let mut c = core(&s, StreamSecurity::Tls);
    ws(&mut c, OPEN);
    auth(&mut c, "agent1", "secret");
    ws(&mut c, OPEN);
    ws(
        &mut c,
        r#"<iq xmlns="jabber:client" type="set" id="b1"><bind xmlns="urn:ietf:params:xml:ns:xmpp-bind"/></iq>"#,
    );
    let actions = ws(&mut c, r#"<presence xmlns="jabber:client"/>"#);
    let presence = &sent(&actions)[0];
    assert_eq!(presence.attr("from"), Some("finesse@fin-a.lab/finesse"));
    assert_eq!(presence.attr("type"), None);
    assert_eq!(
        *s.lab.presence.lock().unwrap(),
        [("Agent1".to_owned(), true)]
    );
    ws(
        &mut c,
        r#"<presence xmlns="jabber:client" type="unavailable"/>"#,
    );
    assert_eq!(
        s.lab.presence.lock().unwrap().last(),
        Some(&("Agent1".to_owned(), false))
    );
}

#[test]
fn finesse_presence_is_unavailable_when_that_fault_is_on() {
    let s = services();
    s.router.set_finesse_available(NodeId::A, false);
    let mut c = core(&s, StreamSecurity::Tls);
    ws(&mut c, OPEN);
    auth(&mut c, "agent1", "secret");
    ws(&mut c, OPEN);
    ws(
        &mut c,
        r#"<iq xmlns="jabber:client" type="set" id="b1"><bind xmlns="urn:ietf:params:xml:ns:xmpp-bind"/></iq>"#,
    );
    let presence = &sent(&ws(&mut c, r#"<presence xmlns="jabber:client"/>"#))[0];
    assert_eq!(presence.attr("type"), Some("unavailable"));
    let back = c.on_router_message(ToSession::FinessePresence { available: true });
    assert_eq!(sent(&back)[0].attr("type"), None);
}

#[test]
fn roster_holds_the_finesse_user_with_mutual_subscription() {
    let s = services();
    let mut c = signed_in(&s, "tray");
    let actions = ws(
        &mut c,
        r#"<iq xmlns="jabber:client" type="get" id="r1"><query xmlns="jabber:iq:roster"/></iq>"#,
    );
    let item = sent(&actions)[0]
        .descend(&["query", "item"])
        .cloned()
        .unwrap();
    assert_eq!(item.attr("jid"), Some("finesse@fin-a.lab"));
    assert_eq!(item.attr("subscription"), Some("both"));
}

#[test]
fn pings_to_the_domain_and_pubsub_are_answered() {
    let s = services();
    let mut c = signed_in(&s, "tray");
    for to in ["fin-a.lab", "pubsub.fin-a.lab"] {
        let actions = ws(
            &mut c,
            &format!(
                r#"<iq xmlns="jabber:client" type="get" id="p1" to="{to}"><ping xmlns="urn:xmpp:ping"/></iq>"#
            ),
        );
        let pong = &sent(&actions)[0];
        assert_eq!(pong.attr("type"), Some("result"));
        assert_eq!(pong.attr("from"), Some(to));
        assert_eq!(pong.attr("to"), Some("agent1@fin-a.lab/tray"));
    }
    let actions = ws(
        &mut c,
        r#"<iq xmlns="jabber:client" type="get" id="p2" to="other@fin-a.lab"><ping xmlns="urn:xmpp:ping"/></iq>"#,
    );
    assert!(sent(&actions)[0]
        .descend(&["error", "service-unavailable"])
        .is_some());
}

#[test]
fn subscribe_subscriptions_and_unsubscribe_follow_xep_0060() {
    let s = services();
    let mut c = signed_in(&s, "tray");
    let team = "/finesse/api/Team/5005/Users";
    let actions = ws(
        &mut c,
        &format!(
            r#"<iq xmlns="jabber:client" type="set" id="s1" to="pubsub.fin-a.lab"><pubsub xmlns="http://jabber.org/protocol/pubsub"><subscribe node="{team}" jid="agent1@fin-a.lab/tray"/></pubsub></iq>"#
        ),
    );
    let result = &sent(&actions)[0];
    let sub = result.descend(&["pubsub", "subscription"]).unwrap();
    assert_eq!(sub.attr("node"), Some(team));
    assert_eq!(sub.attr("subscription"), Some("subscribed"));

    let actions = ws(
        &mut c,
        r#"<iq xmlns="jabber:client" type="get" id="s2" to="pubsub.fin-a.lab"><pubsub xmlns="http://jabber.org/protocol/pubsub"><subscriptions/></pubsub></iq>"#,
    );
    let listed = sent(&actions)[0]
        .descend(&["pubsub", "subscriptions"])
        .cloned()
        .unwrap();
    assert_eq!(listed.children.len(), 1);
    assert_eq!(
        listed.children[0].attr("jid"),
        Some("agent1@fin-a.lab/tray")
    );

    let unsubscribe = format!(
        r#"<iq xmlns="jabber:client" type="set" id="s3" to="pubsub.fin-a.lab"><pubsub xmlns="http://jabber.org/protocol/pubsub"><unsubscribe node="{team}" jid="agent1@fin-a.lab/tray"/></pubsub></iq>"#
    );
    assert_eq!(
        sent(&ws(&mut c, &unsubscribe))[0].attr("type"),
        Some("result")
    );
    let again = &sent(&ws(&mut c, &unsubscribe))[0];
    assert!(again.descend(&["error", "not-subscribed"]).is_some());
}

#[test]
fn subscribing_another_jid_is_invalid_jid() {
    let s = services();
    let mut c = signed_in(&s, "tray");
    let actions = ws(
        &mut c,
        r#"<iq xmlns="jabber:client" type="set" id="s1" to="pubsub.fin-a.lab"><pubsub xmlns="http://jabber.org/protocol/pubsub"><subscribe node="/finesse/api/Team/1/Users" jid="agent2@fin-a.lab"/></pubsub></iq>"#,
    );
    let error = sent(&actions)[0].child("error").cloned().unwrap();
    assert_eq!(error.attr("type"), Some("modify"));
    assert!(error.child("bad-request").is_some());
    assert!(error.child("invalid-jid").is_some());
}

#[test]
fn events_are_sent_to_the_bare_jid_from_the_pubsub_service() {
    let s = services();
    let mut c = signed_in(&s, "tray");
    let item = EventItem {
        node: "/finesse/api/User/Agent1".into(),
        item_id: "item-1".into(),
        update: "<Update><event>PUT</event></Update>".into(),
    };
    let actions = c.on_router_message(ToSession::Event(Arc::new(item)));
    let message = &sent(&actions)[0];
    assert_eq!(message.attr("from"), Some("pubsub.fin-a.lab"));
    assert_eq!(message.attr("to"), Some("agent1@fin-a.lab"));
    assert_eq!(message.namespace.as_deref(), Some("jabber:client"));
    let notification = message
        .descend(&["event", "items", "item", "notification"])
        .unwrap();
    assert_eq!(notification.text, "<Update><event>PUT</event></Update>");
}

#[test]
fn conflict_ends_the_older_stream_with_a_stream_error() {
    let s = services();
    let mut older = signed_in(&s, "tray");
    let _newer = signed_in(&s, "tray");
    let mut rx = older.take_router_receiver().unwrap();
    let message = rx.try_recv().unwrap();
    let actions = older.on_router_message(message);
    let elements = sent(&actions);
    assert!(elements[0].child("conflict").is_some());
    assert_eq!(elements[1].name, "close");
    assert_eq!(actions.last(), Some(&Action::End { graceful: true }));
}

#[test]
fn closing_the_stream_reports_presence_gone_and_answers_close() {
    let s = services();
    let mut c = signed_in(&s, "tray");
    let actions = ws(
        &mut c,
        r#"<close xmlns="urn:ietf:params:xml:ns:xmpp-framing"/>"#,
    );
    assert_eq!(sent(&actions)[0].name, "close");
    assert_eq!(
        s.lab.presence.lock().unwrap().last(),
        Some(&("Agent1".to_owned(), false))
    );
    assert_eq!(s.router.session_count(NodeId::A), 0);
}

#[test]
fn dropping_the_session_object_unregisters_it() {
    let s = services();
    let c = signed_in(&s, "tray");
    assert_eq!(s.router.session_count(NodeId::A), 1);
    drop(c);
    assert_eq!(s.router.session_count(NodeId::A), 0);
    assert_eq!(
        s.lab.presence.lock().unwrap().last(),
        Some(&("Agent1".to_owned(), false))
    );
}

#[test]
fn stream_management_is_refused() {
    let s = services();
    let mut c = signed_in(&s, "tray");
    let actions = ws(&mut c, r#"<enable xmlns="urn:xmpp:sm:3"/>"#);
    assert_eq!(sent(&actions)[0].name, "failed");
}

#[test]
fn a_split_error_before_the_header_still_opens_a_stream_to_carry_the_error() {
    let s = services();
    let mut c = core(&s, StreamSecurity::Tls);
    let actions = c.on_split_error(&SplitError::BadFormat);
    assert_eq!(actions.len(), 4);
    assert_eq!(sent(&actions)[1].name, "error");
}
