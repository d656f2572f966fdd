//! Faults the failover tests need: a node that cannot force anyone out (out of service, or
//! its Finesse down), repeated events, and the journal of REST requests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod net_support;

use std::time::Duration;

use finesse_emulator::center::{AgentState, NodeId};
use finesse_emulator::net::Lab;
use net_support::*;

fn agent_state(lab: &Lab, id: &str) -> AgentState {
    lab.truth().agent(id).unwrap().state
}

async fn ready_agent(lab: &Lab, user: &str, extension: &str) -> XmppClient {
    let rest = rest_client(lab);
    let mut client =
        XmppClient::signed_in(lab, NodeId::A, Transport::WebSocket, user, "tray").await;
    sign_in_agent(&rest, lab, NodeId::A, user, extension).await;
    put_user(
        &rest,
        lab,
        NodeId::A,
        user,
        "<User><state>READY</state></User>",
    )
    .await;
    client.user_state(user, "READY").await;
    client
}

#[tokio::test]
async fn an_out_of_service_node_forces_nobody_out_whose_presence_it_lost() {
    let lab = start_lab().await;
    let client = ready_agent(&lab, "1003", "2003").await;
    lab.set_out_of_service(NodeId::A, true, "CTI link down");
    client.crash();
    assert!(
        lab.wait_for_xmpp_sessions(NodeId::A, Duration::from_secs(10), |s| s.is_empty())
            .await
    );
    lab.advance_clock(Duration::from_secs(120));
    assert_eq!(agent_state(&lab, "1003"), AgentState::Ready);
    lab.shutdown().await;
}

#[tokio::test]
async fn a_node_whose_finesse_is_down_forces_nobody_out() {
    let lab = start_lab().await;
    let client = ready_agent(&lab, "1004", "2004").await;
    lab.set_finesse_presence(NodeId::A, false);
    client.crash();
    assert!(
        lab.wait_for_xmpp_sessions(NodeId::A, Duration::from_secs(10), |s| s.is_empty())
            .await
    );
    lab.advance_clock(Duration::from_secs(120));
    assert_eq!(agent_state(&lab, "1004"), AgentState::Ready);
    lab.shutdown().await;
}

#[tokio::test]
async fn a_node_in_service_still_forces_out_an_agent_whose_presence_it_lost() {
    let lab = start_lab().await;
    let client = ready_agent(&lab, "1005", "2005").await;
    client.crash();
    assert!(
        lab.wait_for_xmpp_sessions(NodeId::A, Duration::from_secs(10), |s| s.is_empty())
            .await
    );
    lab.advance_clock(Duration::from_secs(61));
    assert_eq!(agent_state(&lab, "1005"), AgentState::NotReady);
    lab.shutdown().await;
}

#[tokio::test]
async fn a_duplicated_event_arrives_again_after_the_delay() {
    let lab = start_lab().await;
    let rest = rest_client(&lab);
    let mut client =
        XmppClient::signed_in(&lab, NodeId::A, Transport::DirectTls, "1008", "tray").await;
    lab.duplicate_events(NodeId::A, "User/1008", 1, Duration::from_secs(5));

    sign_in_agent(&rest, &lab, NodeId::A, "1008", "2008").await;
    let (_, first) = client.event_on("/finesse/api/User/1008").await;
    assert_eq!(data_field(&first, "user", "state"), Some("NOT_READY"));
    put_user(
        &rest,
        &lab,
        NodeId::A,
        "1008",
        "<User><state>READY</state></User>",
    )
    .await;
    let (_, second) = client.event_on("/finesse/api/User/1008").await;
    assert_eq!(data_field(&second, "user", "state"), Some("READY"));

    lab.advance_clock(Duration::from_secs(5));
    let (_, repeat) = client.event_on("/finesse/api/User/1008").await;
    assert_eq!(
        data_field(&repeat, "user", "state"),
        Some("NOT_READY"),
        "the repeat of the first event, after the newer one"
    );
    lab.shutdown().await;
}

fn wrong_password(user: &str) -> String {
    use base64::Engine as _;
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:not-it"));
    format!("Basic {token}")
}

#[tokio::test]
async fn the_rest_journal_lists_each_request_with_its_user_and_status() {
    let lab = start_lab().await;
    let rest = rest_client(&lab);
    let url = format!("{}/User/1009", lab.node(NodeId::B).rest_url());
    let refused = rest
        .get(&url)
        .header("Authorization", wrong_password("1009"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    let fine = rest
        .get(&url)
        .header("Authorization", basic("1009"))
        .send()
        .await
        .unwrap();
    assert_eq!(fine.status(), 200);

    let journal = lab.rest_journal();
    let mine: Vec<_> = journal
        .iter()
        .filter(|r| r.user.as_deref() == Some("1009"))
        .map(|r| {
            (
                r.node,
                r.method.as_str(),
                r.path.as_str(),
                r.status,
                r.credentials_refused,
            )
        })
        .collect();
    assert_eq!(
        mine,
        vec![
            (NodeId::B, "GET", "/finesse/api/User/1009", 401, true),
            (NodeId::B, "GET", "/finesse/api/User/1009", 200, false),
        ]
    );
    // Another user's resource: a 401 too, but the credentials were fine.
    let other = rest
        .get(format!("{}/User/1010", lab.node(NodeId::B).rest_url()))
        .header("Authorization", basic("1009"))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 401);
    let last = lab.rest_journal().last().cloned().unwrap();
    assert_eq!((last.status, last.credentials_refused), (401, false));
    lab.clear_rest_journal();
    assert!(lab.rest_journal().is_empty());
    lab.shutdown().await;
}
