use super::*;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};

#[derive(Default)]
struct RecordedPresence(Mutex<Vec<(NodeId, String, bool)>>);

impl PresenceSink for RecordedPresence {
    fn presence_changed(&self, node: NodeId, user_id: &str, available: bool) {
        self.0
            .lock()
            .unwrap()
            .push((node, user_id.to_owned(), available));
    }
}

fn router() -> (Router, Arc<RecordedPresence>) {
    let sink = Arc::new(RecordedPresence::default());
    (Router::new(sink.clone()), sink)
}

fn session(
    router: &Router,
    node: NodeId,
    user: &str,
    resource: &str,
) -> (BoundSession, UnboundedReceiver<ToSession>) {
    let (tx, rx) = unbounded_channel();
    let bound = router.bind(node, user, "fin-a.lab", resource, tx);
    router.set_presence(bound.id, true, 0);
    (bound, rx)
}

fn publication(node: &str, audience: Audience, origin: Option<NodeId>) -> Publication {
    Publication {
        node: node.to_owned(),
        update: format!("<Update><source>{node}</source></Update>"),
        audience,
        origin,
    }
}

fn events(rx: &mut UnboundedReceiver<ToSession>) -> Vec<String> {
    let mut out = Vec::new();
    while let Ok(msg) = rx.try_recv() {
        if let ToSession::Event(item) = msg {
            out.push(item.node.clone());
        }
    }
    out
}

#[test]
fn user_events_reach_every_available_session_of_that_user_only() {
    let (router, _) = router();
    let (_, mut tray) = session(&router, NodeId::A, "1001", "tray");
    let (_, mut desktop) = session(&router, NodeId::A, "1001", "desktop");
    let (_, mut other) = session(&router, NodeId::A, "1002", "tray");
    router.route_with(SimTime(0), || {
        vec![publication(
            "/finesse/api/User/1001",
            Audience::User("1001".into()),
            None,
        )]
    });
    assert_eq!(events(&mut tray), ["/finesse/api/User/1001"]);
    assert_eq!(events(&mut desktop), ["/finesse/api/User/1001"]);
    assert!(events(&mut other).is_empty());
}

#[test]
fn sessions_without_available_presence_get_no_events() {
    let (router, _) = router();
    let (tx, mut rx) = unbounded_channel();
    router.bind(NodeId::A, "1001", "fin-a.lab", "tray", tx);
    router.route_with(SimTime(0), || {
        vec![publication(
            "/finesse/api/SystemInfo",
            Audience::Everyone,
            None,
        )]
    });
    assert!(events(&mut rx).is_empty());
}

#[test]
fn node_specific_publications_stay_on_their_node() {
    let (router, _) = router();
    let (_, mut on_a) = session(&router, NodeId::A, "1001", "tray");
    let (_, mut on_b) = session(&router, NodeId::B, "1001", "tray");
    router.route_with(SimTime(0), || {
        vec![publication(
            "/finesse/api/SystemInfo",
            Audience::Everyone,
            Some(NodeId::B),
        )]
    });
    assert!(events(&mut on_a).is_empty());
    assert_eq!(events(&mut on_b), ["/finesse/api/SystemInfo"]);
}

#[test]
fn second_bind_of_the_same_full_jid_ends_the_older_session() {
    let (router, presence) = router();
    let (first, mut first_rx) = session(&router, NodeId::A, "1001", "tray");
    let (second, _second_rx) = session(&router, NodeId::A, "1001", "tray");
    assert_ne!(first.id, second.id);
    assert!(matches!(first_rx.try_recv(), Ok(ToSession::Conflict)));
    assert_eq!(router.session_count(NodeId::A), 1);
    let recorded = presence.0.lock().unwrap().clone();
    assert_eq!(
        recorded,
        [
            (NodeId::A, "1001".to_owned(), true),
            (NodeId::A, "1001".to_owned(), false),
            (NodeId::A, "1001".to_owned(), true)
        ]
    );
}

#[test]
fn presence_is_reported_for_the_first_and_last_session_per_node() {
    let (router, presence) = router();
    let (a1, _r1) = session(&router, NodeId::A, "1001", "one");
    let (a2, _r2) = session(&router, NodeId::A, "1001", "two");
    let (b1, _r3) = session(&router, NodeId::B, "1001", "one");
    router.set_presence(a1.id, false, 0);
    router.unregister(a2.id);
    router.unregister(b1.id);
    router.unregister(b1.id);
    let recorded = presence.0.lock().unwrap().clone();
    assert_eq!(
        recorded,
        [
            (NodeId::A, "1001".to_owned(), true),
            (NodeId::B, "1001".to_owned(), true),
            (NodeId::A, "1001".to_owned(), false),
            (NodeId::B, "1001".to_owned(), false)
        ]
    );
}

#[test]
fn explicit_subscription_by_full_jid_delivers_only_to_that_session() {
    let (router, _) = router();
    let (sup, mut sup_rx) = session(&router, NodeId::A, "2001", "tray");
    let (_, mut sup_other) = session(&router, NodeId::A, "2001", "desktop");
    let team = "/finesse/api/Team/5005/Users";
    let sub = router.subscribe(sup.id, team, &sup.full_jid).unwrap();
    assert_eq!(sub.node, team);
    assert_eq!(router.subscriptions(sup.id), vec![sub.clone()]);
    router.route_with(SimTime(0), || {
        vec![publication(team, Audience::Subscribers, None)]
    });
    assert_eq!(events(&mut sup_rx), [team]);
    assert!(events(&mut sup_other).is_empty());
    router
        .unsubscribe(sup.id, team, &sup.full_jid, None)
        .unwrap();
    assert_eq!(
        router.unsubscribe(sup.id, team, &sup.full_jid, None),
        Err(SubscriptionError::NotSubscribed)
    );
    router.route_with(SimTime(0), || {
        vec![publication(team, Audience::Subscribers, None)]
    });
    assert!(events(&mut sup_rx).is_empty());
}

#[test]
fn subscribing_someone_else_is_refused() {
    let (router, _) = router();
    let (sup, _rx) = session(&router, NodeId::A, "2001", "tray");
    assert_eq!(
        router.subscribe(sup.id, "/finesse/api/Team/1/Users", "1001@fin-a.lab/tray"),
        Err(SubscriptionError::InvalidJid)
    );
    assert_eq!(
        router.subscribe(sup.id, "", &sup.bare_jid),
        Err(SubscriptionError::NodeIdRequired)
    );
}

#[test]
fn dropped_events_are_counted_and_delayed_events_come_later() {
    let (router, _) = router();
    let (_, mut rx) = session(&router, NodeId::A, "1001", "tray");
    router.add_event_fault(
        NodeId::A,
        EventFault {
            node_pattern: "/finesse/api/User/*/Dialogs".into(),
            count: 1,
            action: EventFaultAction::Drop,
        },
    );
    router.add_event_fault(
        NodeId::A,
        EventFault {
            node_pattern: "User/1001".into(),
            count: 1,
            action: EventFaultAction::Delay { millis: 5_000 },
        },
    );
    let dialogs = "/finesse/api/User/1001/Dialogs";
    let user = "/finesse/api/User/1001";
    let both = |router: &Router, at: u64| {
        router.route_with(SimTime(at), || {
            vec![
                publication(dialogs, Audience::User("1001".into()), None),
                publication(user, Audience::User("1001".into()), None),
            ]
        })
    };
    both(&router, 0);
    assert!(
        events(&mut rx).is_empty(),
        "first Dialogs dropped, first User delayed"
    );
    assert_eq!(router.next_delayed_due(), Some(SimTime(5_000)));
    both(&router, 1_000);
    assert_eq!(events(&mut rx), [dialogs, user]);
    router.release_due(SimTime(4_999));
    assert!(events(&mut rx).is_empty());
    router.release_due(SimTime(5_000));
    assert_eq!(events(&mut rx), [user]);
    assert_eq!(router.next_delayed_due(), None);
}

#[test]
fn finesse_presence_changes_reach_available_sessions_of_that_node() {
    let (router, _) = router();
    let (_, mut on_a) = session(&router, NodeId::A, "1001", "tray");
    let (_, mut on_b) = session(&router, NodeId::B, "1001", "tray");
    router.set_finesse_available(NodeId::A, false);
    assert!(!router.finesse_available(NodeId::A));
    assert!(matches!(
        on_a.try_recv(),
        Ok(ToSession::FinessePresence { available: false })
    ));
    assert!(on_b.try_recv().is_err());
}

#[test]
fn dropping_links_reports_presence_gone_before_returning() {
    let (router, presence) = router();
    let (_, mut rx) = session(&router, NodeId::A, "1001", "tray");
    router.drop_links(NodeId::A);
    assert!(matches!(rx.try_recv(), Ok(ToSession::Drop)));
    assert_eq!(
        presence.0.lock().unwrap().last(),
        Some(&(NodeId::A, "1001".to_owned(), false))
    );
    assert_eq!(router.session_count(NodeId::A), 0);
}

#[test]
fn a_stopped_node_reports_no_presence() {
    let (router, presence) = router();
    let (_, mut rx) = session(&router, NodeId::B, "1001", "tray");
    router.drop_links_of_stopped_node(NodeId::B);
    assert!(matches!(rx.try_recv(), Ok(ToSession::Drop)));
    assert_eq!(
        *presence.0.lock().unwrap(),
        [(NodeId::B, "1001".to_owned(), true)]
    );
}
