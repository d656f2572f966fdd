//! REST replies compared with fixture files written from finesse-protocol.md (§3–§8).
#![allow(clippy::unwrap_used)]
mod center_support;

use center_support::{assert_matches_fixture, basic, normalise, Lab};
use finesse_emulator::center::{Method, NodeId, RestReply, RestRequest};
use finesse_emulator::config::{Flavour, LabConfig};

fn ok(reply: &RestReply) -> &str {
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.header("Content-Type"), Some("application/xml"));
    assert!(reply
        .body
        .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"));
    &reply.body
}

fn error(reply: &RestReply, status: u16) -> &str {
    assert_eq!(reply.status, status, "{}", reply.body);
    assert_eq!(reply.header("Content-Type"), Some("application/xml"));
    &reply.body
}

#[test]
fn fixture_comparison_detects_differences() {
    let doc = |s: &str| normalise(&finesse_xml::parse(s).unwrap());
    assert_ne!(
        doc("<a><b>1</b><c>2</c></a>"),
        doc("<a><c>2</c><b>1</b></a>"),
        "order"
    );
    assert_ne!(doc("<a><b>1</b></a>"), doc("<a><B>1</B></a>"), "case");
    assert_ne!(doc("<a><b>1</b></a>"), doc("<a><b>2</b></a>"), "text");
    assert_eq!(
        doc("<a><t>2019-12-11T07:02:28.518Z</t><id>187987396</id></a>"),
        doc("<a>\n <t>2025-01-01T00:00:01.000Z</t>\n <id>16804377</id>\n</a>"),
        "volatile values and indentation"
    );
}

#[test]
fn system_info_reports_the_asked_node_and_needs_no_credentials() {
    let mut lab = Lab::demo();
    let reply = lab.request(
        NodeId::A,
        RestRequest::new(Method::Get, "/finesse/api/SystemInfo"),
    );
    assert_matches_fixture(ok(&reply), "rest/system_info_node_a.xml");
    lab.center
        .set_node_status(lab.now, NodeId::B, false, "CTI connection lost");
    let reply = lab.request(
        NodeId::B,
        RestRequest::new(Method::Get, "/finesse/api/SystemInfo"),
    );
    assert_matches_fixture(ok(&reply), "rest/system_info_node_b_out_of_service.xml");
}

#[test]
fn user_objects_follow_the_real_alphabetical_shape() {
    let mut lab = Lab::demo();
    lab.sign_in("1001", "2001");
    assert_matches_fixture(
        ok(&lab.get("1001", "/finesse/api/User/1001")),
        "rest/user_signed_in.xml",
    );
    lab.not_ready("1001", "1");
    assert_matches_fixture(
        ok(&lab.get("1001", "/finesse/api/User/1001")),
        "rest/user_not_ready_lunch.xml",
    );
    assert_matches_fixture(
        ok(&lab.get("1002", "/finesse/api/User/1002")),
        "rest/user_logged_out.xml",
    );
    lab.sign_in("1000", "2000");
    lab.ready("1000");
    assert_matches_fixture(
        ok(&lab.get("1000", "/finesse/api/User/1000")),
        "rest/user_supervisor_ready.xml",
    );
}

#[test]
fn multi_line_and_mobile_agent_users() {
    let mut lab = Lab::demo();
    let body = "<User><state>LOGIN</state><extension>2018</extension><activeDeviceId>SEP001122331018</activeDeviceId></User>";
    assert_eq!(lab.put_user("1018", "1018", body).status, 202);
    assert_matches_fixture(
        ok(&lab.get("1018", "/finesse/api/User/1018")),
        "rest/user_multi_line.xml",
    );

    let body = "<User><state>LOGIN</state><extension>3019</extension><mobileAgent><mode>NAILED_CONNECTION</mode><dialNumber>4085551234</dialNumber></mobileAgent></User>";
    assert_eq!(lab.put_user("1019", "1019", body).status, 202);
    assert_matches_fixture(
        ok(&lab.get("1019", "/finesse/api/User/1019")),
        "rest/user_mobile_agent.xml",
    );
    // The other node does not know the mobile-agent details (§3.1).
    let mut on_b = RestRequest::new(Method::Get, "/finesse/api/User/1019");
    on_b.authorization = Some(basic("1019", "ringside"));
    let reply = lab.request(NodeId::B, on_b);
    assert!(!ok(&reply).contains("mobileAgent"));
}

#[test]
fn ucce_user_can_be_read_by_login_name() {
    let mut lab = Lab::demo();
    lab.sign_in("1001", "2001");
    let reply = lab.get("agent01", "/finesse/api/User/agent01");
    assert_matches_fixture(ok(&reply), "rest/user_signed_in.xml");
}

#[test]
fn dialogs_and_dialog() {
    let mut lab = Lab::demo();
    lab.sign_in("1001", "2001");
    assert_matches_fixture(
        ok(&lab.get("1001", "/finesse/api/User/1001/Dialogs")),
        "rest/dialogs_empty.xml",
    );
    lab.ready("1001");
    let call = lab.customer_call("5001");
    assert_matches_fixture(
        ok(&lab.get("1001", "/finesse/api/User/1001/Dialogs")),
        "rest/dialogs_alerting.xml",
    );
    lab.wait(3);
    assert_eq!(lab.act("1001", call, "ANSWER", "2001").status, 202);
    let reply = lab.get("1001", &format!("/finesse/api/Dialog/{call}"));
    assert_matches_fixture(ok(&reply), "rest/dialog_active.xml");
}

#[test]
fn reason_codes_by_category_for_the_users_team() {
    let mut lab = Lab::demo();
    let reply = lab.get(
        "1001",
        "/finesse/api/User/1001/ReasonCodes?category=NOT_READY&nocache=1700000000000",
    );
    assert_matches_fixture(ok(&reply), "rest/reason_codes_not_ready_team_1.xml");
    let reply = lab.get("1001", "/finesse/api/User/1001/ReasonCodes?category=LOGOUT");
    assert_matches_fixture(ok(&reply), "rest/reason_codes_logout.xml");
    let reply = lab.get("1011", "/finesse/api/User/1011/ReasonCode/4");
    assert_matches_fixture(ok(&reply), "rest/reason_code_training.xml");
    assert_eq!(
        lab.get("1001", "/finesse/api/User/1001/ReasonCode/4")
            .status,
        404,
        "not for team 1"
    );
    let reply = lab.get(
        "1011",
        "/finesse/api/TeamResource/2/ReasonCodes?category=ALL",
    );
    assert_matches_fixture(ok(&reply), "rest/team_reason_codes_all_team_2.xml");
    let reply = lab.get("1001", "/finesse/api/User/1001/ReasonCodes");
    assert!(error(&reply, 400).contains("<ErrorType>Parameter Missing</ErrorType>"));
}

#[test]
fn wrap_up_reasons_layouts_phone_books_and_contacts() {
    let mut lab = Lab::demo();
    assert_matches_fixture(
        ok(&lab.get("1001", "/finesse/api/User/1001/WrapUpReasons")),
        "rest/wrap_up_reasons.xml",
    );
    assert_matches_fixture(
        ok(&lab.get("1001", "/finesse/api/User/1001/WrapUpReason/2")),
        "rest/wrap_up_reason.xml",
    );
    assert_matches_fixture(
        ok(&lab.get("1001", "/finesse/api/TeamResource/1/WrapUpReasons")),
        "rest/team_wrap_up_reasons.xml",
    );
    assert_matches_fixture(
        ok(&lab.get("1001", "/finesse/api/User/1001/MediaPropertiesLayout")),
        "rest/layout.xml",
    );
    assert_matches_fixture(
        ok(&lab.get("1001", "/finesse/api/TeamResource/1/MediaPropertiesLayouts")),
        "rest/team_layouts.xml",
    );
    assert_matches_fixture(
        ok(&lab.get("1001", "/finesse/api/User/1001/PhoneBooks")),
        "rest/phone_books_team_1.xml",
    );
    assert_matches_fixture(
        ok(&lab.get("1011", "/finesse/api/User/1011/PhoneBooks")),
        "rest/phone_books_team_2.xml",
    );
    assert_matches_fixture(
        ok(&lab.get("1001", "/finesse/api/TeamResource/1/PhoneBooks")),
        "rest/team_phone_books.xml",
    );
    assert_matches_fixture(
        ok(&lab.get("1011", "/finesse/api/PhoneBook/1/Contacts")),
        "rest/contacts.xml",
    );
    assert_eq!(
        lab.get("1011", "/finesse/api/PhoneBook/2/Contacts").status,
        404,
        "team 1's book"
    );
    assert_eq!(
        lab.get("1011", "/finesse/api/TeamResource/1/PhoneBooks")
            .status,
        401,
        "not a member"
    );
}

#[test]
fn queues_with_statistics() {
    let mut lab = Lab::demo();
    lab.sign_in("1001", "2001");
    lab.ready("1001");
    let call = lab.customer_call("5001");
    lab.act("1001", call, "ANSWER", "2001");
    lab.sign_in("1002", "2002");
    lab.sign_in("1011", "2011");
    lab.customer_call("5003");
    let reply = lab.get("1001", "/finesse/api/User/1001/Queues");
    assert_matches_fixture(ok(&reply), "rest/queues_agent_1001.xml");
    let reply = lab.get("1001", "/finesse/api/Queue/5002");
    assert!(error(&reply, 401).contains("Invalid Authorization User Specified"));

    let mut config = LabConfig::demo();
    config.flavour = Flavour::Uccx;
    let mut uccx = Lab::with(config);
    assert_matches_fixture(
        ok(&uccx.get("1011", "/finesse/api/Queue/5002")),
        "rest/queue_uccx.xml",
    );
}

#[test]
fn team_for_its_supervisor() {
    let mut lab = Lab::demo();
    lab.sign_in("1000", "2000");
    lab.ready("1000");
    lab.sign_in("1001", "2001");
    lab.not_ready("1001", "1");
    let reply = lab.get("1000", "/finesse/api/Team/1");
    assert_matches_fixture(ok(&reply), "rest/team_signed_in_members.xml");
    let all = lab.get("1000", "/finesse/api/Team/1?includeLoggedOutAgents=true");
    let team = finesse_xml::parse(ok(&all)).unwrap();
    assert_eq!(
        team.child("users").unwrap().children_named("User").count(),
        11
    );
    assert_eq!(
        lab.get("1001", "/finesse/api/Team/1").status,
        401,
        "agents cannot read the team"
    );
    assert_matches_fixture(
        error(&lab.get("1000", "/finesse/api/Team/77"), 404),
        "rest/error_team_not_found.xml",
    );
}

#[test]
fn authentication_errors() {
    let mut lab = Lab::demo();
    let mut no_auth = RestRequest::new(Method::Get, "/finesse/api/User/1001");
    no_auth.authorization = None;
    let reply = lab.request(NodeId::A, no_auth);
    assert_matches_fixture(
        error(&reply, 401),
        "rest/error_unauthorized_no_credentials.xml",
    );
    let mut bad = RestRequest::new(Method::Get, "/finesse/api/User/1001");
    bad.authorization = Some(basic("1001", "wrong"));
    let reply = lab.request(NodeId::A, bad);
    assert_matches_fixture(error(&reply, 401), "rest/error_unauthorized.xml");
    assert_matches_fixture(
        error(&lab.get("1001", "/finesse/api/User/1002"), 401),
        "rest/error_user_mismatch.xml",
    );
    assert_matches_fixture(
        error(&lab.get("1000", "/finesse/api/User/4023"), 404),
        "rest/error_user_not_found.xml",
    );
}

#[test]
fn user_put_errors() {
    let mut lab = Lab::demo();
    let reply = lab.put_user("1001", "1001", "<User><state>LOGIN</state></User>");
    assert_matches_fixture(
        error(&reply, 400),
        "rest/error_parameter_missing_extension.xml",
    );
    assert_eq!(
        reply.header("requestId"),
        Some("req-1001"),
        "echoed on errors too"
    );
    lab.sign_in("1001", "2001");
    let reply = lab.put_user("1001", "1001", "<User><state>WORK_READY</state></User>");
    assert_matches_fixture(error(&reply, 400), "rest/error_invalid_user_state.xml");
    lab.ready("1001");
    let reply = lab.put_user(
        "1001",
        "1001",
        "<User><state>LOGOUT</state><reasonCodeId>5</reasonCodeId></User>",
    );
    assert_matches_fixture(error(&reply, 400), "rest/error_logout_from_ready.xml");
    lab.sign_in("1000", "2000");
    lab.sign_in("1011", "2011");
    let reply = lab.put_user("1000", "1011", "<User><state>READY</state></User>");
    assert_matches_fixture(error(&reply, 401), "rest/error_invalid_supervisor.xml");
}

#[test]
fn accepted_changes_are_202_with_an_empty_body_and_the_request_id() {
    let mut lab = Lab::demo();
    let reply = lab.put_user(
        "1001",
        "1001",
        "<User><state>LOGIN</state><extension>2001</extension></User>",
    );
    assert_eq!(reply.status, 202);
    assert!(reply.body.is_empty());
    assert_eq!(reply.header("requestId"), Some("req-1001"));
}

#[test]
fn dialog_errors() {
    let mut lab = Lab::demo();
    lab.sign_in("1001", "2001");
    lab.ready("1001");
    let call = lab.customer_call("5001");
    assert_matches_fixture(
        error(&lab.act("1001", call, "HOLD", "2001"), 401),
        "rest/error_action_not_allowed.xml",
    );
    assert_matches_fixture(
        error(&lab.act("1001", call, "FLY", "2001"), 400),
        "rest/error_unknown_action.xml",
    );
    assert_matches_fixture(
        error(&lab.get("1001", "/finesse/api/Dialog/12345678"), 404),
        "rest/error_dialog_unknown.xml",
    );
    let reply = lab.send(Method::Put, "1001", "/finesse/api/Dialog/12345678", "<Dialog><requestedAction>ANSWER</requestedAction><targetMediaAddress>2001</targetMediaAddress></Dialog>");
    assert_matches_fixture(error(&reply, 404), "rest/error_dialog_not_found.xml");
    lab.act("1001", call, "ANSWER", "2001");
    lab.center.customer_hang_up(lab.now, call).unwrap();
    lab.not_ready("1001", "1");
    let body = "<Dialog><requestedAction>MAKE_CALL</requestedAction><fromAddress>2001</fromAddress><toAddress>2001</toAddress></Dialog>";
    assert_matches_fixture(
        error(&lab.post_dialogs("1001", body), 400),
        "rest/error_invalid_destination.xml",
    );
}

#[test]
fn transport_level_errors() {
    let mut lab = Lab::demo();
    let reply = lab.send(Method::Post, "1001", "/finesse/api/User/1001", "<User/>");
    assert_matches_fixture(error(&reply, 405), "rest/error_method_not_allowed.xml");
    assert_eq!(reply.header("Allow"), Some("GET,OPTIONS,HEAD,PUT"));

    let mut json = RestRequest::new(Method::Put, "/finesse/api/User/1001");
    json.authorization = Some(basic("1001", "ringside"));
    json.content_type = Some("application/json".into());
    json.body = br#"{"state":"READY"}"#.to_vec();
    assert_matches_fixture(
        error(&lab.request(NodeId::A, json), 415),
        "rest/error_unsupported_media_type.xml",
    );

    let reply = lab.put_user("1001", "1001", "<User><state>LOGIN</state>");
    assert_matches_fixture(error(&reply, 400), "rest/error_bad_request_xml.xml");
    let huge = format!(
        "<User><state>LOGIN</state><extension>2001</extension><x>{}</x></User>",
        "a".repeat(70_000)
    );
    assert_matches_fixture(
        error(&lab.put_user("1001", "1001", &huge), 400),
        "rest/error_bad_request_too_large.xml",
    );

    lab.center
        .set_node_status(lab.now, NodeId::A, false, "CTI connection lost");
    assert_matches_fixture(
        error(&lab.get("1001", "/finesse/api/User/1001"), 503),
        "rest/error_out_of_service.xml",
    );
    assert_eq!(lab.get("1001", "/finesse/api/SystemInfo").status, 200);
    assert_eq!(
        lab.get("1001", "/finesse/api/Nothing").status,
        503,
        "out of service before routing"
    );
    lab.center.set_node_status(lab.now, NodeId::A, true, "");
    assert_eq!(lab.get("1001", "/finesse/api/Nothing").status, 404);
}
