//! XMPP over WebSocket (RFC 7395) at `/ws/`: subprotocol `xmpp`, one element per text
//! message, `<open/>` and `<close/>` framing.
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket};
use tokio_util::sync::CancellationToken;

use super::framing::Framing;
use super::router::ToSession;
use super::session::{Action, SessionCore, StreamPlace, StreamSecurity, XmppServices};
use super::splitter::{read_websocket_message, SplitError, SplitLimits};

/// The only subprotocol served (RFC 7395 §3.1).
pub const SUBPROTOCOL: &str = "xmpp";

/// A client that stops reading for this long is dropped.
const SEND_TIMEOUT: Duration = Duration::from_secs(30);

/// Serve one upgraded WebSocket until the stream ends or `stop` is cancelled.
pub async fn serve_websocket(
    socket: WebSocket,
    place: StreamPlace,
    services: Arc<dyn XmppServices>,
    limits: SplitLimits,
    stop: CancellationToken,
    closing: CancellationToken,
) {
    let core = SessionCore::new(services, place, Framing::WebSocket, StreamSecurity::Tls);
    tokio::select! {
        () = drive(socket, core, limits, &closing) => {}
        () = stop.cancelled() => {}
    }
}

async fn send(socket: &mut WebSocket, message: Message) -> bool {
    matches!(
        tokio::time::timeout(SEND_TIMEOUT, socket.send(message)).await,
        Ok(Ok(()))
    )
}

async fn drive(
    mut socket: WebSocket,
    mut core: SessionCore,
    limits: SplitLimits,
    closing: &CancellationToken,
) {
    let Some(mut router_rx) = core.take_router_receiver() else {
        return;
    };
    loop {
        let actions = tokio::select! {
            received = socket.recv() => match received {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => {
                    core.on_transport_closed();
                    return;
                }
                Some(Ok(Message::Text(text))) => match read_websocket_message(text.as_str(), limits) {
                    Ok(event) => core.on_stream_event(event),
                    Err(error) => core.on_split_error(&error),
                },
                Some(Ok(Message::Binary(_))) => {
                    core.on_split_error(&SplitError::NotWellFormed("binary WebSocket messages are not XMPP".into()))
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => Vec::new(),
            },
            Some(message) = router_rx.recv() => core.on_router_message(message),
            () = closing.cancelled() => core.on_router_message(ToSession::Shutdown),
        };
        for action in actions {
            match action {
                Action::Send(xml) => {
                    if !send(&mut socket, Message::Text(xml.into())).await {
                        core.on_transport_closed();
                        return;
                    }
                }
                // wss is already encrypted; a restart needs no new parser state here.
                Action::StartTls | Action::Restart => {}
                Action::End { graceful } => {
                    if graceful {
                        send(&mut socket, Message::Close(None)).await;
                    }
                    return;
                }
            }
        }
    }
}
