//! The pub-sub service: event stanza shape (§9.4), explicit subscriptions (§9.5).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod net_support;

use finesse_emulator::center::NodeId;
use finesse_xml::Element;
use net_support::*;

const TEAM: &str = "/finesse/api/Team/1/Users";

/// Ids are random and the Update text is checked separately: normalise them away, and drop
/// the whitespace that only indents the fixture.
fn normalise(element: &Element) -> Element {
    let mut out = element.clone();
    if out.text.trim().is_empty() {
        out.text.clear();
    }
    if out.is("message") || out.is("item") {
        let placeholder = if out.is("message") {
            "MESSAGE-ID"
        } else {
            "ITEM-ID"
        };
        for (key, value) in &mut out.attributes {
            if key == "id" {
                *value = placeholder.to_owned();
            }
        }
    }
    if out.is("notification") {
        out.text = "UPDATE".to_owned();
    }
    out.children = out.children.iter().map(normalise).collect();
    out
}

fn fixture(name: &str) -> Element {
    let path = format!("{}/tests/xmpp_fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    normalise(&finesse_xml::parse(&text).unwrap())
}

async fn unsubscribe(client: &mut XmppClient, node: &str, jid: &str, id: &str) -> Element {
    let request = format!(
        "<iq type='set' id='{id}' to='pubsub.127.0.0.1'><pubsub xmlns='http://jabber.org/protocol/pubsub'>\
         <unsubscribe node='{node}' jid='{jid}'/></pubsub></iq>"
    );
    client.send_stanza(&request).await;
    client
        .wait_for("unsubscribe answer", |el| el.attr("id") == Some(id))
        .await
}

#[tokio::test]
async fn user_event_over_tcp_has_the_protocol_shape_with_the_update_escaped() {
    let lab = start_lab().await;
    let rest = rest_client(&lab);
    let mut client =
        XmppClient::signed_in(&lab, NodeId::A, Transport::DirectTls, "1001", "tray").await;
    sign_in_agent(&rest, &lab, NodeId::A, "1001", "2001").await;
    let (message, update) = client.event_on("/finesse/api/User/1001").await;

    assert_eq!(normalise(&message), fixture("pubsub_event_user.xml"));
    assert!(update.is("Update"));
    assert_eq!(update.child_text("source"), Some("/finesse/api/User/1001"));
    assert_eq!(update.child_text("event"), Some("PUT"));
    assert!(
        client
            .transcript
            .contains("<notification xmlns=\"http://jabber.org/protocol/pubsub\">&lt;Update&gt;"),
        "the Update travels as escaped text"
    );
    lab.shutdown().await;
}

#[tokio::test]
async fn supervisor_receives_team_events_while_subscribed() {
    let lab = start_lab().await;
    let rest = rest_client(&lab);
    let mut supervisor =
        XmppClient::signed_in(&lab, NodeId::A, Transport::WebSocket, "1000", "tray").await;
    let answer = subscribe(&mut supervisor, TEAM, "1000@127.0.0.1/tray", "sub1").await;
    assert_eq!(answer.attr("type"), Some("result"));
    let subscription = answer.descend(&["pubsub", "subscription"]).unwrap();
    assert_eq!(subscription.attr("node"), Some(TEAM));
    assert_eq!(subscription.attr("jid"), Some("1000@127.0.0.1/tray"));
    assert_eq!(subscription.attr("subscription"), Some("subscribed"));

    sign_in_agent(&rest, &lab, NodeId::A, "1001", "2001").await;
    let (message, update) = supervisor.event_on(TEAM).await;
    assert_eq!(
        normalise(&message),
        fixture("pubsub_event_team_websocket.xml")
    );
    assert_eq!(update.child_text("source"), Some("/finesse/api/User/1001"));
    assert_eq!(data_field(&update, "user", "state"), Some("NOT_READY"));

    let answer = unsubscribe(&mut supervisor, TEAM, "1000@127.0.0.1/tray", "unsub1").await;
    assert_eq!(answer.attr("type"), Some("result"));
    // After unsubscribing, a team change is followed by a change of the supervisor's own
    // state; events arrive in order, so the next event must be the supervisor's own.
    put_user(&rest, &lab, NodeId::A, "1001", USER_READY).await;
    sign_in_agent(&rest, &lab, NodeId::A, "1000", "2000").await;
    let (message, _) = supervisor.any_event().await;
    let node = message
        .descend(&["event", "items"])
        .and_then(|i| i.attr("node"));
    assert_eq!(
        node,
        Some("/finesse/api/User/1000"),
        "no team event after unsubscribe"
    );
    lab.shutdown().await;
}

#[tokio::test]
async fn a_full_jid_subscription_serves_only_that_session_and_a_bare_one_serves_all() {
    let lab = start_lab().await;
    let rest = rest_client(&lab);
    let mut tray =
        XmppClient::signed_in(&lab, NodeId::A, Transport::WebSocket, "1000", "tray").await;
    let mut desk =
        XmppClient::signed_in(&lab, NodeId::A, Transport::StartTls, "1000", "desk").await;
    subscribe(&mut tray, TEAM, "1000@127.0.0.1/tray", "sub-full").await;

    sign_in_agent(&rest, &lab, NodeId::A, "1002", "2002").await;
    tray.event_on(TEAM).await;
    // The desk session got nothing from the team node: its next event is its own user's.
    sign_in_agent(&rest, &lab, NodeId::A, "1000", "2000").await;
    let (message, _) = desk.any_event().await;
    assert_eq!(
        message
            .descend(&["event", "items"])
            .and_then(|i| i.attr("node")),
        Some("/finesse/api/User/1000")
    );

    subscribe(&mut desk, TEAM, "1000@127.0.0.1", "sub-bare").await;
    put_user(&rest, &lab, NodeId::A, "1002", USER_READY).await;
    let (_, on_desk) = desk.event_on(TEAM).await;
    assert_eq!(data_field(&on_desk, "user", "state"), Some("READY"));
    lab.shutdown().await;
}

#[tokio::test]
async fn subscriptions_lists_the_requesters_own() {
    let lab = start_lab().await;
    let mut supervisor =
        XmppClient::signed_in(&lab, NodeId::A, Transport::DirectTls, "1000", "tray").await;
    subscribe(&mut supervisor, TEAM, "1000@127.0.0.1/tray", "s1").await;
    subscribe(
        &mut supervisor,
        "/finesse/api/Queue/5001",
        "1000@127.0.0.1",
        "s2",
    )
    .await;
    supervisor
        .send_stanza(
            "<iq type='get' id='list' to='pubsub.127.0.0.1'><pubsub xmlns='http://jabber.org/protocol/pubsub'>\
             <subscriptions/></pubsub></iq>",
        )
        .await;
    let answer = supervisor
        .wait_for("subscriptions", |el| el.attr("id") == Some("list"))
        .await;
    let listed: Vec<(String, String)> = answer
        .descend(&["pubsub", "subscriptions"])
        .unwrap()
        .children_named("subscription")
        .map(|s| {
            (
                s.attr("node").unwrap().to_owned(),
                s.attr("jid").unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            (TEAM.to_owned(), "1000@127.0.0.1/tray".to_owned()),
            (
                "/finesse/api/Queue/5001".to_owned(),
                "1000@127.0.0.1".to_owned()
            )
        ]
    );
    lab.shutdown().await;
}

#[tokio::test]
async fn subscribing_someone_elses_jid_is_refused() {
    let lab = start_lab().await;
    let mut agent =
        XmppClient::signed_in(&lab, NodeId::A, Transport::WebSocket, "1001", "tray").await;
    let answer = subscribe(&mut agent, TEAM, "1000@127.0.0.1/tray", "steal").await;
    assert_eq!(answer.attr("type"), Some("error"));
    let error = answer.child("error").unwrap();
    assert!(error.child("bad-request").is_some());
    assert!(error.child("invalid-jid").is_some());
    let answer = unsubscribe(&mut agent, TEAM, "1001@127.0.0.1/tray", "never").await;
    assert!(answer.descend(&["error", "not-subscribed"]).is_some());
    lab.shutdown().await;
}
