//! The HTTPS listener of a node: `/finesse/api/...` goes to the center's pure REST function,
//! `/ws/` is XMPP over WebSocket. HTTP/1.1 and HTTP/2 are negotiated by ALPN.
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::center::{Method, NodeId, RestReply, RestRequest};

use super::xmpp::session::{StreamPlace, XmppServices};
use super::xmpp::splitter::SplitLimits;
use super::xmpp::websocket::{serve_websocket, SUBPROTOCOL};

/// Largest REST request body accepted; Finesse bodies are a few kilobytes.
pub const MAX_REST_BODY_BYTES: usize = 256 * 1024;
/// WebSocket messages above the XMPP stanza limit are refused by the XMPP layer with a
/// stream error; this transport limit only guards memory.
const MAX_WEBSOCKET_MESSAGE_BYTES: usize = 1024 * 1024;
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(15);

/// The REST side of the lab.
pub trait RestService: Send + Sync {
    /// The center's REST function for a request that arrived on `node`.
    fn handle_rest(&self, node: NodeId, request: RestRequest) -> RestReply;
}

/// One node's HTTPS application.
#[derive(Clone)]
pub struct HttpsApp {
    pub place: StreamPlace,
    pub rest: Arc<dyn RestService>,
    pub xmpp: Arc<dyn XmppServices>,
    pub xmpp_limits: SplitLimits,
    /// Cancelled when the node stops: WebSocket sessions end with it.
    pub stop: CancellationToken,
    /// Tracks the node's XMPP sessions (for a graceful shutdown).
    pub sessions: TaskTracker,
    /// Cancelled when the server shuts down: streams end with `<system-shutdown/>`.
    pub closing: CancellationToken,
}

impl HttpsApp {
    fn router(self) -> axum::Router {
        axum::Router::new()
            .route("/finesse/api/{*rest}", any(rest))
            .route("/ws", any(websocket))
            .route("/ws/", any(websocket))
            .fallback(not_found)
            .with_state(self)
    }

    /// Accept TLS connections until `stop` is cancelled; connections end with it.
    pub async fn run(self, listener: TcpListener, tls: TlsAcceptor) {
        let stop = self.stop.clone();
        let service = TowerToHyperService::new(self.router());
        loop {
            let accepted = tokio::select! {
                accepted = listener.accept() => accepted,
                () = stop.cancelled() => return,
            };
            let (stream, peer) = match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    tracing::warn!(%error, "accepting an HTTPS connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let _ = stream.set_nodelay(true);
            let tls = tls.clone();
            let service = service.clone();
            let stop = stop.clone();
            tokio::spawn(async move {
                let tls_stream =
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, tls.accept(stream)).await {
                        Ok(Ok(s)) => s,
                        Ok(Err(error)) => {
                            tracing::debug!(%peer, %error, "HTTPS TLS handshake failed");
                            return;
                        }
                        Err(_) => return,
                    };
                let builder = auto::Builder::new(TokioExecutor::new());
                let connection =
                    builder.serve_connection_with_upgrades(TokioIo::new(tls_stream), service);
                tokio::select! {
                    result = connection => {
                        if let Err(error) = result {
                            tracing::debug!(%peer, %error, "HTTPS connection ended with an error");
                        }
                    }
                    () = stop.cancelled() => {}
                }
            });
        }
    }
}

async fn rest(State(app): State<HttpsApp>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(body, MAX_REST_BODY_BYTES).await {
        Ok(bytes) => bytes.to_vec(),
        Err(_) => return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response(),
    };
    let method = match parts.method.as_str() {
        "GET" => Method::Get,
        "PUT" => Method::Put,
        "POST" => Method::Post,
        "DELETE" => Method::Delete,
        _ => Method::Other,
    };
    let header_text = |headers: &HeaderMap, name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let request = RestRequest {
        method,
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or("").to_owned(),
        authorization: header_text(&parts.headers, header::AUTHORIZATION.as_str()),
        content_type: header_text(&parts.headers, header::CONTENT_TYPE.as_str()),
        request_id: header_text(&parts.headers, "requestid"),
        body,
    };
    let reply = app.rest.handle_rest(app.place.node, request);
    reply_to_response(reply)
}

fn reply_to_response(reply: RestReply) -> Response {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let has_content_type = reply.header("content-type").is_some();
    let body_empty = reply.body.is_empty();
    let mut response = Response::new(Body::from(reply.body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    for (name, value) in &reply.headers {
        match (
            HeaderName::try_from(name.as_str()),
            HeaderValue::try_from(value.as_str()),
        ) {
            (Ok(name), Ok(value)) => {
                headers.append(name, value);
            }
            _ => tracing::warn!(header = %name, "center produced an invalid header; not sent"),
        }
    }
    if !has_content_type && !body_empty {
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/xml"),
        );
    }
    response
}

async fn websocket(
    State(app): State<HttpsApp>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let Ok(upgrade) = upgrade else {
        return (
            StatusCode::BAD_REQUEST,
            "XMPP over WebSocket only (RFC 7395)",
        )
            .into_response();
    };
    let upgrade = upgrade.protocols([SUBPROTOCOL]);
    if upgrade.selected_protocol().is_none() {
        // RFC 7395 §3.2: the server must not accept a connection without the xmpp subprotocol.
        return (
            StatusCode::BAD_REQUEST,
            "the 'xmpp' WebSocket subprotocol is required",
        )
            .into_response();
    }
    let HttpsApp {
        place,
        xmpp,
        xmpp_limits,
        stop,
        sessions,
        closing,
        ..
    } = app;
    let session = sessions.token();
    upgrade
        .max_message_size(MAX_WEBSOCKET_MESSAGE_BYTES)
        .on_upgrade(move |socket| async move {
            serve_websocket(socket, place, xmpp, xmpp_limits, stop, closing).await;
            drop(session);
        })
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_headers_are_copied_and_xml_content_type_defaults() {
        let reply = RestReply {
            status: 202,
            headers: vec![("requestId".into(), "r-1".into())],
            body: String::new(),
        };
        let response = reply_to_response(reply);
        assert_eq!(response.status(), StatusCode::ACCEPTED);
        assert_eq!(response.headers().get("requestid").unwrap(), "r-1");
        assert!(response.headers().get(header::CONTENT_TYPE).is_none());

        let reply = RestReply {
            status: 200,
            headers: vec![],
            body: "<User/>".into(),
        };
        let response = reply_to_response(reply);
        assert_eq!(
            response.headers().get(header::CONTENT_TYPE).unwrap(),
            "application/xml"
        );
    }
}
