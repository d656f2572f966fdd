//! The HTTPS listener: REST over HTTP/2 and HTTP/1.1, limits, OUT_OF_SERVICE, `/ws/` rules.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod net_support;

use finesse_emulator::center::NodeId;
use net_support::*;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

#[tokio::test]
async fn rest_is_served_over_http2_and_http1() {
    let lab = start_lab().await;
    let url = format!("{}/User/1001", lab.node(NodeId::A).rest_url());
    let h2 = rest_client(&lab);
    let response = h2
        .get(&url)
        .header("Authorization", basic("1001"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.version(), reqwest::Version::HTTP_2);
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers().get("content-type").unwrap(),
        "application/xml"
    );
    let user = finesse_xml::parse(&response.text().await.unwrap()).unwrap();
    assert_eq!(user.child_text("loginId"), Some("1001"));

    let h1 = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(lab.ca_pem().as_bytes()).unwrap())
        .http1_only()
        .build()
        .unwrap();
    let response = h1
        .get(&url)
        .header("Authorization", basic("1001"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.version(), reqwest::Version::HTTP_11);
    assert_eq!(response.status(), 200);
    lab.shutdown().await;
}

#[tokio::test]
async fn the_certificate_is_valid_for_the_node_address_and_localhost() {
    let lab = start_lab().await;
    let port = lab.node(NodeId::A).https_port;
    let by_name = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(lab.ca_pem().as_bytes()).unwrap())
        .resolve("localhost", lab.node(NodeId::A).https_addr())
        .build()
        .unwrap()
        .get(format!("https://localhost:{port}/finesse/api/SystemInfo"))
        .send()
        .await
        .unwrap();
    assert_eq!(by_name.status(), 200);
    let client = rest_client(&lab);
    let b = lab.node(NodeId::B);
    let by_ip = client
        .get(format!("{}/SystemInfo", b.rest_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(by_ip.status(), 200);
    lab.shutdown().await;
}

#[tokio::test]
async fn system_info_reports_the_bound_ports_and_the_asked_nodes_domain() {
    let lab = start_lab().await;
    let client = rest_client(&lab);
    let response = client
        .get(format!("{}/SystemInfo", lab.node(NodeId::B).rest_url()))
        .header("Authorization", basic("1001"))
        .send()
        .await
        .unwrap();
    let info = finesse_xml::parse(&response.text().await.unwrap()).unwrap();
    assert_eq!(info.child_text("xmppDomain"), Some("127.0.0.2"));
    assert_eq!(
        info.child_text("xmppPubSubDomain"),
        Some("pubsub.127.0.0.2")
    );
    let a = lab.node(NodeId::A);
    let port = |path: &[&str]| {
        info.descend(path)
            .and_then(|e| e.text_trimmed())
            .map(str::to_owned)
    };
    assert_eq!(
        port(&["primaryNode", "httpsPort"]),
        Some(a.https_port.to_string())
    );
    assert_eq!(
        port(&["primaryNode", "xmppPort"]),
        Some(a.xmpp_port.to_string())
    );
    assert_eq!(
        port(&["primaryNode", "xmppSecurePort"]),
        Some(a.xmpp_secure_port.to_string())
    );
    assert_eq!(
        port(&["secondaryNode", "host"]),
        Some("127.0.0.2".to_owned())
    );
    lab.shutdown().await;
}

#[tokio::test]
async fn an_oversize_body_is_refused_with_413() {
    let lab = start_lab().await;
    let client = rest_client(&lab);
    let huge = format!(
        "<User><state>READY</state><x>{}</x></User>",
        "y".repeat(512 * 1024)
    );
    let response = put_user(&client, &lab, NodeId::A, "1001", &huge).await;
    assert_eq!(response.status(), 413);
    lab.shutdown().await;
}

#[tokio::test]
async fn out_of_service_answers_503_and_publishes_system_info() {
    let lab = start_lab().await;
    let client = rest_client(&lab);
    let mut on_a =
        XmppClient::signed_in(&lab, NodeId::A, Transport::WebSocket, "1001", "tray").await;

    lab.set_out_of_service(NodeId::A, true, "CTI link lost");
    let (message, update) = on_a.event_on("/finesse/api/SystemInfo").await;
    assert_eq!(message.attr("from"), Some("pubsub.127.0.0.1"));
    assert_eq!(
        data_field(&update, "SystemInfo", "status"),
        Some("OUT_OF_SERVICE")
    );

    let url = |node: NodeId| format!("{}/User/1001", lab.node(node).rest_url());
    let refused = client
        .get(url(NodeId::A))
        .header("Authorization", basic("1001"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 503);
    let body = finesse_xml::parse(&refused.text().await.unwrap()).unwrap();
    assert_eq!(
        body.descend(&["ApiError", "ErrorMessage"]).unwrap().text,
        "SERVER_OUT_OF_SERVICE"
    );
    let other = client
        .get(url(NodeId::B))
        .header("Authorization", basic("1001"))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 200, "node B is still in service");

    lab.set_out_of_service(NodeId::A, false, "");
    let (_, update) = on_a.event_on("/finesse/api/SystemInfo").await;
    assert_eq!(
        data_field(&update, "SystemInfo", "status"),
        Some("IN_SERVICE")
    );
    let served = client
        .get(url(NodeId::A))
        .header("Authorization", basic("1001"))
        .send()
        .await
        .unwrap();
    assert_eq!(served.status(), 200);
    lab.shutdown().await;
}

#[tokio::test]
async fn paths_outside_the_api_are_404_and_ws_needs_an_xmpp_websocket() {
    let lab = start_lab().await;
    let client = rest_client(&lab);
    let base = lab.node(NodeId::A).https_base_url();
    assert_eq!(
        client
            .get(format!("{base}/desktop/"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        client
            .get(format!("{base}/ws/"))
            .send()
            .await
            .unwrap()
            .status(),
        400
    );

    let request = lab
        .node(NodeId::A)
        .websocket_url()
        .into_client_request()
        .unwrap();
    let refused = tokio_tungstenite::connect_async_tls_with_config(
        request,
        None,
        true,
        Some(tokio_tungstenite::Connector::Rustls(tls_client_config(
            &lab,
        ))),
    )
    .await;
    assert!(
        refused.is_err(),
        "a WebSocket without the xmpp subprotocol is refused"
    );
    lab.shutdown().await;
}
