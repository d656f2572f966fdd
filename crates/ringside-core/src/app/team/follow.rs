//! Which team nodes the session follows: exactly the chosen team's, once connected.
//!
//! The board says which team is chosen; this brings the session's subscriptions in line
//! (`UnloadTeam` for any other, `LoadTeam` for the chosen one) and hands the loaded team to
//! the board. One alignment at a time per session, so a team chosen while another is still
//! loading is loaded after it, and the other one is dropped. A subscription the session could
//! not drop (it was not connected) stays listed and is dropped at the next alignment.
use std::sync::Arc;

use finesse::session::Session;

use super::super::error::AppError;
use super::super::state::Inner;
use super::is_current;

/// The team ids one session follows (per session: a new sign-in starts with none).
#[derive(Debug, Default)]
pub(crate) struct TeamFollow {
    followed: tokio::sync::Mutex<Vec<String>>,
}

/// Follows the chosen team and nothing else; loads it into the board when newly followed.
pub(crate) async fn follow_chosen(
    inner: &Arc<Inner>,
    session: &Session,
    follow: &Arc<TeamFollow>,
) -> Result<(), AppError> {
    let mut followed = follow.followed.lock().await;
    let chosen = inner
        .team
        .change(|board| board.chosen_team().map(str::to_owned));
    let others: Vec<String> = followed
        .iter()
        .filter(|id| Some(*id) != chosen.as_ref())
        .cloned()
        .collect();
    for old in others {
        match session.unload_team(&old).await {
            Ok(()) => followed.retain(|id| *id != old),
            Err(error) => {
                tracing::warn!(team_id = %old, code = error.code(), "team not unloaded yet");
            }
        }
    }
    let Some(team_id) = chosen else {
        return Ok(());
    };
    if followed.contains(&team_id) {
        return Ok(());
    }
    let team = session
        .load_team(&team_id)
        .await
        .map_err(AppError::from_command)?;
    followed.push(team_id);
    if is_current(inner, follow) {
        let now = inner.now_ms();
        inner.team.change(|board| board.load_team(&team, now));
    }
    Ok(())
}
