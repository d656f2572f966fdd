//! XMPP `<Update>` documents compared with fixture files written from finesse-protocol.md
//! (§4.6, §8.2, §9.4), for every call flow the center simulates.
#![allow(clippy::unwrap_used)]
mod center_support;

use center_support::{assert_matches_fixture, last, only, summary, Lab};
use finesse_emulator::center::{Audience, CallId, CtiError, NodeId, Publication};

const A_DIALOGS: &str = "/finesse/api/User/1001/Dialogs";
const B_DIALOGS: &str = "/finesse/api/User/1002/Dialogs";

fn dialog_events(events: &[Publication]) -> Vec<(String, String, String)> {
    summary(events)
        .into_iter()
        .filter(|(n, _, _)| n.ends_with("/Dialogs"))
        .collect()
}

/// 1001 READY, 1002 signed in NOT_READY, a Sales customer call answered by 1001.
fn answered() -> (Lab, CallId) {
    let (mut lab, call) = Lab::with_answered_call(&[("1002", "2002")]);
    lab.clear_events();
    (lab, call)
}

#[test]
fn user_events_for_sign_in_ready_and_not_ready() {
    let mut lab = Lab::demo();
    lab.sign_in("1001", "2001");
    let events = lab.events();
    let user = only(&events, "/finesse/api/User/1001", "PUT");
    assert_eq!(user.audience, Audience::User("1001".into()));
    assert_eq!(user.origin, None, "shared state: both nodes publish");
    assert_matches_fixture(&user.update, "events/user_signed_in.xml");

    lab.ready("1001");
    let events = lab.events();
    assert_matches_fixture(
        &only(&events, "/finesse/api/User/1001", "PUT").update,
        "events/user_ready.xml",
    );
    let team = only(&events, "/finesse/api/Team/1/Users", "PUT");
    assert_eq!(team.audience, Audience::Subscribers);
    assert_matches_fixture(&team.update, "events/team_member_ready.xml");

    lab.not_ready("1001", "1");
    let events = lab.events();
    assert_matches_fixture(
        &only(&events, "/finesse/api/User/1001", "PUT").update,
        "events/user_not_ready_lunch.xml",
    );
}

#[test]
fn inbound_call_alerting_answer_hold_and_caller_hang_up_with_wrap_up() {
    let mut lab = Lab::demo();
    lab.sign_in("1001", "2001");
    lab.ready("1001");
    lab.clear_events();
    let call = lab.customer_call("5001");
    let events = lab.events();
    assert_matches_fixture(
        &only(&events, A_DIALOGS, "POST").update,
        "events/dialog_post_alerting.xml",
    );

    lab.act("1001", call, "ANSWER", "2001");
    let events = lab.events();
    assert_matches_fixture(
        &only(&events, A_DIALOGS, "PUT").update,
        "events/dialog_put_answered.xml",
    );

    lab.act("1001", call, "HOLD", "2001");
    let events = lab.events();
    assert_matches_fixture(
        &only(&events, A_DIALOGS, "PUT").update,
        "events/dialog_put_held.xml",
    );
    lab.act("1001", call, "RETRIEVE", "2001");
    lab.clear_events();

    lab.center.customer_hang_up(lab.now, call).unwrap();
    let events = lab.events();
    let puts: Vec<&Publication> = events.iter().filter(|p| p.node == A_DIALOGS).collect();
    assert_eq!(puts.len(), 3, "{:#?}", summary(&events));
    assert_matches_fixture(&puts[0].update, "events/dialog_put_caller_dropped.xml");
    assert_matches_fixture(&puts[1].update, "events/dialog_put_cleared.xml");
    assert_matches_fixture(&puts[2].update, "events/dialog_put_wrap_up.xml");
    assert_matches_fixture(
        &last(&events, "/finesse/api/User/1001").update,
        "events/user_work_ready.xml",
    );

    let body = "<Dialog><requestedAction>UPDATE_CALL_DATA</requestedAction><mediaProperties><wrapUpReason>Sale Completed</wrapUpReason></mediaProperties></Dialog>";
    let reply = lab.send(
        finesse_emulator::center::Method::Put,
        "1001",
        &format!("/finesse/api/Dialog/{call}"),
        body,
    );
    assert_eq!(reply.status, 202);
    let events = lab.events();
    assert_matches_fixture(
        &only(&events, A_DIALOGS, "PUT").update,
        "events/dialog_put_wrap_up_reason.xml",
    );

    lab.ready("1001");
    let events = lab.events();
    assert_matches_fixture(
        &only(&events, A_DIALOGS, "DELETE").update,
        "events/dialog_delete_after_wrap_up.xml",
    );
    let order = summary(&events);
    assert_eq!(
        order[0].1, "DELETE",
        "the dialog goes before the state changes: {order:#?}"
    );
}

#[test]
fn pending_state_while_talking() {
    let (mut lab, _) = answered();
    lab.not_ready("1001", "1");
    let events = lab.events();
    assert_matches_fixture(
        &only(&events, "/finesse/api/User/1001", "PUT").update,
        "events/user_talking_pending_not_ready.xml",
    );
}

#[test]
fn make_call_initiating_initiated_alerting() {
    let mut lab = Lab::demo();
    lab.sign_in("1001", "2001");
    lab.clear_events();
    let body = "<Dialog><requestedAction>MAKE_CALL</requestedAction><fromAddress>2001</fromAddress><toAddress>5551234</toAddress></Dialog>";
    assert_eq!(lab.post_dialogs("1001", body).status, 202);
    let events = lab.events();
    let seq: Vec<String> = dialog_events(&events)
        .into_iter()
        .map(|(_, e, _)| e)
        .collect();
    assert_eq!(seq, ["POST", "PUT", "PUT"]);
    let on_a: Vec<&Publication> = events.iter().filter(|p| p.node == A_DIALOGS).collect();
    assert_matches_fixture(&on_a[0].update, "events/make_call_post_initiating.xml");
    assert!(on_a[1].update.contains("<state>INITIATED</state>"));
    assert_matches_fixture(&on_a[2].update, "events/make_call_put_alerting.xml");
    // The outside party answers after the configured 3 s.
    lab.wait(3);
    let events = lab.events();
    assert!(only(&events, A_DIALOGS, "PUT")
        .update
        .contains("<state>ACTIVE</state>"));
}

#[test]
fn consult_then_transfer() {
    let (mut lab, call) = answered();
    assert_eq!(
        lab.act_to("1001", call, "CONSULT_CALL", "2001", "2002")
            .status,
        202
    );
    let events = lab.events();
    let seq = dialog_events(&events);
    let consult = lab.dialogs_of("1002")[0];
    let original_source = format!("/finesse/api/Dialog/{call}");
    let consult_source = format!("/finesse/api/Dialog/{consult}");
    assert_eq!(
        seq,
        vec![
            (
                A_DIALOGS.to_owned(),
                "PUT".to_owned(),
                original_source.clone()
            ),
            (
                A_DIALOGS.to_owned(),
                "POST".to_owned(),
                A_DIALOGS.to_owned()
            ),
            (
                A_DIALOGS.to_owned(),
                "PUT".to_owned(),
                consult_source.clone()
            ),
            (
                A_DIALOGS.to_owned(),
                "PUT".to_owned(),
                consult_source.clone()
            ),
            (
                B_DIALOGS.to_owned(),
                "POST".to_owned(),
                B_DIALOGS.to_owned()
            ),
            (
                A_DIALOGS.to_owned(),
                "PUT".to_owned(),
                original_source.clone()
            ),
        ]
    );
    assert_matches_fixture(
        &only(&events, B_DIALOGS, "POST").update,
        "events/consult_post_to_b.xml",
    );
    assert_matches_fixture(
        &events.iter().rfind(|p| p.node == A_DIALOGS).unwrap().update,
        "events/consult_put_original_can_transfer.xml",
    );

    lab.act("1002", consult, "ANSWER", "2002");
    lab.clear_events();
    assert_eq!(lab.act("1001", call, "TRANSFER", "2001").status, 202);
    let events = lab.events();
    assert_eq!(
        dialog_events(&events),
        vec![
            (
                A_DIALOGS.to_owned(),
                "DELETE".to_owned(),
                A_DIALOGS.to_owned()
            ),
            (
                A_DIALOGS.to_owned(),
                "DELETE".to_owned(),
                A_DIALOGS.to_owned()
            ),
            (
                B_DIALOGS.to_owned(),
                "DELETE".to_owned(),
                B_DIALOGS.to_owned()
            ),
            (
                B_DIALOGS.to_owned(),
                "POST".to_owned(),
                B_DIALOGS.to_owned()
            ),
        ],
        "§4.6: DELETE original on A, DELETE consult on A and B, POST original on B"
    );
    let deletes: Vec<&Publication> = events.iter().filter(|p| p.node == A_DIALOGS).collect();
    assert!(deletes[0].update.contains(&format!("<id>{call}</id>")));
    assert!(deletes[1].update.contains(&format!("<id>{consult}</id>")));
    assert_matches_fixture(
        &only(&events, B_DIALOGS, "POST").update,
        "events/transfer_post_original_to_b.xml",
    );
}

#[test]
fn consult_then_conference() {
    let (mut lab, call) = answered();
    lab.act_to("1001", call, "CONSULT_CALL", "2001", "2002");
    let consult = lab.dialogs_of("1002")[0];
    lab.act("1002", consult, "ANSWER", "2002");
    lab.clear_events();
    assert_eq!(lab.act("1001", call, "CONFERENCE", "2001").status, 202);
    let events = lab.events();
    let seq: Vec<(String, String)> = dialog_events(&events)
        .into_iter()
        .map(|(n, e, _)| (n, e))
        .collect();
    assert_eq!(
        seq,
        vec![
            (A_DIALOGS.to_owned(), "DELETE".to_owned()),
            (B_DIALOGS.to_owned(), "DELETE".to_owned()),
            (A_DIALOGS.to_owned(), "PUT".to_owned()),
            (B_DIALOGS.to_owned(), "POST".to_owned()),
        ]
    );
    assert_matches_fixture(
        &only(&events, B_DIALOGS, "POST").update,
        "events/conference_post_to_b.xml",
    );
}

#[test]
fn single_step_transfer() {
    let (mut lab, call) = answered();
    assert_eq!(
        lab.act_to("1001", call, "TRANSFER_SST", "2001", "2002")
            .status,
        202
    );
    let events = lab.events();
    let seq: Vec<(String, String)> = dialog_events(&events)
        .into_iter()
        .map(|(n, e, _)| (n, e))
        .collect();
    assert_eq!(
        seq,
        vec![
            (A_DIALOGS.to_owned(), "DELETE".to_owned()),
            (B_DIALOGS.to_owned(), "POST".to_owned())
        ]
    );
    assert_matches_fixture(
        &only(&events, B_DIALOGS, "POST").update,
        "events/sst_post_to_b.xml",
    );
}

#[test]
fn silent_monitor_and_barge() {
    let (mut lab, call) = answered();
    lab.sign_in("1000", "2000");
    lab.clear_events();
    let monitor = "<Dialog><requestedAction>SILENT_MONITOR</requestedAction><fromAddress>2000</fromAddress><toAddress>2001</toAddress></Dialog>";
    assert_eq!(lab.post_dialogs("1000", monitor).status, 202);
    let events = lab.events();
    let post = only(&events, "/finesse/api/User/1000/Dialogs", "POST");
    assert_matches_fixture(&post.update, "events/monitor_post_to_supervisor.xml");
    assert!(
        only(&events, A_DIALOGS, "POST")
            .update
            .contains("SUPERVISOR_MONITOR"),
        "the agent sees it too"
    );
    let monitor_call = lab.dialogs_of("1000")[0];

    let barge = format!(
        "<Dialog><requestedAction>BARGE_CALL</requestedAction><fromAddress>2000</fromAddress><toAddress>2001</toAddress><associatedDialogUri>/finesse/api/Dialog/{monitor_call}</associatedDialogUri></Dialog>"
    );
    assert_eq!(lab.post_dialogs("1000", &barge).status, 202);
    let events = lab.events();
    let sup: Vec<(String, String)> = summary(&events)
        .into_iter()
        .filter(|(n, _, _)| n == "/finesse/api/User/1000/Dialogs")
        .map(|(_, e, s)| (e, s))
        .collect();
    assert_eq!(sup[0].0, "DELETE", "the monitor dialog goes first");
    assert_eq!(sup[1].0, "POST");
    let posted = events
        .iter()
        .find(|p| {
            p.node == "/finesse/api/User/1000/Dialogs" && p.update.contains("<event>POST</event>")
        })
        .unwrap();
    assert_matches_fixture(&posted.update, "events/barge_post_to_supervisor.xml");
    assert!(posted.update.contains(&format!("<id>{call}</id>")));
}

#[test]
fn supervisor_state_change_event() {
    let mut lab = Lab::demo();
    lab.sign_in("1001", "2001");
    lab.ready("1001");
    lab.sign_in("1000", "2000");
    lab.clear_events();
    assert_eq!(
        lab.put_user("1000", "1001", "<User><state>NOT_READY</state></User>")
            .status,
        202
    );
    let events = lab.events();
    let user = only(&events, "/finesse/api/User/1001", "PUT");
    assert_eq!(user.audience, Audience::User("1001".into()));
    assert_matches_fixture(&user.update, "events/user_not_ready_by_supervisor.xml");
}

#[test]
fn cti_error_events() {
    let (mut lab, call) = answered();
    lab.center.fail_next_request(
        NodeId::A,
        CtiError {
            error_data: "34".into(),
            error_message: "CF_RESOURCE_OUT_OF_SERVICE".into(),
            error_type: "Call Operation Failure".into(),
        },
    );
    assert_eq!(lab.act("1001", call, "HOLD", "2001").status, 202);
    let events = lab.events();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].node, A_DIALOGS);
    assert_matches_fixture(&events[0].update, "events/api_error_injected_dialog.xml");

    let mut lab = Lab::demo();
    let reply = lab.put_user(
        "1001",
        "1001",
        "<User><state>LOGIN</state><extension>7777</extension></User>",
    );
    assert_eq!(reply.status, 202);
    let events = lab.events();
    assert_matches_fixture(
        &only(&events, "/finesse/api/User/1001", "put").update,
        "events/api_error_invalid_device.xml",
    );
    lab.put_user("1001", "1001", "<User><state>READY</state></User>");
    let events = lab.events();
    assert_matches_fixture(
        &only(&events, "/finesse/api/User/1001", "put").update,
        "events/api_error_invalid_state.xml",
    );
}

#[test]
fn system_info_event_comes_from_the_node_itself() {
    let mut lab = Lab::demo();
    lab.center
        .set_node_status(lab.now, NodeId::B, false, "CTI connection lost");
    let events = lab.events();
    let info = only(&events, "/finesse/api/SystemInfo", "PUT");
    assert_eq!(
        (info.audience.clone(), info.origin),
        (Audience::Everyone, Some(NodeId::B))
    );
    assert_matches_fixture(&info.update, "events/system_info_out_of_service.xml");
}

#[test]
fn queue_statistics_event() {
    let mut lab = Lab::demo();
    lab.sign_in("1001", "2001");
    lab.ready("1001");
    lab.sign_in("1000", "2000");
    lab.clear_events();
    lab.wait(10);
    let events = lab.events();
    let queue = only(&events, "/finesse/api/Queue/5001", "PUT");
    assert_eq!(queue.audience, Audience::Subscribers);
    assert_matches_fixture(&queue.update, "events/queue_statistics.xml");
}
