//! Bad input never changes the center and never panics: malformed XML, wrong content
//! types, unknown or disallowed actions, oversize bodies, and a deterministic barrage of
//! mangled requests checked against the center's invariants.
#![allow(clippy::unwrap_used)]
mod center_support;

use center_support::{basic, Lab};
use finesse_emulator::center::{AgentState, CallId, Method, NodeId, RestRequest, Truth};

/// 1001 talking on a customer call, 1002 READY, supervisor 1000 NOT_READY.
fn busy_lab() -> (Lab, CallId) {
    let mut lab = Lab::demo();
    lab.sign_in("1001", "2001");
    lab.ready("1001");
    let call = lab.customer_call("5001");
    assert_eq!(lab.act("1001", call, "ANSWER", "2001").status, 202);
    lab.sign_in("1002", "2002");
    lab.ready("1002");
    lab.sign_in("1000", "2000");
    lab.clear_events();
    (lab, call)
}

fn refused_without_change(lab: &mut Lab, status: u16, request: RestRequest) {
    let before = lab.truth();
    let reply = lab.request(NodeId::A, request);
    assert_eq!(reply.status, status, "{}", reply.body);
    assert!(reply.body.contains("<ApiErrors>"), "{}", reply.body);
    assert_eq!(lab.truth(), before);
    assert!(
        lab.events().is_empty(),
        "a refused request publishes nothing"
    );
}

fn put(path: &str, user: &str, content_type: Option<&str>, body: &[u8]) -> RestRequest {
    let mut r = RestRequest::new(Method::Put, path);
    r.authorization = Some(basic(user, "ringside"));
    r.content_type = content_type.map(str::to_owned);
    r.request_id = Some("bad-1".into());
    r.body = body.to_vec();
    r
}

#[test]
fn malformed_xml_bodies_are_400_bad_request() {
    let (mut lab, call) = busy_lab();
    let dialog = format!("/finesse/api/Dialog/{call}");
    for body in [
        &b"<Dialog><requestedAction>HOLD</requestedAction>"[..],
        b"<Dialog><requestedAction>HOLD</requestedAction></Dialg>",
        b"not xml at all",
        b"",
        b"<Dialog/><Dialog/>",
        b"\xff\xfe<Dialog/>",
    ] {
        refused_without_change(
            &mut lab,
            400,
            put(&dialog, "1001", Some("application/xml"), body),
        );
    }
}

#[test]
fn wrong_content_types_are_415() {
    let (mut lab, call) = busy_lab();
    let body = b"<Dialog><requestedAction>HOLD</requestedAction><targetMediaAddress>2001</targetMediaAddress></Dialog>";
    let dialog = format!("/finesse/api/Dialog/{call}");
    for content_type in [
        None,
        Some("application/json"),
        Some("text/plain"),
        Some("application/xmlx"),
    ] {
        refused_without_change(&mut lab, 415, put(&dialog, "1001", content_type, body));
    }
    // Charset parameters and text/xml are fine.
    let reply = lab.request(
        NodeId::A,
        put(
            &dialog,
            "1001",
            Some("Application/XML; charset=UTF-8"),
            body,
        ),
    );
    assert_eq!(reply.status, 202);
}

#[test]
fn oversize_bodies_are_refused() {
    let (mut lab, _) = busy_lab();
    let body = format!(
        "<User><state>READY</state><pad>{}</pad></User>",
        " ".repeat(64 * 1024)
    );
    refused_without_change(
        &mut lab,
        400,
        put(
            "/finesse/api/User/1002",
            "1002",
            Some("application/xml"),
            body.as_bytes(),
        ),
    );
}

#[test]
fn unknown_and_disallowed_actions_change_nothing() {
    let (mut lab, call) = busy_lab();
    let dialog = format!("/finesse/api/Dialog/{call}");
    let body = |action: &str, target: &str| {
        format!("<Dialog><requestedAction>{action}</requestedAction><targetMediaAddress>{target}</targetMediaAddress></Dialog>")
            .into_bytes()
    };
    for (status, action, target) in [
        (400, "JUMP", "2001"),
        (400, "hold", "2001"),
        (400, "MAKE_CALL", "2001"),
        (401, "ANSWER", "2001"),
        (401, "RETRIEVE", "2001"),
        (401, "TRANSFER", "2001"),
        (401, "CONFERENCE", "2001"),
        (401, "ACCEPT", "2001"),
        (501, "START_RECORDING", "2001"),
        (400, "HOLD", "+14085550100"),
        (400, "HOLD", "9999"),
    ] {
        refused_without_change(
            &mut lab,
            status,
            put(
                &dialog,
                "1001",
                Some("application/xml"),
                &body(action, target),
            ),
        );
    }
    // Another agent cannot act on a dialog it does not hold.
    refused_without_change(
        &mut lab,
        404,
        put(
            &dialog,
            "1002",
            Some("application/xml"),
            &body("HOLD", "2001"),
        ),
    );
    // Missing pieces.
    refused_without_change(
        &mut lab,
        400,
        put(
            &dialog,
            "1001",
            Some("application/xml"),
            b"<Dialog><requestedAction>HOLD</requestedAction></Dialog>",
        ),
    );
    refused_without_change(
        &mut lab,
        400,
        put(
            &dialog,
            "1001",
            Some("application/xml"),
            b"<Dialog><targetMediaAddress>2001</targetMediaAddress></Dialog>",
        ),
    );
    refused_without_change(
        &mut lab,
        400,
        put(
            &dialog,
            "1001",
            Some("application/xml"),
            b"<User><requestedAction>HOLD</requestedAction></User>",
        ),
    );
}

#[test]
fn bad_user_changes_change_nothing() {
    let (mut lab, _) = busy_lab();
    for (status, user, target, body) in [
        (400, "1002", "1002", "<User><state>NOT_READY</state><reasonCodeId>77</reasonCodeId></User>"),
        (400, "1002", "1002", "<User><state>NOT_READY</state></User>"),
        (400, "1002", "1002", "<User><state>TALKING</state></User>"),
        (400, "1002", "1002", "<User/>"),
        (400, "1002", "1002", "<Dialog><state>READY</state></Dialog>"),
        (400, "1002", "1002", "<User><state>LOGOUT</state><reasonCodeId>5</reasonCodeId></User>"),
        (401, "1002", "1001", "<User><state>NOT_READY</state></User>"),
        (401, "1000", "1011", "<User><state>NOT_READY</state></User>"),
        (400, "1000", "1001", "<User><state>NOT_READY</state></User>"),
        (400, "1000", "1002", "<User><state>NOT_READY</state><reasonCodeId>1</reasonCodeId></User>"),
        (404, "1000", "4023", "<User><state>NOT_READY</state></User>"),
        (400, "1002", "1002", "<User><state>LOGIN</state><extension>20 02</extension></User>"),
        (400, "1002", "1002", "<User><state>LOGIN</state><extension>2002</extension><mobileAgent><mode>SOMETIMES</mode><dialNumber>1</dialNumber></mobileAgent></User>"),
        (400, "1002", "1002", "<User><state>LOGIN</state><extension>2002</extension><mobileAgent><mode>CALL_BY_CALL</mode></mobileAgent></User>"),
    ] {
        let request = put(&format!("/finesse/api/User/{target}"), user, Some("application/xml"), body.as_bytes());
        refused_without_change(&mut lab, status, request);
    }
}

#[test]
fn bad_dialog_posts_change_nothing() {
    let (mut lab, _) = busy_lab();
    let post = |user: &str, body: &str| {
        let mut r = put(
            &format!("/finesse/api/User/{user}/Dialogs"),
            user,
            Some("application/xml"),
            body.as_bytes(),
        );
        r.method = Method::Post;
        r
    };
    for (status, user, body) in [
        (400, "1002", "<Dialog><requestedAction>MAKE_CALL</requestedAction><fromAddress>2002</fromAddress></Dialog>"),
        (400, "1002", "<Dialog><requestedAction>MAKE_CALL</requestedAction><fromAddress>2009</fromAddress><toAddress>555</toAddress></Dialog>"),
        (400, "1002", "<Dialog><requestedAction>CONSULT_CALL</requestedAction><fromAddress>2002</fromAddress><toAddress>555</toAddress></Dialog>"),
        (400, "1001", "<Dialog><requestedAction>MAKE_CALL</requestedAction><fromAddress>2001</fromAddress><toAddress>555</toAddress></Dialog>"),
        (400, "1002", "<Dialog><requestedAction>MAKE_CALL</requestedAction><fromAddress>2002</fromAddress><toAddress>555</toAddress><mediaProperties><callvariables><CallVariable><name>callVariable1</name><value>12345678901234567890123456789012345678901</value></CallVariable></callvariables></mediaProperties></Dialog>"),
        (400, "1002", "<Dialog><requestedAction>MAKE_CALL</requestedAction><fromAddress>2002</fromAddress><toAddress>555</toAddress><mediaProperties><callvariables><CallVariable><name>bogus</name><value>x</value></CallVariable></callvariables></mediaProperties></Dialog>"),
        (401, "1001", "<Dialog><requestedAction>SILENT_MONITOR</requestedAction><fromAddress>2001</fromAddress><toAddress>2002</toAddress></Dialog>"),
        (400, "1000", "<Dialog><requestedAction>BARGE_CALL</requestedAction><fromAddress>2000</fromAddress><toAddress>2001</toAddress><associatedDialogUri>/finesse/api/Dialog/1</associatedDialogUri></Dialog>"),
    ] {
        refused_without_change(&mut lab, status, post(user, body));
    }
    let mut other = post("1001", "<Dialog/>");
    other.path = "/finesse/api/User/1001/Dialogs".into();
    other.authorization = Some(basic("1002", "ringside"));
    refused_without_change(&mut lab, 401, other);
}

#[test]
fn update_call_data_limits() {
    let (mut lab, call) = busy_lab();
    let dialog = format!("/finesse/api/Dialog/{call}");
    let update = |inner: &str| {
        format!("<Dialog><requestedAction>UPDATE_CALL_DATA</requestedAction><mediaProperties>{inner}</mediaProperties></Dialog>")
    };
    let long_ecc = format!(
        "<callvariables><CallVariable><name>user.notes</name><value>{}</value></CallVariable></callvariables>",
        "x".repeat(2001)
    );
    for inner in [
        "<wrapUpReason>This wrap-up reason is much longer than thirty-nine bytes</wrapUpReason>".to_owned(),
        long_ecc,
        "<callvariables><CallVariable><name>user.priority[0]</name><value>x</value></CallVariable></callvariables>".to_owned(),
        "<callvariables><CallVariable><name>callVariable3</name><value>caf\u{e9}</value></CallVariable></callvariables>".to_owned(),
        "<wrapUpItems><wrapUpItem>x</wrapUpItem></wrapUpItems>".to_owned(),
    ] {
        refused_without_change(&mut lab, 400, put(&dialog, "1001", Some("application/xml"), update(&inner).as_bytes()));
    }
    let ok = update("<callvariables><CallVariable><name>callVariable3</name><value>billing</value></CallVariable><CallVariable><name>user.notes</name><value>vip</value></CallVariable></callvariables>");
    assert_eq!(
        lab.request(
            NodeId::A,
            put(&dialog, "1001", Some("application/xml"), ok.as_bytes())
        )
        .status,
        202
    );
    let truth = lab.truth();
    let vars = &truth.call(call).unwrap().call_variables;
    assert!(vars
        .iter()
        .any(|v| v.name == "callVariable3" && v.value == "billing"));
    assert!(vars
        .iter()
        .any(|v| v.name == "user.notes" && v.value == "vip"));
}

/// What must hold whatever requests came in.
fn check_invariants(truth: &Truth) {
    let mut extensions = std::collections::BTreeSet::new();
    for agent in &truth.agents {
        for dialog in &agent.dialogs {
            let call = truth
                .call(*dialog)
                .unwrap_or_else(|| panic!("{} holds unknown dialog {dialog}", agent.id));
            assert!(
                call.participants
                    .iter()
                    .any(|p| p.agent_id.as_deref() == Some(agent.id.as_str())),
                "{} holds dialog {dialog} without being a participant",
                agent.id
            );
        }
        match agent.state {
            AgentState::Logout => {
                assert_eq!(agent.extension, None, "{}", agent.id);
                assert!(agent.dialogs.is_empty(), "{}", agent.id);
            }
            AgentState::Talking | AgentState::Hold | AgentState::Reserved => {
                assert!(
                    !agent.dialogs.is_empty(),
                    "{} is {:?} without a call",
                    agent.id,
                    agent.state
                )
            }
            _ => {}
        }
        if let Some(ext) = &agent.extension {
            assert!(extensions.insert(ext.clone()), "extension {ext} used twice");
        }
    }
    for call in &truth.calls {
        assert!(
            call.waiting || !call.participants.is_empty(),
            "call {} has no parties",
            call.id
        );
    }
}

/// A small deterministic generator (xorshift) so the barrage is reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

#[test]
fn a_barrage_of_mangled_requests_never_panics_or_breaks_invariants() {
    let (mut lab, _) = busy_lab();
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let users = ["1000", "1001", "1002", "1011", "agent03", "nobody"];
    let actions = [
        "ANSWER",
        "HOLD",
        "RETRIEVE",
        "DROP",
        "CONSULT_CALL",
        "TRANSFER",
        "CONFERENCE",
        "TRANSFER_SST",
        "SEND_DTMF",
        "PARTICIPANT_DROP",
        "UPDATE_CALL_DATA",
        "MAKE_CALL",
        "SILENT_MONITOR",
        "BARGE_CALL",
        "X",
    ];
    let states = ["LOGIN", "READY", "NOT_READY", "LOGOUT", "WORK", ""];
    let addresses = [
        "2000",
        "2001",
        "2002",
        "2003",
        "2011",
        "+14085550100",
        "5551234",
        "",
        "3019",
    ];
    for step in 0..2000u64 {
        if step % 7 == 0 {
            let queue: &&str = rng.pick(&["5001", "5002", "5003"]);
            let _ = lab.customer_call(queue);
        }
        if step % 11 == 0 {
            lab.wait(rng.next() % 20);
        }
        if step % 13 == 0 {
            if let Some(call) = lab.truth().calls.first().map(|c| c.id) {
                let _ = lab.center.customer_hang_up(lab.now, call);
            }
        }
        if step % 17 == 0 {
            let user = *rng.pick(&users);
            lab.center.presence_changed(
                lab.now,
                *rng.pick(&[NodeId::A, NodeId::B]),
                user,
                rng.next() % 2 == 1,
            );
        }
        let user = *rng.pick(&users);
        let calls: Vec<String> = lab
            .truth()
            .calls
            .iter()
            .map(|c| c.id.to_string())
            .chain(["1".to_owned()])
            .collect();
        let call = rng.pick(&calls).clone();
        let action = *rng.pick(&actions);
        let (method, path, body) = match rng.next() % 4 {
            0 => (
                Method::Put,
                format!("/finesse/api/User/{}", rng.pick(&users)),
                format!(
                    "<User><state>{}</state><extension>{}</extension><reasonCodeId>{}</reasonCodeId></User>",
                    rng.pick(&states),
                    rng.pick(&addresses),
                    rng.next() % 8
                ),
            ),
            1 => (
                Method::Put,
                format!("/finesse/api/Dialog/{call}"),
                format!(
                    "<Dialog><requestedAction>{action}</requestedAction><targetMediaAddress>{}</targetMediaAddress><toAddress>{}</toAddress><actionParams><ActionParam><name>dtmfString</name><value>1#</value></ActionParam></actionParams><mediaProperties><wrapUpReason>Complaint</wrapUpReason></mediaProperties></Dialog>",
                    rng.pick(&addresses),
                    rng.pick(&addresses)
                ),
            ),
            2 => (
                Method::Post,
                format!("/finesse/api/User/{user}/Dialogs"),
                format!(
                    "<Dialog><requestedAction>{action}</requestedAction><fromAddress>{}</fromAddress><toAddress>{}</toAddress><associatedDialogUri>/finesse/api/Dialog/{call}</associatedDialogUri></Dialog>",
                    rng.pick(&addresses),
                    rng.pick(&addresses)
                ),
            ),
            _ => (
                *rng.pick(&[Method::Get, Method::Delete, Method::Other]),
                rng.pick(&[
                    "/finesse/api/User/1001".to_owned(),
                    format!("/finesse/api/Dialog/{call}"),
                    "/finesse/api/Team/1?includeLoggedOutAgents=true".to_owned(),
                    "/finesse/api/User/1001/Queues".to_owned(),
                    "/finesse/api/%ff/..".to_owned(),
                ])
                .clone(),
                String::new(),
            ),
        };
        // Mangle some bodies: truncate at a random byte.
        let mut bytes = body.into_bytes();
        if rng.next() % 5 == 1 && !bytes.is_empty() {
            let cut = (rng.next() % bytes.len() as u64) as usize;
            bytes.truncate(cut);
        }
        let mut request = RestRequest::new(method, path);
        request.authorization = Some(basic(user, "ringside"));
        request.content_type = Some("application/xml".into());
        request.body = bytes;
        let node = *rng.pick(&[NodeId::A, NodeId::B]);
        let reply = lab.request(node, request);
        assert!((200..600).contains(&reply.status));
        lab.clear_events();
        check_invariants(&lab.truth());
    }
}
