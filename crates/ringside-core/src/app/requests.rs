//! The agent's requests once signed in: state, calls, wrap-up, look-ups, contacts, the
//! ringtone preview, signing out and quitting.
use std::sync::Arc;
use std::time::Duration;

use finesse::model::AgentState;
use finesse::session::{Session, StateChoice};

use crate::desk::{
    AfterWrapUp, AgentStateKind, CallAction, CallActionRequest, CallState, ContactView, Lookups,
    StateRequest, WrapUpRequest,
};
use crate::ring::{PlayMode, RingRequest, RingState, RingWarning, Ringtone};

use super::contacts::{load_contacts, search_contacts};
use super::error::AppError;
use super::pump::load_lookups;
use super::sign_in::discard_session;
use super::state::Inner;

/// How long a preview may take to start before the app stops waiting for the player.
const PREVIEW_START_LIMIT: Duration = Duration::from_secs(10);

pub(crate) async fn set_state(inner: &Arc<Inner>, request: StateRequest) -> Result<(), AppError> {
    let state = match request.state {
        AgentStateKind::Ready => AgentState::Ready,
        AgentStateKind::NotReady => AgentState::NotReady,
        AgentStateKind::LoggedOut => return sign_out(inner, request.reason_id).await,
        other => {
            return Err(AppError::invalid(format!(
                "an agent can choose Ready, Not Ready or Logout, not {other:?}"
            )))
        }
    };
    let session = inner.connected_session()?;
    let reason = request.reason_id.clone().filter(|r| !r.trim().is_empty());
    // An explicit state (e.g. "Done" in wrap-up) is the agent's last word: an earlier
    // "then: …" choice must not be applied on top of it.
    let busy = inner
        .lock()
        .desk
        .snapshot()
        .user
        .as_ref()
        .is_some_and(|u| u.state.is_wrap_up() || !u.state.is_agent_settable());
    if busy {
        session
            .set_state_after_call(None)
            .await
            .map_err(AppError::from_command)?;
    }
    inner.update(|s, _| {
        s.desk.request_state(request.clone());
        if let (Some(live), AgentState::NotReady, Some(reason)) = (s.live.as_mut(), &state, &reason)
        {
            live.last_not_ready_reason = Some(reason.clone());
        }
    });
    match session.change_state(state, reason).await {
        Ok(_) => Ok(()),
        Err(error) => {
            inner.update(|s, _| s.desk.clear_request());
            Err(AppError::from_command(error))
        }
    }
}

pub(crate) async fn sign_out(
    inner: &Arc<Inner>,
    reason_id: Option<String>,
) -> Result<(), AppError> {
    let _one_at_a_time = inner.session_gate.lock().await;
    let session = {
        let state = inner.lock();
        match &state.live {
            None => return Ok(()),
            Some(live) => live.session.clone(),
        }
    };
    if session.connection().borrow().is_connected() {
        let reason = reason_id.filter(|r| !r.trim().is_empty());
        inner.update(|s, _| {
            s.desk.request_state(StateRequest {
                state: AgentStateKind::LoggedOut,
                reason_id: reason.clone(),
            })
        });
        if let Err(error) = session.logout(reason).await {
            inner.update(|s, _| s.desk.clear_request());
            return Err(AppError::from_command(error));
        }
    }
    discard_session(inner).await;
    Ok(())
}

pub(crate) async fn call_action(
    inner: &Arc<Inner>,
    request: CallActionRequest,
) -> Result<(), AppError> {
    let session = inner.connected_session()?;
    let call_id = request.call_id.trim().to_owned();
    let needed = |value: &Option<String>, field: &'static str, what: &'static str| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .ok_or(AppError::field(field, what))
    };
    inner.update(|s, _| s.desk.mark_action(&call_id, request.action));
    let outcome = match request.action {
        CallAction::Answer => session.answer(&call_id).await.map(drop),
        CallAction::Hold => session.hold(&call_id).await.map(drop),
        CallAction::Retrieve => session.retrieve(&call_id).await.map(drop),
        CallAction::Drop => session.drop_call(&call_id).await.map(drop),
        CallAction::Conference => session.conference(&call_id).await.map(drop),
        CallAction::Transfer => session.transfer(&call_id).await.map(drop),
        CallAction::SendDtmf => {
            let digits = checked(
                inner,
                &call_id,
                needed(&request.dtmf, "dtmf", "enter the digits"),
            )?;
            session.send_dtmf(&call_id, &digits).await.map(drop)
        }
        CallAction::ConsultCall => {
            let to = checked(
                inner,
                &call_id,
                needed(&request.to_address, "toAddress", "enter the number"),
            )?;
            session.consult_call(&call_id, &to).await.map(drop)
        }
        CallAction::TransferSst => {
            let to = checked(
                inner,
                &call_id,
                needed(&request.to_address, "toAddress", "enter the number"),
            )?;
            session.transfer_sst(&call_id, &to).await.map(drop)
        }
        CallAction::ParticipantDrop => {
            let who = checked(
                inner,
                &call_id,
                needed(&request.participant, "participant", "choose who to drop"),
            )?;
            session.participant_drop(&call_id, &who).await.map(drop)
        }
        CallAction::BargeCall => {
            let agent = checked(
                inner,
                &call_id,
                needed(
                    &request.to_address,
                    "toAddress",
                    "name the agent's extension",
                ),
            )?;
            session.barge_call(&call_id, &agent).await.map(drop)
        }
        CallAction::UpdateCallData => {
            inner.update(|s, _| s.desk.clear_action(&call_id));
            return Err(AppError::invalid(
                "call data is written through set_wrap_up (the wrap-up reason)",
            ));
        }
    };
    outcome.map_err(|error| {
        inner.update(|s, _| s.desk.clear_action(&call_id));
        AppError::from_command(error)
    })
}

/// A missing argument ends the action before anything is sent.
fn checked(
    inner: &Inner,
    call_id: &str,
    value: Result<String, AppError>,
) -> Result<String, AppError> {
    value.inspect_err(|_| inner.update(|s, _| s.desk.clear_action(call_id)))
}

pub(crate) async fn make_call(inner: &Arc<Inner>, number: String) -> Result<(), AppError> {
    let number = number.trim().to_owned();
    if number.is_empty() {
        return Err(AppError::field("number", "enter the number to call"));
    }
    let session = inner.connected_session()?;
    session
        .make_call(&number, Vec::new())
        .await
        .map(drop)
        .map_err(AppError::from_command)
}

pub(crate) async fn set_wrap_up(
    inner: &Arc<Inner>,
    request: WrapUpRequest,
) -> Result<(), AppError> {
    let session = inner.connected_session()?;
    let now = inner.now_ms();
    let (dialog_id, last_not_ready_reason) = {
        let state = inner.lock();
        let view = state.desk.view(now);
        let wrapping = view.wrap_up.and_then(|w| w.dialog_id);
        // During the call the reason goes to the call itself.
        let on_call = view
            .calls
            .iter()
            .find(|c| matches!(c.state, CallState::Active | CallState::Held))
            .map(|c| c.id.clone());
        (
            wrapping.or(on_call),
            state
                .live
                .as_ref()
                .and_then(|l| l.last_not_ready_reason.clone()),
        )
    };
    let Some(dialog_id) = dialog_id else {
        return Err(AppError::NoWrapUp);
    };
    inner.update(|s, _| s.desk.choose_wrap_up(&request));
    if let Some(reason) = request
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        session
            .set_wrap_up_reason(&dialog_id, reason)
            .await
            .map_err(AppError::from_command)?;
    }
    if let Some(then) = request.then {
        let choice = match then {
            AfterWrapUp::Ready => StateChoice {
                state: AgentState::Ready,
                reason_code_id: None,
            },
            AfterWrapUp::NotReady => StateChoice {
                state: AgentState::NotReady,
                reason_code_id: last_not_ready_reason,
            },
        };
        session
            .set_state_after_call(Some(choice))
            .await
            .map_err(AppError::from_command)?;
    }
    Ok(())
}

pub(crate) async fn get_lookups(inner: &Arc<Inner>) -> Result<Lookups, AppError> {
    if let Ok(session) = inner.connected_session() {
        load_lookups(Arc::clone(inner), session).await;
    }
    Ok(inner.lock().desk.lookups())
}

pub(crate) async fn find_contacts(
    inner: &Arc<Inner>,
    query: &str,
) -> Result<Vec<ContactView>, AppError> {
    let cached = inner
        .lock()
        .live
        .as_ref()
        .and_then(|live| live.contacts.clone());
    let contacts = match cached {
        Some(contacts) => contacts,
        None => {
            let session = inner.connected_session()?;
            let loaded = Arc::new(
                load_contacts(&session)
                    .await
                    .map_err(AppError::from_command)?,
            );
            inner.update(|s, _| {
                if let Some(live) = s.live.as_mut() {
                    live.contacts = Some(Arc::clone(&loaded));
                }
            });
            loaded
        }
    };
    Ok(search_contacts(&contacts, query))
}

pub(crate) async fn list_audio_outputs(inner: &Arc<Inner>) -> Vec<String> {
    let ring = Arc::clone(&inner.ring);
    tokio::task::spawn_blocking(move || ring.list_outputs())
        .await
        .unwrap_or_default()
}

pub(crate) async fn preview_ringtone(inner: &Arc<Inner>) -> Result<(), AppError> {
    let prefs = inner.settings_now();
    let mut status = inner.ring.status();
    let before = status.borrow_and_update().handled;
    inner.ring.start(RingRequest {
        ringtone: Ringtone::from_setting(&prefs.ringtone),
        volume: prefs.volume,
        output_device: prefs.output_device.clone(),
        mode: PlayMode::Preview,
    });
    let started =
        tokio::time::timeout(PREVIEW_START_LIMIT, status.wait_for(|s| s.handled > before))
            .await
            .ok()
            .and_then(Result::ok)
            .map(|s| s.clone());
    let Some(started) = started else {
        tracing::warn!("the ring player did not answer the preview");
        return Ok(());
    };
    if started.state == RingState::Silent {
        return Err(AppError::NoAudioDevice);
    }
    match started
        .warnings
        .iter()
        .find(|w| matches!(w, RingWarning::RingtoneUnreadable { .. }))
    {
        Some(RingWarning::RingtoneUnreadable { detail, .. }) => Err(AppError::RingtoneUnreadable {
            detail: detail.clone(),
        }),
        _ => Ok(()),
    }
}

pub(crate) async fn shutdown(inner: &Arc<Inner>, sign_out: bool) {
    if sign_out {
        if let Ok(session) = inner.connected_session() {
            log_out_for_quit(inner, &session).await;
        }
    }
    let _one_at_a_time = inner.session_gate.lock().await;
    discard_session(inner).await;
    inner.ring.stop();
}

/// Quitting with "sign out": Finesse (UCCE) logs out only from Not Ready and wants a reason
/// where reason codes are configured, so leave Ready first and use the first configured
/// reasons. Best effort: the process is going away either way.
async fn log_out_for_quit(inner: &Arc<Inner>, session: &Session) {
    load_lookups(Arc::clone(inner), session.clone()).await;
    let (state, lookups) = {
        let s = inner.lock();
        (
            s.desk.snapshot().user.as_ref().map(|u| u.state.clone()),
            s.desk.lookups(),
        )
    };
    let first = |reasons: &[crate::desk::ReasonOption]| reasons.first().map(|r| r.id.clone());
    if matches!(
        state,
        Some(AgentState::Ready | AgentState::Work | AgentState::WorkReady)
    ) {
        if let Err(error) = session
            .change_state(AgentState::NotReady, first(&lookups.not_ready_reasons))
            .await
        {
            tracing::warn!(code = error.code(), "could not leave Ready before quitting");
        }
    }
    if let Err(error) = session.logout(first(&lookups.logout_reasons)).await {
        tracing::warn!(code = error.code(), "could not log out before quitting");
    }
}
