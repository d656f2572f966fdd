//! The connection banner, from the session's connection state.
use finesse::session::ConnectionState;

use super::view::{ConnectionStatus, ConnectionView};

/// The banner for `state`, which began at `since` (Unix ms, this machine's clock).
pub(super) fn connection_view(state: &ConnectionState, since: Option<i64>) -> ConnectionView {
    let mut view = ConnectionView {
        status: status_of(state),
        node: state.node().map(str::to_owned),
        since,
        ..ConnectionView::default()
    };
    match state {
        ConnectionState::Disconnected | ConnectionState::Connected { .. } => {}
        ConnectionState::Connecting { attempt, .. } => view.attempt = Some(*attempt),
        ConnectionState::Reconnecting {
            attempt,
            last_error,
            ..
        } => {
            view.attempt = Some(*attempt);
            view.reason_code = Some(last_error.code().to_owned());
            view.detail = Some(last_error.to_string());
        }
        ConnectionState::OutOfService { reason, .. } => {
            view.reason_code = Some("out_of_service".to_owned());
            view.detail = Some(reason.trim().to_owned()).filter(|r| !r.is_empty());
        }
        ConnectionState::SignedInElsewhere => {
            view.reason_code = Some("signed_in_elsewhere".to_owned());
        }
        ConnectionState::Failed { error } => {
            view.reason_code = Some(error.code().to_owned());
            view.detail = Some(error.to_string());
        }
    }
    view
}

pub(super) fn status_of(state: &ConnectionState) -> ConnectionStatus {
    match state {
        ConnectionState::Disconnected => ConnectionStatus::SignedOut,
        ConnectionState::Connecting { .. } => ConnectionStatus::Connecting,
        ConnectionState::Connected { .. } => ConnectionStatus::Connected,
        ConnectionState::Reconnecting { .. } => ConnectionStatus::Reconnecting,
        ConnectionState::OutOfService { .. } => ConnectionStatus::OutOfService,
        ConnectionState::SignedInElsewhere => ConnectionStatus::SignedInElsewhere,
        ConnectionState::Failed { .. } => ConnectionStatus::Failed,
    }
}
