//! `watch`: the snapshot, then one JSON object per line for every event and every snapshot
//! change, flushed line by line, until interrupted or the session ends.
use finesse::session::{ConnectionState, Session, SessionError, SessionEvent};
use serde_json::json;
use tokio::sync::broadcast::error::RecvError;

use super::error::CliError;
use super::output;

pub async fn watch(session: &Session) -> Result<(), CliError> {
    // Subscribe before the first snapshot so nothing falls between the two.
    let mut events = session.events();
    print_snapshot(session, None)?;
    let ended = loop {
        tokio::select! {
            received = events.recv() => match received {
                Ok(SessionEvent::SnapshotChanged { revision }) => {
                    print_snapshot(session, Some(revision))?
                }
                Ok(event) => {
                    output::json_line(&event)?;
                    if let SessionEvent::ConnectionChanged { state } = &event {
                        if let Some(error) = terminal_error(state) {
                            break Err(CliError::Session(error));
                        }
                    }
                }
                Err(RecvError::Lagged(missed)) => {
                    output::json_line(&json!({ "event": "lagged", "missed": missed }))?;
                    print_snapshot(session, None)?;
                }
                Err(RecvError::Closed) => break Ok(()),
            },
            interrupted = tokio::signal::ctrl_c() => {
                break interrupted.map_err(|e| CliError::Output(e.to_string()));
            }
        }
    };
    session.shutdown().await;
    ended
}

fn print_snapshot(session: &Session, revision: Option<u64>) -> Result<(), CliError> {
    output::json_line(&json!({
        "event": "snapshot",
        "revision": revision,
        "snapshot": session.snapshot(),
    }))
}

fn terminal_error(state: &ConnectionState) -> Option<SessionError> {
    match state {
        ConnectionState::Failed { error } => Some(error.clone()),
        ConnectionState::SignedInElsewhere => Some(SessionError::SignedInElsewhere),
        _ => None,
    }
}
