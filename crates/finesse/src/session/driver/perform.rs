//! Performing REST effects and translating client errors into machine inputs.
use crate::rest::{RestClient, RestError};
use crate::session::io::{
    LinkFailure, LinkFailureKind, LinkLoss, RestFailure, RestFailureKind, RestReply, RestRequest,
};
use crate::xmpp::{DisconnectReason, XmppError};

/// Makes one REST call and types its answer.
pub(super) async fn rest(
    client: &RestClient,
    request: RestRequest,
) -> Result<RestReply, RestFailure> {
    let accepted = |a: crate::rest::Accepted| RestReply::Accepted {
        request_id: Some(a.request_id),
    };
    let result = match request {
        RestRequest::SystemInfo => client.system_info().await.map(RestReply::SystemInfo),
        RestRequest::UserByLoginName { login } => {
            client.user_by_login_name(&login).await.map(RestReply::User)
        }
        RestRequest::User { user_id } => client.user(&user_id).await.map(RestReply::User),
        RestRequest::Dialogs { user_id } => client.dialogs(&user_id).await.map(RestReply::Dialogs),
        RestRequest::PutUser { user_id, body } => {
            client.put_user(&user_id, &body).await.map(accepted)
        }
        RestRequest::PostDialog { user_id, body } => {
            client.post_dialog(&user_id, &body).await.map(accepted)
        }
        RestRequest::PutDialog { dialog_id, body } => {
            client.put_dialog(&dialog_id, &body).await.map(accepted)
        }
        RestRequest::ReasonCodes {
            user_id,
            team_id,
            category,
        } => client
            .reason_codes(&user_id, team_id.as_deref(), Some(&category))
            .await
            .map(RestReply::ReasonCodes),
        RestRequest::WrapUpReasons { user_id, team_id } => client
            .wrap_up_reasons(&user_id, team_id.as_deref())
            .await
            .map(RestReply::WrapUpReasons),
        RestRequest::MediaPropertiesLayout { user_id, team_id } => client
            .media_properties_layout(&user_id, team_id.as_deref())
            .await
            .map(RestReply::MediaPropertiesLayout),
        RestRequest::PhoneBooks { user_id, team_id } => client
            .phone_books(&user_id, team_id.as_deref())
            .await
            .map(RestReply::PhoneBooks),
        RestRequest::Contacts { phone_book_id } => client
            .contacts(&phone_book_id)
            .await
            .map(RestReply::Contacts),
        RestRequest::Queues { user_id } => client.queues(&user_id).await.map(RestReply::Queues),
        RestRequest::Team { team_id } => client.team(&team_id, true).await.map(RestReply::Team),
    };
    result.map_err(|e| rest_failure(&e))
}

/// What a REST error means to the session.
pub(super) fn rest_failure(error: &RestError) -> RestFailure {
    let kind = match error {
        RestError::AuthenticationFailed(_) => RestFailureKind::Authentication,
        RestError::OutOfService(_) => RestFailureKind::OutOfService,
        RestError::Timeout(_)
        | RestError::Connect(_)
        | RestError::Tls(_)
        | RestError::ConnectionLost(_)
        | RestError::ServerError(_)
        | RestError::Trust(_) => RestFailureKind::Unreachable,
        RestError::MalformedResponse(_) => RestFailureKind::Protocol,
        RestError::ForbiddenUser(_)
        | RestError::InvalidState(_)
        | RestError::NotFound(_)
        | RestError::BadRequest(_)
        | RestError::NotImplemented(_)
        | RestError::UnexpectedStatus(_)
        | RestError::InvalidRequest(_) => RestFailureKind::Rejected,
    };
    RestFailure {
        kind,
        status: error.status(),
        errors: error.api_errors().to_vec(),
        message: format!("{error} [{}]", error.code()),
    }
}

/// What an XMPP connect or request error means to the session.
pub(super) fn link_failure(error: &XmppError) -> LinkFailure {
    let kind = match error {
        XmppError::AuthenticationFailed { .. } => LinkFailureKind::Authentication,
        XmppError::SignedInElsewhere => LinkFailureKind::SignedInElsewhere,
        XmppError::IqError { .. } => LinkFailureKind::Refused,
        XmppError::TransportUnavailable { attempts }
            if attempts.iter().any(|a| a.error.is_authentication_failure()) =>
        {
            LinkFailureKind::Authentication
        }
        _ => LinkFailureKind::Unreachable,
    };
    LinkFailure::new(kind, format!("{error} [{}]", error.code()))
}

pub(super) fn link_loss(reason: DisconnectReason) -> LinkLoss {
    match reason {
        DisconnectReason::SignedInElsewhere => LinkLoss::SignedInElsewhere,
        DisconnectReason::PingTimeout => LinkLoss::PingTimeout,
        DisconnectReason::SocketClosed => LinkLoss::SocketClosed,
        DisconnectReason::StreamError(text) | DisconnectReason::ProtocolError(text) => {
            LinkLoss::StreamError(text)
        }
        DisconnectReason::ClientClosed => LinkLoss::ClientClosed,
    }
}
