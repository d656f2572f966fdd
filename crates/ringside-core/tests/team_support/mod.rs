//! Shared helpers for the Team view tests: fixtures read with the finesse model, XMPP team
//! stanzas turned into the session events the shell feeds the board, and a board set up as
//! the shell would set it up for supervisor Dana Lee (1001005) on "First Line Support".
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use finesse::model::{Dialog, ReasonCode, Snapshot, SystemInfo, Team, TeamMember, User};
use finesse::notification::{FinesseEvent, Notification};
use finesse::session::SessionEvent;
use ringside_core::team::{TeamBoard, TeamDiff, TeamPolicy, TeamRow};

/// The supervisor's login id.
pub const SUPERVISOR: &str = "1001005";
pub const FIRST_LINE: &str = "2001";
pub const SECOND_LINE: &str = "2002";

/// Unix ms of an RFC 3339 instant.
pub fn at(instant: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(instant)
        .unwrap()
        .timestamp_millis()
}

/// "Now" in most tests: a few seconds after the fixtures' last state change.
pub fn now() -> i64 {
    at("2024-03-05T09:05:00Z")
}

pub fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/team")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn team(name: &str) -> Team {
    Team::from_xml(&fixture(&format!("{name}.xml"))).unwrap()
}

pub fn user(name: &str) -> User {
    User::from_xml(&fixture(&format!("{name}.xml"))).unwrap()
}

pub fn dialog(name: &str) -> Dialog {
    Dialog::from_xml(&fixture(&format!("{name}.xml"))).unwrap()
}

pub fn system_info(name: &str) -> SystemInfo {
    SystemInfo::from_xml(&fixture(&format!("{name}.xml"))).unwrap()
}

pub fn not_ready_reasons() -> Vec<ReasonCode> {
    ReasonCode::list_from_xml(&fixture("not_ready_reasons.xml")).unwrap()
}

/// A member of the First Line team as its GET shows it.
pub fn member(login_id: &str) -> TeamMember {
    team("first_line")
        .member(login_id)
        .cloned()
        .unwrap_or_else(|| panic!("{login_id} is not in first_line.xml"))
}

/// The session event the shell receives for an XMPP stanza fixture.
pub fn event(name: &str) -> SessionEvent {
    let notification = Notification::from_message_xml(&fixture(&format!("{name}.xml")))
        .unwrap()
        .expect("the fixture carries a notification");
    match notification.classify().unwrap() {
        FinesseEvent::TeamMemberUpdated { team_id, member } => {
            SessionEvent::TeamMemberChanged { team_id, member }
        }
        FinesseEvent::TeamUpdated(team) => SessionEvent::TeamChanged { team },
        FinesseEvent::ApiErrors { source, errors } => SessionEvent::FinesseErrors {
            source,
            request_id: None,
            errors,
        },
        other => panic!("{name}: not a team event: {other:?}"),
    }
}

/// The supervisor's snapshot: their User, their dialogs and the node's SystemInfo.
pub fn snapshot(user_fixture: &str, dialogs: &[&str], system: &str) -> Snapshot {
    let mut snapshot = Snapshot::new();
    snapshot.replace_user(user(user_fixture));
    snapshot.replace_dialogs(dialogs.iter().map(|name| dialog(name)).collect());
    snapshot.system_info = Some(system_info(system));
    snapshot
}

/// A board as the shell sets it up: teams from the User, First Line chosen and loaded,
/// the supervisor NOT_READY on UCCE and connected, reason codes known, and the first
/// (reset) diff already taken, so the next diff holds only what the test changes.
pub fn board() -> TeamBoard {
    board_with(TeamPolicy::default())
}

pub fn board_with(policy: TeamPolicy) -> TeamBoard {
    let mut board = TeamBoard::new(policy);
    let switch = board.set_teams(&user("supervisor").teams).unwrap();
    assert_eq!((switch.load.as_str(), switch.unload), (FIRST_LINE, None));
    board.set_reason_codes(&not_ready_reasons());
    board.sync_supervisor(&snapshot("supervisor", &[], "system_info_ucce"), true);
    assert!(board.load_team(&team("first_line"), now()));
    let first = board.resync(now());
    assert!(first.reset);
    board
}

/// The ids of rows, in order.
pub fn ids(rows: &[TeamRow]) -> Vec<String> {
    rows.iter().map(|row| row.id.clone()).collect()
}

/// The row of `id` in a diff.
pub fn row_in<'a>(diff: &'a TeamDiff, id: &str) -> &'a TeamRow {
    diff.rows
        .iter()
        .find(|row| row.id == id)
        .unwrap_or_else(|| panic!("no row {id} in diff {diff:#?}"))
}

/// `member` in another state since `instant` (what a team notification would carry).
pub fn in_state(login_id: &str, state: &str, instant: &str) -> TeamMember {
    let mut member = member(login_id);
    member.state = finesse::model::AgentState::from_wire(state);
    member.state_change_time = Some(instant.to_owned());
    member.reason_code = None;
    member.reason_code_id = None;
    member.pending_state = None;
    member
}
