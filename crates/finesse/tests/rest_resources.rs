//! Typed REST resources: the paths they use, the TeamResource → User fallback, and the request
//! bodies they send.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod rest_support;
mod tls_lab;

use finesse::model::request::{DialogRequest, UserRequest};
use finesse::model::{Action, AgentState, ReasonCategory};
use rest_support::{fixture, FakeFinesse, Recorded, Reply, AGENT_ID};
use tls_lab::TlsLab;

/// A fake Finesse that serves `routes` by exact path and query, 404 for anything else.
async fn serving(lab: &TlsLab, routes: &[(&str, u16, &str)]) -> FakeFinesse {
    let routes: Vec<(String, u16, String)> = routes
        .iter()
        .map(|(path, status, file)| {
            let body = if file.is_empty() {
                String::new()
            } else {
                fixture(file)
            };
            ((*path).to_owned(), *status, body)
        })
        .collect();
    FakeFinesse::start(lab, move |request: &Recorded| {
        routes
            .iter()
            .find(|(path, _, _)| *path == request.path_and_query)
            .map(|(_, status, body)| Reply::Xml(*status, body.clone()))
            .unwrap_or_else(|| Reply::Xml(404, String::new()))
    })
    .await
}

fn paths(finesse: &FakeFinesse) -> Vec<String> {
    finesse
        .requests()
        .into_iter()
        .map(|r| format!("{} {}", r.method, r.path_and_query))
        .collect()
}

#[tokio::test]
async fn typed_gets_use_the_documented_paths() {
    let lab = TlsLab::new("typed");
    let finesse = serving(
        &lab,
        &[
            ("/finesse/api/SystemInfo", 200, "system_info.xml"),
            ("/finesse/api/User/1001001", 200, "user_not_ready.xml"),
            (
                "/finesse/api/User/ann.obrien%40corp.example",
                200,
                "user_not_ready.xml",
            ),
            ("/finesse/api/User/1001001/Dialogs", 200, "dialogs_none.xml"),
            (
                "/finesse/api/Team/5005?includeLoggedOutAgents=true",
                200,
                "team_with_logged_out.xml",
            ),
            ("/finesse/api/User/1001001/Queues", 200, "queues.xml"),
            ("/finesse/api/PhoneBook/1/Contacts", 200, "contacts.xml"),
        ],
    )
    .await;
    let client = finesse.client(&lab);

    let info = client.system_info().await.unwrap();
    assert_eq!(
        info.xmpp_pubsub_domain.as_deref(),
        Some("pubsub.fin-a.example.com")
    );
    let user = client.user(AGENT_ID).await.unwrap();
    assert_eq!(user.state, AgentState::NotReady);
    let by_name = client
        .user_by_login_name("ann.obrien@corp.example")
        .await
        .unwrap();
    assert_eq!(by_name.login_id, "1001001");
    assert!(client.dialogs(AGENT_ID).await.unwrap().is_empty());
    let team = client.team("5005", true).await.unwrap();
    assert_eq!(team.users.len(), 2);
    let queues = client.queues(AGENT_ID).await.unwrap();
    assert_eq!(queues[0].statistics.calls_in_queue, Some(3));
    let contacts = client.contacts("1").await.unwrap();
    assert_eq!(contacts.len(), 2);

    assert!(paths(&finesse).iter().all(|p| p.starts_with("GET ")));
}

#[tokio::test]
async fn team_without_logged_out_agents_sends_no_query() {
    let lab = TlsLab::new("typed");
    let finesse = serving(
        &lab,
        &[("/finesse/api/Team/5005", 200, "team_with_logged_out.xml")],
    )
    .await;
    finesse.client(&lab).team("5005", false).await.unwrap();
    assert_eq!(paths(&finesse), ["GET /finesse/api/Team/5005"]);
}

#[tokio::test]
async fn reason_codes_fall_back_from_team_resource_to_user_on_404() {
    let lab = TlsLab::new("fallback");
    let finesse = serving(
        &lab,
        &[(
            "/finesse/api/User/1001001/ReasonCodes?category=NOT_READY",
            200,
            "reason_codes_not_ready.xml",
        )],
    )
    .await;
    let codes = finesse
        .client(&lab)
        .reason_codes(AGENT_ID, Some("5005"), Some(&ReasonCategory::NotReady))
        .await
        .unwrap();
    let labels: Vec<(&str, &str)> = codes
        .iter()
        .map(|c| (c.id.as_str(), c.label.as_str()))
        .collect();
    assert_eq!(labels, [("1", "Lunch"), ("7", "Training")]);
    assert_eq!(
        paths(&finesse),
        [
            "GET /finesse/api/TeamResource/5005/ReasonCodes?category=NOT_READY",
            "GET /finesse/api/User/1001001/ReasonCodes?category=NOT_READY",
        ]
    );
}

#[tokio::test]
async fn wrap_up_reasons_fall_back_on_405() {
    let lab = TlsLab::new("fallback");
    let finesse = serving(
        &lab,
        &[
            ("/finesse/api/TeamResource/5005/WrapUpReasons", 405, ""),
            (
                "/finesse/api/User/1001001/WrapUpReasons",
                200,
                "wrap_up_reasons.xml",
            ),
        ],
    )
    .await;
    let reasons = finesse
        .client(&lab)
        .wrap_up_reasons(AGENT_ID, Some("5005"))
        .await
        .unwrap();
    assert_eq!(
        reasons.iter().map(|r| r.label.as_str()).collect::<Vec<_>>(),
        ["Product Question", "Billing"]
    );
    assert_eq!(paths(&finesse).len(), 2);
}

#[tokio::test]
async fn team_resource_is_used_when_the_server_has_it() {
    let lab = TlsLab::new("team");
    let finesse = serving(
        &lab,
        &[
            (
                "/finesse/api/TeamResource/5005/MediaPropertiesLayouts",
                200,
                "media_properties_layouts_team.xml",
            ),
            (
                "/finesse/api/TeamResource/5005/ReasonCodes?category=ALL",
                200,
                "reason_codes_not_ready.xml",
            ),
        ],
    )
    .await;
    let client = finesse.client(&lab);
    let layout = client
        .media_properties_layout(AGENT_ID, Some("5005"))
        .await
        .unwrap();
    assert_eq!(layout.name.as_deref(), Some("Sales Layout"));
    assert_eq!(layout.columns.len(), 2);
    client
        .reason_codes(AGENT_ID, Some("5005"), None)
        .await
        .unwrap();
    assert_eq!(
        paths(&finesse),
        [
            "GET /finesse/api/TeamResource/5005/MediaPropertiesLayouts",
            "GET /finesse/api/TeamResource/5005/ReasonCodes?category=ALL",
        ],
        "the per-user API is not asked when TeamResource answers"
    );
}

#[tokio::test]
async fn without_a_team_the_user_variants_are_asked_directly() {
    let lab = TlsLab::new("user");
    let finesse = serving(
        &lab,
        &[
            (
                "/finesse/api/User/1001001/MediaPropertiesLayout",
                200,
                "media_properties_layout_user.xml",
            ),
            (
                "/finesse/api/User/1001001/PhoneBooks",
                200,
                "phone_books_user.xml",
            ),
        ],
    )
    .await;
    let client = finesse.client(&lab);
    let layout = client
        .media_properties_layout(AGENT_ID, None)
        .await
        .unwrap();
    assert_eq!(layout.name.as_deref(), Some("Default Layout"));
    let books = client.phone_books(AGENT_ID, None).await.unwrap();
    assert_eq!(books[0].name, "Sales");
    assert_eq!(
        paths(&finesse),
        [
            "GET /finesse/api/User/1001001/MediaPropertiesLayout",
            "GET /finesse/api/User/1001001/PhoneBooks"
        ]
    );
}

#[tokio::test]
async fn other_team_resource_failures_are_not_papered_over() {
    let lab = TlsLab::new("team");
    let finesse = serving(
        &lab,
        &[(
            "/finesse/api/TeamResource/5005/PhoneBooks",
            401,
            "api_errors_authorization_failure.xml",
        )],
    )
    .await;
    let err = finesse
        .client(&lab)
        .phone_books(AGENT_ID, Some("5005"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "authentication_failed");
    assert_eq!(
        paths(&finesse).len(),
        1,
        "no fallback request after refused credentials"
    );
}

#[tokio::test]
async fn state_changes_and_call_actions_send_their_bodies() {
    let lab = TlsLab::new("bodies");
    let finesse = FakeFinesse::start(&lab, |_| Reply::Xml(202, String::new())).await;
    let client = finesse.client(&lab);
    let not_ready = UserRequest::ChangeState {
        state: AgentState::NotReady,
        reason_code_id: Some("1".into()),
    };
    let answer = DialogRequest::Action {
        action: Action::Answer,
        target_media_address: "1001001".into(),
    };
    let make_call = DialogRequest::MakeCall {
        from_address: "1001001".into(),
        to_address: "5551234".into(),
        call_variables: Vec::new(),
    };
    client.put_user(AGENT_ID, &not_ready).await.unwrap();
    client.put_dialog("16804377", &answer).await.unwrap();
    client.post_dialog(AGENT_ID, &make_call).await.unwrap();

    let sent: Vec<(String, String, String)> = finesse
        .requests()
        .into_iter()
        .map(|r| (r.method, r.path_and_query, r.body))
        .collect();
    assert_eq!(
        sent,
        [
            (
                "PUT".to_owned(),
                "/finesse/api/User/1001001".to_owned(),
                not_ready.to_xml()
            ),
            (
                "PUT".to_owned(),
                "/finesse/api/Dialog/16804377".to_owned(),
                answer.to_xml()
            ),
            (
                "POST".to_owned(),
                "/finesse/api/User/1001001/Dialogs".to_owned(),
                make_call.to_xml()
            ),
        ]
    );
}

#[tokio::test]
async fn an_invalid_request_is_refused_before_anything_is_sent() {
    let lab = TlsLab::new("invalid");
    let finesse = FakeFinesse::start(&lab, |_| Reply::Xml(202, String::new())).await;
    let sign_in_without_extension = UserRequest::SignIn {
        extension: " ".into(),
        mobile_agent: None,
        active_device_id: None,
    };
    let err = finesse
        .client(&lab)
        .put_user(AGENT_ID, &sign_in_without_extension)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid_request");
    assert!(finesse.requests().is_empty());
}
