//! The Team view's commands. Each changes the board and sends its diff at once; an action
//! on an agent returns as soon as it is on its way, and its row shows it pending until the
//! session's answer (or Finesse's event) ends it.
use std::sync::Arc;

use finesse::session::{Command, CommandOutcome, Session};

use crate::team::{TeamActionRequest, TeamDiff, TeamError, TeamViewOptions};

use super::super::error::AppError;
use super::super::state::Inner;
use super::follow::{follow_chosen, TeamFollow};
use super::is_current;

/// The whole Team view as a reset diff; the `team` events that follow continue from it.
pub(crate) fn get_team(inner: &Inner) -> TeamDiff {
    inner.team.resync(inner.now_ms())
}

/// Shows another supervised team: the session drops the old team's node and loads the new
/// one, whose members go out with this command's diff.
pub(crate) async fn choose_team(inner: &Arc<Inner>, team_id: String) -> Result<(), AppError> {
    let (session, follow) = connected(inner)?;
    inner.team.change(|board| board.choose_team(&team_id))?;
    let followed = follow_chosen(inner, &session, &follow).await;
    // Sent either way: the switch itself (a new header, no rows yet) is news too.
    inner.team.change_and_flush(inner.now_ms(), |_| ());
    followed
}

/// Sort, filters and the signed-out toggle; the new order goes out at once.
pub(crate) fn set_view(inner: &Inner, view: TeamViewOptions) {
    inner
        .team
        .change_and_flush(inner.now_ms(), |board| board.set_view(view));
}

/// Starts an action on an agent: refused at once when Finesse's supervisor rules do not
/// allow it now (`team_action_not_allowed`), when another action on the agent is under way
/// (`team_action_pending`) or while not connected (`not_connected`).
pub(crate) fn team_action(inner: &Arc<Inner>, request: TeamActionRequest) -> Result<(), AppError> {
    let (session, follow) = connected(inner)?;
    let now = inner.now_ms();
    let command = inner
        .team
        .change_and_flush(now, |board| board.begin_action(&request, now))?;
    tokio::spawn(carry_out(
        Arc::clone(inner),
        session,
        follow,
        request,
        command,
    ));
    Ok(())
}

/// Hides the error on an agent's row.
pub(crate) fn dismiss_error(inner: &Inner, agent_id: String) -> Result<(), AppError> {
    let agent_id = agent_id.trim();
    inner
        .team
        .change_and_flush(inner.now_ms(), |board| {
            if board.row(agent_id).is_none() {
                return Err(TeamError::UnknownAgent {
                    agent_id: agent_id.to_owned(),
                });
            }
            board.dismiss_error(agent_id);
            Ok(())
        })
        .map_err(AppError::from)
}

/// Sends the action's command and ends the row's pending mark with its result.
async fn carry_out(
    inner: Arc<Inner>,
    session: Session,
    follow: Arc<TeamFollow>,
    request: TeamActionRequest,
    command: Command,
) {
    let outcome = session.command(command).await;
    if !is_current(&inner, &follow) {
        return;
    }
    let agent_id = request.agent_id.trim();
    let snapshot = session.snapshot();
    let connected = session.connection().borrow().is_connected();
    let now = inner.now_ms();
    inner.team.change_and_flush(now, |board| match outcome {
        Ok(outcome) => {
            // The confirming event may still be on its way to the pump: show what it said
            // now, so the row never drops its spinner while still showing the old state.
            let chosen = board.chosen_team().map(str::to_owned);
            if let (CommandOutcome::TeamMember(member), Some(team_id)) = (outcome, chosen) {
                board.apply_member(&team_id, member, now);
            }
            board.sync_supervisor(&snapshot, connected);
            board.action_succeeded(agent_id, request.action);
        }
        Err(error) => {
            tracing::info!(code = error.code(), action = ?request.action, "team action refused");
            board.action_failed(agent_id, request.action, &error);
        }
    });
}

/// The live session, if connected, with the teams it follows.
fn connected(inner: &Inner) -> Result<(Session, Arc<TeamFollow>), AppError> {
    let state = inner.lock();
    match &state.live {
        Some(live) if live.session.connection().borrow().is_connected() => {
            Ok((live.session.clone(), Arc::clone(&live.team_follow)))
        }
        _ => Err(AppError::NotConnected),
    }
}
