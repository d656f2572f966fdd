//! The snapshot follows Finesse events the way the session applies them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use finesse::model::{AgentState, Dialog, DialogState, Queue, Snapshot, SystemInfo, Team, User};
use finesse::notification::{FinesseEvent, Notification};

fn fixture(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn event(name: &str) -> FinesseEvent {
    Notification::from_message_xml(&fixture(&format!("notifications/{name}")))
        .unwrap()
        .unwrap()
        .classify()
        .unwrap()
}

const CALL: &str = "187987396";

#[test]
fn an_incoming_call_is_followed_from_ringing_to_removal() {
    let mut snapshot = Snapshot::new();
    assert!(snapshot.apply(&event("dialogs_post_alerting.xml")));
    assert_eq!(snapshot.dialogs[CALL].state, DialogState::Alerting);

    assert!(snapshot.apply(&event("dialog_put_active.xml")));
    assert_eq!(snapshot.dialogs[CALL].state, DialogState::Active);
    assert!(
        !snapshot.apply(&event("dialog_put_active.xml")),
        "the same update twice changes nothing"
    );

    let dropped = Dialog::from_xml(&fixture("dialog/dropped_participant.xml")).unwrap();
    assert!(snapshot.apply(&FinesseEvent::DialogUpdated(dropped)));
    assert_eq!(
        snapshot.dialogs[CALL].state,
        DialogState::Dropped,
        "a DROPPED dialog stays until DELETE"
    );

    assert!(snapshot.apply(&event("dialogs_delete.xml")));
    assert!(snapshot.dialogs.is_empty());
    assert!(
        !snapshot.apply(&event("dialogs_delete.xml")),
        "already gone"
    );
}

#[test]
fn a_dialog_update_for_an_unknown_dialog_inserts_it() {
    let mut snapshot = Snapshot::new();
    assert!(snapshot.apply(&event("dialog_put_active.xml")));
    assert_eq!(snapshot.dialogs.len(), 1);
}

#[test]
fn user_updates_replace_the_user_only_when_different() {
    let mut snapshot = Snapshot::new();
    assert!(snapshot.apply(&event("user_put_not_ready.xml")));
    assert_eq!(snapshot.user.as_ref().unwrap().state, AgentState::NotReady);
    assert!(!snapshot.apply(&event("user_put_not_ready.xml")));
    assert!(snapshot.apply(&event("user_put_ready_push_namespace.xml")));
    assert_eq!(snapshot.user.as_ref().unwrap().state, AgentState::Ready);
}

#[test]
fn errors_and_unknown_events_leave_the_snapshot_alone() {
    let mut snapshot = Snapshot::new();
    snapshot.apply(&event("dialogs_post_alerting.xml"));
    let before = snapshot.clone();
    assert!(!snapshot.apply(&event("dialog_api_errors_request_id.xml")));
    assert!(!snapshot.apply(&event("user_api_errors_lowercase_put.xml")));
    assert!(!snapshot.apply(&event("team_message_post.xml")));
    assert!(!snapshot.apply(&event("media_dialogs_post.xml")));
    assert_eq!(snapshot, before);
}

#[test]
fn team_member_update_replaces_that_member_only() {
    let mut snapshot = Snapshot::new();
    let team = Team::from_xml(&fixture("team/team.xml")).unwrap();
    assert!(snapshot.replace_team(team.clone()));
    assert!(!snapshot.replace_team(team.clone()));

    let mut jack = team.member("1235").unwrap().clone();
    jack.state = AgentState::Ready;
    jack.reason_code = None;
    let update = FinesseEvent::TeamMemberUpdated {
        team_id: "34".into(),
        member: jack,
    };
    assert!(snapshot.apply(&update));
    assert!(!snapshot.apply(&update));
    let held = &snapshot.teams["34"];
    assert_eq!(held.users.len(), 3);
    assert_eq!(held.member("1235").unwrap().state, AgentState::Ready);
    assert_eq!(held.member("1236").unwrap().state, AgentState::Talking);
}

#[test]
fn new_team_member_is_added_and_updates_for_teams_not_held_change_nothing_yet() {
    let mut snapshot = Snapshot::new();
    assert!(
        !snapshot.apply(&event("team_user_update.xml")),
        "team 5005 is not held"
    );
    assert!(snapshot.teams.is_empty());

    snapshot.replace_team(Team {
        id: "5005".into(),
        uri: "/finesse/api/Team/5005".into(),
        name: Some("LPU_test".into()),
        users: vec![],
    });
    assert!(snapshot.apply(&event("team_user_update.xml")));
    assert_eq!(
        snapshot.teams["5005"].member("6022").unwrap().state,
        AgentState::NotReady
    );
}

#[test]
fn whole_team_update_replaces_the_team() {
    let mut snapshot = Snapshot::new();
    assert!(snapshot.apply(&event("team_update.xml")));
    assert_eq!(snapshot.teams["34"].users.len(), 3);
    assert!(snapshot.remove_team("34"));
    assert!(!snapshot.remove_team("34"));
}

#[test]
fn system_info_and_queue_updates_are_kept() {
    let mut snapshot = Snapshot::new();
    let info = SystemInfo::from_xml(&fixture("system_info/ucce_12_6.xml")).unwrap();
    assert!(snapshot.replace_system_info(info));
    assert!(snapshot.apply(&event("system_info_out_of_service.xml")));
    assert!(!snapshot.system_info.as_ref().unwrap().is_in_service());

    let queues = Queue::list_from_xml(&fixture("queues/user_queues.xml")).unwrap();
    assert!(snapshot.replace_queues(queues));
    assert!(snapshot.apply(&event("queue_update.xml")));
    assert_eq!(snapshot.queues["1234"].statistics.calls_in_queue, Some(5));
    assert_eq!(snapshot.queues.len(), 2);
    assert!(!snapshot.apply(&event("queue_update.xml")));
}

#[test]
fn replacing_dialogs_after_a_get_resets_the_set() {
    let mut snapshot = Snapshot::new();
    snapshot.apply(&event("dialog_put_active.xml"));
    let dialogs = Dialog::list_from_xml(&fixture("dialogs/held_and_consult.xml")).unwrap();
    assert!(snapshot.replace_dialogs(dialogs.clone()));
    assert_eq!(
        snapshot.dialogs.keys().collect::<Vec<_>>(),
        ["187987396", "187987401"]
    );
    assert!(!snapshot.replace_dialogs(dialogs));
    assert!(snapshot.replace_dialogs(Dialog::list_from_xml(&fixture("dialogs/empty.xml")).unwrap()));
    assert!(snapshot.dialogs.is_empty());
}

#[test]
fn silent_monitor_calls_are_not_counted_as_calls() {
    let mut snapshot = Snapshot::new();
    let monitor = Dialog::from_xml(&fixture("dialog/silent_monitor.xml")).unwrap();
    let call = Dialog::from_xml(&fixture("dialog/documented_active.xml")).unwrap();
    snapshot.replace_dialogs(vec![monitor, call]);
    let ids: Vec<&str> = snapshot.calls().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["12345678"]);
}

#[test]
fn snapshot_serializes_to_json_and_back() {
    let mut snapshot = Snapshot::new();
    snapshot.replace_user(User::from_xml(&fixture("user/documented.xml")).unwrap());
    snapshot.apply(&event("dialogs_post_alerting.xml"));
    let json = serde_json::to_value(&snapshot).unwrap();
    assert_eq!(json["user"]["state"], "NOT_READY");
    assert_eq!(json["dialogs"][CALL]["state"], "ALERTING");
    assert!(json["systemInfo"].is_null());
    let back: Snapshot = serde_json::from_value(json).unwrap();
    assert_eq!(back, snapshot);
}

#[test]
fn a_member_update_that_beats_the_team_get_outlives_the_older_get() {
    // The team GET follows the subscription; it was read before agent 6022 signed in, but
    // its answer arrives after the sign-in's notification.
    let mut snapshot = Snapshot::new();
    snapshot.apply(&event("team_user_update.xml"));
    let read_before = Team::from_xml(&fixture("team/team_5005_read_before_sign_in.xml")).unwrap();
    assert!(snapshot.replace_team(read_before));

    let team = &snapshot.teams["5005"];
    let agent = team.member("6022").unwrap();
    assert_eq!(
        agent.state,
        AgentState::NotReady,
        "the GET's LOGOUT is older"
    );
    assert_eq!(
        agent.state_change_time.as_deref(),
        Some("2023-01-13T11:15:00.000Z")
    );
    assert_eq!(team.member("6021").unwrap().state, AgentState::Ready);

    // A later GET (after a reconnect) knows better than the word it replaces.
    let read_later = Team::from_xml(&fixture("team/team_5005_read_later.xml")).unwrap();
    assert!(snapshot.replace_team(read_later));
    assert_eq!(
        snapshot.teams["5005"].member("6022").unwrap().state,
        AgentState::Ready
    );
}

#[test]
fn a_stale_team_get_does_not_undo_a_held_member_update() {
    let mut snapshot = Snapshot::new();
    let read_before = Team::from_xml(&fixture("team/team_5005_read_before_sign_in.xml")).unwrap();
    snapshot.replace_team(read_before.clone());
    assert!(snapshot.apply(&event("team_user_update.xml")));
    // The same old read comes back (e.g. a second GET answered from before the change).
    assert!(!snapshot.replace_team(read_before));
    assert_eq!(
        snapshot.teams["5005"].member("6022").unwrap().state,
        AgentState::NotReady
    );
}

#[test]
fn updates_kept_for_a_team_are_dropped_when_the_team_is_forgotten() {
    let mut snapshot = Snapshot::new();
    snapshot.apply(&event("team_user_update.xml"));
    snapshot.remove_team("5005");
    let read_before = Team::from_xml(&fixture("team/team_5005_read_before_sign_in.xml")).unwrap();
    snapshot.replace_team(read_before);
    assert_eq!(
        snapshot.teams["5005"].member("6022").unwrap().state,
        AgentState::Logout,
        "an update from a subscription that ended says nothing about the new one"
    );
}
