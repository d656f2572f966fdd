//! The REST client against a tiny HTTPS Finesse: headers, requestId, error classification,
//! timeouts, broken connections, trust.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod rest_support;
mod tls_lab;

use std::time::Duration;

use base64::Engine;
use finesse::rest::{RestClient, RestError};
use rest_support::{fixture, FakeFinesse, Reply, AGENT_ID, PASSWORD};
use tls_lab::TlsLab;

const USER_PATH: &str = "/finesse/api/User/1001001";

async fn always(lab: &TlsLab, status: u16, body: String) -> FakeFinesse {
    FakeFinesse::start(lab, move |_| Reply::Xml(status, body.clone())).await
}

#[tokio::test]
async fn every_put_gets_a_fresh_uuid_request_id_returned_on_202() {
    let lab = TlsLab::new("rest");
    let finesse = always(&lab, 202, String::new()).await;
    let client = finesse.client(&lab);

    let first = client
        .put_xml(USER_PATH, "<User><state>READY</state></User>")
        .await
        .unwrap();
    let second = client
        .post_xml("/finesse/api/User/1001001/Dialogs", "<Dialog/>")
        .await
        .unwrap();

    let sent: Vec<String> = finesse
        .requests()
        .iter()
        .map(|r| r.header("requestId").expect("requestId header").to_owned())
        .collect();
    assert_eq!(sent, [first.request_id.clone(), second.request_id.clone()]);
    assert_ne!(first.request_id, second.request_id);
    for id in &sent {
        assert_eq!(uuid::Uuid::parse_str(id).unwrap().get_version_num(), 4);
    }
}

#[tokio::test]
async fn a_200_with_an_empty_body_is_accepted_too() {
    let lab = TlsLab::new("rest");
    let finesse = always(&lab, 200, String::new()).await;
    let accepted = finesse
        .client(&lab)
        .delete("/finesse/api/User/1001001/Queues/7")
        .await
        .unwrap();
    assert_eq!(
        finesse.requests()[0].header("requestId"),
        Some(accepted.request_id.as_str())
    );
}

#[tokio::test]
async fn every_request_carries_basic_auth_and_xml_headers() {
    let lab = TlsLab::new("rest");
    let finesse = FakeFinesse::start(&lab, |r| match r.method.as_str() {
        "GET" => Reply::Xml(200, fixture("user_not_ready.xml")),
        _ => Reply::Xml(202, String::new()),
    })
    .await;
    let client = finesse.client(&lab);
    client.get_xml(USER_PATH).await.unwrap();
    client
        .put_xml(USER_PATH, "<User><state>READY</state></User>")
        .await
        .unwrap();

    let expected_auth = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{AGENT_ID}:{PASSWORD}"))
    );
    let requests = finesse.requests();
    let [get, put] = requests.as_slice() else {
        panic!("two requests expected")
    };
    for request in [get, put] {
        assert_eq!(
            request.header("authorization"),
            Some(expected_auth.as_str())
        );
        assert_eq!(request.header("accept"), Some("application/xml"));
        assert_eq!(request.path_and_query, USER_PATH);
    }
    assert_eq!(get.header("requestId"), None, "GETs carry no requestId");
    assert_eq!(put.header("content-type"), Some("application/xml"));
    assert_eq!(put.body, "<User><state>READY</state></User>");
}

#[tokio::test]
async fn an_authorization_failure_is_terminal_and_sent_only_once() {
    let lab = TlsLab::new("rest");
    let finesse = always(&lab, 401, fixture("api_errors_authorization_failure.xml")).await;
    let err = finesse.client(&lab).user(AGENT_ID).await.unwrap_err();

    assert_eq!(err.code(), "authentication_failed");
    assert!(err.is_authentication_failure());
    assert!(!err.is_retryable());
    assert_eq!(
        err.api_errors()[0].error_message.as_deref(),
        Some("UNAUTHORIZED")
    );
    assert_eq!(
        finesse.requests().len(),
        1,
        "a refused password is never sent twice"
    );
}

#[tokio::test]
async fn out_of_service_is_a_retryable_503() {
    let lab = TlsLab::new("rest");
    let finesse = always(&lab, 503, fixture("api_errors_out_of_service.xml")).await;
    let err = finesse
        .client(&lab)
        .put_xml(USER_PATH, "<User/>")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "out_of_service");
    assert!(err.is_retryable());
    assert_eq!(err.status(), Some(503));
    assert_eq!(
        err.api_errors()[0].error_message.as_deref(),
        Some("SERVER_OUT_OF_SERVICE")
    );
    assert_eq!(finesse.requests().len(), 1);
}

#[tokio::test]
async fn api_errors_are_read_in_either_element_order() {
    let lab = TlsLab::new("rest");
    let mut seen = Vec::new();
    for body in [
        "api_errors_parameter_missing.xml",
        "api_errors_parameter_missing_reordered.xml",
    ] {
        let finesse = always(&lab, 400, fixture(body)).await;
        let err = finesse
            .client(&lab)
            .put_xml(USER_PATH, "<User/>")
            .await
            .unwrap_err();
        assert_eq!(err.code(), "bad_request", "{body}");
        seen.push(err.api_errors().to_vec());
    }
    assert_eq!(seen[0], seen[1]);
    let error = &seen[0][0];
    assert_eq!(error.error_type.as_deref(), Some("Parameter Missing"));
    assert_eq!(error.error_data.as_deref(), Some("extension"));
    assert_eq!(
        error.error_message.as_deref(),
        Some("extension is required for LOGIN")
    );
}

#[tokio::test]
async fn wrong_user_and_invalid_state_are_told_apart_from_bad_passwords() {
    let lab = TlsLab::new("rest");
    let finesse = FakeFinesse::start(&lab, |r| {
        if r.path_and_query.ends_with("/1001002") {
            Reply::Xml(401, fixture("api_errors_invalid_user.xml"))
        } else {
            Reply::Xml(400, fixture("api_errors_invalid_state.xml"))
        }
    })
    .await;
    let client = finesse.client(&lab);
    let wrong_user = client
        .put_xml("/finesse/api/User/1001002", "<User/>")
        .await
        .unwrap_err();
    assert_eq!(wrong_user.code(), "forbidden_user");
    assert!(!wrong_user.is_authentication_failure());
    let invalid_state = client.put_xml(USER_PATH, "<User/>").await.unwrap_err();
    assert_eq!(invalid_state.code(), "invalid_state");
    assert_eq!(
        invalid_state.api_errors()[0].error_data.as_deref(),
        Some("READY")
    );
}

#[tokio::test]
async fn a_server_that_never_answers_is_a_timeout() {
    let lab = TlsLab::new("rest");
    let finesse = FakeFinesse::start(&lab, |_| Reply::Never).await;
    let mut config = finesse.config(&lab);
    config.timeout = Duration::from_millis(300);
    let err = RestClient::new(config)
        .unwrap()
        .get_xml(USER_PATH)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "timeout");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_socket_dropped_mid_response_is_connection_lost() {
    let lab = TlsLab::new("rest");
    let finesse = FakeFinesse::start(&lab, |_| Reply::DropMidBody).await;
    let err = finesse.client(&lab).get_xml(USER_PATH).await.unwrap_err();
    assert_eq!(err.code(), "connection_lost", "{err}");
    assert!(!err.is_retryable(), "the request may have been applied");
}

#[tokio::test]
async fn a_refused_connection_is_a_retryable_connect_error() {
    let lab = TlsLab::new("rest");
    let finesse = always(&lab, 200, String::new()).await;
    let mut config = finesse.config(&lab);
    let unused = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    config.node.port = unused.local_addr().unwrap().port();
    drop(unused);
    let err = RestClient::new(config)
        .unwrap()
        .get_xml(USER_PATH)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "connect", "{err}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_certificate_from_an_untrusted_ca_is_a_tls_error_and_nothing_is_sent() {
    let server_lab = TlsLab::new("server");
    let client_lab = TlsLab::new("client");
    let finesse = always(&server_lab, 200, fixture("user_not_ready.xml")).await;
    let err = finesse
        .client(&client_lab)
        .get_xml(USER_PATH)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "tls", "{err}");
    assert!(!err.is_retryable());
    assert!(finesse.requests().is_empty());
}

#[tokio::test]
async fn a_truncated_document_is_a_malformed_response() {
    let lab = TlsLab::new("rest");
    let finesse = always(&lab, 200, fixture("truncated_user.xml")).await;
    let err = finesse.client(&lab).user(AGENT_ID).await.unwrap_err();
    assert_eq!(err.code(), "malformed_response", "{err}");
}

#[tokio::test]
async fn a_missing_ca_file_fails_when_building_the_client() {
    let lab = TlsLab::new("rest");
    let finesse = always(&lab, 200, String::new()).await;
    let mut config = finesse.config(&lab);
    config.trust = finesse::tls::TrustSettings::with_extra_ca("/nonexistent/ringside-ca.pem");
    let err = RestClient::new(config).unwrap_err();
    assert_eq!(err.code(), "ca_file_unreadable");
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let lab = TlsLab::new("rest");
    let finesse = always(&lab, 301, String::new()).await;
    let err = finesse.client(&lab).get_xml(USER_PATH).await.unwrap_err();
    assert!(
        matches!(err, RestError::UnexpectedStatus(ref h) if h.status == 301),
        "{err}"
    );
    assert_eq!(finesse.requests().len(), 1);
}
