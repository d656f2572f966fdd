//! The control API: JSON over plain HTTP on 127.0.0.1, for scripts and other processes to
//! place calls, inject faults, move the clock and read the ground truth.
//!
//! | Method | Path | Body | Answer |
//! |---|---|---|---|
//! | GET | `/endpoints` | | [`LabEndpoints`](super::lab::LabEndpoints) |
//! | GET | `/truth` | | the center's `Truth` |
//! | POST | `/calls` | `CallSpec` | `{"call_id": n}` |
//! | POST | `/calls/{id}/hang-up` | | `{}` |
//! | POST | `/clock/advance` | `{"millis": n}` | `{"now_millis": n}` |
//! | POST | `/nodes/{A\|B}/status` | `{"in_service": bool, "reason": "…"}` | `{}` |
//! | POST | `/nodes/{A\|B}/stop`, `/nodes/{A\|B}/start` | | `{}` |
//! | POST | `/nodes/{A\|B}/xmpp/drop` | | `{}` |
//! | POST | `/nodes/{A\|B}/finesse-presence` | `{"available": bool}` | `{}` |
//! | POST | `/nodes/{A\|B}/events/delay` | `{"node_pattern": "…", "count": n, "delay_millis": n}` | `{}` |
//! | POST | `/nodes/{A\|B}/events/drop` | `{"node_pattern": "…", "count": n}` | `{}` |
//! | DELETE | `/nodes/{A\|B}/events` | | `{}` (clears unused event faults) |
//! | POST | `/nodes/{A\|B}/fail-next-request` | `CtiError` | `{}` |
//!
//! Errors answer 4xx with `{"code": "…", "message": "…"}`.
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::center::{CallId, CallSpec, CtiError, NodeId};

use super::lab::{LabError, LabInner};
use super::xmpp::event_faults::{EventFault, EventFaultAction};

/// The bound control listener.
pub struct ControlServer {
    listener: TcpListener,
    lab: Arc<LabInner>,
}

impl ControlServer {
    /// Bind `127.0.0.1:<port>` (0: a free port).
    pub(crate) fn bind(lab: Arc<LabInner>, port: u16) -> std::io::Result<ControlServer> {
        let std_listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
        std_listener.set_nonblocking(true)?;
        Ok(ControlServer {
            listener: TcpListener::from_std(std_listener)?,
            lab,
        })
    }

    /// The bound address (port 0 resolved); 127.0.0.1:0 if the socket cannot say.
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    /// Serve until `stop` is cancelled.
    pub async fn run(self, stop: CancellationToken) {
        let app = axum::Router::new()
            .route("/endpoints", get(endpoints))
            .route("/truth", get(truth))
            .route("/calls", post(place_call))
            .route("/calls/{id}/hang-up", post(hang_up))
            .route("/clock/advance", post(advance_clock))
            .route("/nodes/{node}/status", post(node_status))
            .route("/nodes/{node}/stop", post(stop_node))
            .route("/nodes/{node}/start", post(start_node))
            .route("/nodes/{node}/xmpp/drop", post(drop_xmpp))
            .route("/nodes/{node}/finesse-presence", post(finesse_presence))
            .route("/nodes/{node}/events/delay", post(delay_events))
            .route("/nodes/{node}/events/drop", post(drop_events))
            .route("/nodes/{node}/events", delete(clear_event_faults))
            .route("/nodes/{node}/fail-next-request", post(fail_next_request))
            .fallback(|| async {
                error(StatusCode::NOT_FOUND, "not_found", "no such control route")
            })
            .with_state(self.lab);
        let shutdown = async move { stop.cancelled().await };
        if let Err(e) = axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown)
            .await
        {
            tracing::warn!(error = %e, "control API stopped with an error");
        }
    }
}

type Lab = State<Arc<LabInner>>;

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({ "code": code, "message": message }))).into_response()
}

fn ok(value: Value) -> Response {
    (StatusCode::OK, Json(value)).into_response()
}

fn lab_error(e: &LabError) -> Response {
    error(StatusCode::UNPROCESSABLE_ENTITY, e.code(), &e.to_string())
}

fn bad_json(rejection: &JsonRejection) -> Response {
    error(StatusCode::BAD_REQUEST, "bad_json", &rejection.body_text())
}

fn parse_node(text: &str) -> Option<NodeId> {
    match text {
        "A" | "a" => Some(NodeId::A),
        "B" | "b" => Some(NodeId::B),
        _ => None,
    }
}

fn unknown_node() -> Response {
    error(StatusCode::NOT_FOUND, "unknown_node", "nodes are A and B")
}

async fn endpoints(State(lab): Lab) -> Response {
    ok(json!(lab.endpoints()))
}

async fn truth(State(lab): Lab) -> Response {
    ok(json!(lab.truth()))
}

async fn place_call(State(lab): Lab, spec: Result<Json<CallSpec>, JsonRejection>) -> Response {
    let Json(spec) = match spec {
        Ok(spec) => spec,
        Err(rejection) => return bad_json(&rejection),
    };
    match lab.place_call(spec) {
        Ok(call) => ok(json!({ "call_id": call })),
        Err(e) => lab_error(&e),
    }
}

async fn hang_up(State(lab): Lab, Path(id): Path<u64>) -> Response {
    match lab.hang_up(CallId(id)) {
        Ok(()) => ok(json!({})),
        Err(e) => lab_error(&e),
    }
}

#[derive(Deserialize)]
struct Advance {
    millis: u64,
}

async fn advance_clock(State(lab): Lab, body: Result<Json<Advance>, JsonRejection>) -> Response {
    let Json(advance) = match body {
        Ok(body) => body,
        Err(rejection) => return bad_json(&rejection),
    };
    lab.advance_clock(Duration::from_millis(advance.millis));
    ok(json!({ "now_millis": lab.now().0 }))
}

#[derive(Deserialize)]
struct Status {
    in_service: bool,
    #[serde(default)]
    reason: String,
}

async fn node_status(
    State(lab): Lab,
    Path(node): Path<String>,
    body: Result<Json<Status>, JsonRejection>,
) -> Response {
    let Some(node) = parse_node(&node) else {
        return unknown_node();
    };
    let Json(status) = match body {
        Ok(body) => body,
        Err(rejection) => return bad_json(&rejection),
    };
    lab.set_out_of_service(node, !status.in_service, &status.reason);
    ok(json!({}))
}

async fn stop_node(State(lab): Lab, Path(node): Path<String>) -> Response {
    match parse_node(&node) {
        Some(node) => {
            lab.stop_node(node).await;
            ok(json!({}))
        }
        None => unknown_node(),
    }
}

async fn start_node(State(lab): Lab, Path(node): Path<String>) -> Response {
    let Some(node) = parse_node(&node) else {
        return unknown_node();
    };
    match lab.start_node(node).await {
        Ok(()) => ok(json!({})),
        Err(e) => lab_error(&e),
    }
}

async fn drop_xmpp(State(lab): Lab, Path(node): Path<String>) -> Response {
    match parse_node(&node) {
        Some(node) => {
            lab.drop_xmpp_links(node);
            ok(json!({}))
        }
        None => unknown_node(),
    }
}

#[derive(Deserialize)]
struct Presence {
    available: bool,
}

async fn finesse_presence(
    State(lab): Lab,
    Path(node): Path<String>,
    body: Result<Json<Presence>, JsonRejection>,
) -> Response {
    let Some(node) = parse_node(&node) else {
        return unknown_node();
    };
    let Json(presence) = match body {
        Ok(body) => body,
        Err(rejection) => return bad_json(&rejection),
    };
    lab.set_finesse_presence(node, presence.available);
    ok(json!({}))
}

#[derive(Deserialize)]
struct EventSelection {
    node_pattern: String,
    count: u32,
    #[serde(default)]
    delay_millis: u64,
}

async fn event_fault(
    lab: &LabInner,
    node: &str,
    body: Result<Json<EventSelection>, JsonRejection>,
    action: impl FnOnce(&EventSelection) -> EventFaultAction,
) -> Response {
    let Some(node) = parse_node(node) else {
        return unknown_node();
    };
    let Json(selection) = match body {
        Ok(body) => body,
        Err(rejection) => return bad_json(&rejection),
    };
    if selection.count == 0 {
        return error(
            StatusCode::BAD_REQUEST,
            "bad_count",
            "count must be at least 1",
        );
    }
    let action = action(&selection);
    lab.add_event_fault(
        node,
        EventFault {
            node_pattern: selection.node_pattern,
            count: selection.count,
            action,
        },
    );
    ok(json!({}))
}

async fn delay_events(
    State(lab): Lab,
    Path(node): Path<String>,
    body: Result<Json<EventSelection>, JsonRejection>,
) -> Response {
    event_fault(&lab, &node, body, |s| EventFaultAction::Delay {
        millis: s.delay_millis,
    })
    .await
}

async fn drop_events(
    State(lab): Lab,
    Path(node): Path<String>,
    body: Result<Json<EventSelection>, JsonRejection>,
) -> Response {
    event_fault(&lab, &node, body, |_| EventFaultAction::Drop).await
}

async fn clear_event_faults(State(lab): Lab, Path(node): Path<String>) -> Response {
    match parse_node(&node) {
        Some(node) => {
            lab.clear_event_faults(node);
            ok(json!({}))
        }
        None => unknown_node(),
    }
}

async fn fail_next_request(
    State(lab): Lab,
    Path(node): Path<String>,
    body: Result<Json<CtiError>, JsonRejection>,
) -> Response {
    let Some(node) = parse_node(&node) else {
        return unknown_node();
    };
    let Json(cti_error) = match body {
        Ok(body) => body,
        Err(rejection) => return bad_json(&rejection),
    };
    lab.fail_next_request(node, cti_error);
    ok(json!({}))
}
