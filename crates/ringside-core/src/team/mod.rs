//! The supervisor's Team view: a pure model of the chosen team ([`TeamBoard`]) that absorbs
//! Finesse's team events one by one and hands the UI batched diffs ([`TeamDiff`]) at a
//! bounded rate, plus Finesse's supervisor rules ([`allowed_actions`]).
//!
//! Inputs (all pure, time passed in as Unix ms):
//! - the User's supervised teams ([`TeamBoard::set_teams`]) and the supervisor's choice
//!   ([`TeamBoard::choose_team`], which says which team node to unload and load);
//! - the team's GET and its notifications ([`TeamBoard::load_team`],
//!   [`TeamBoard::apply_member`], or [`TeamBoard::apply_event`] with the session's events);
//! - the supervisor's context from the session snapshot ([`TeamBoard::sync_supervisor`]):
//!   own state, extension, platform, monitor or barge call;
//! - the supervisor's list options ([`TeamBoard::set_view`]) and actions
//!   ([`TeamBoard::begin_action`] → a `finesse::session::Command`, then
//!   [`TeamBoard::action_succeeded`] / [`TeamBoard::action_failed`]).
//!
//! Finesse's team notifications carry the agent's state, reason, pending state and times,
//! but no call details. A Talking or Hold row therefore shows the call's duration from when
//! the agent went Talking; caller and start come from the supervisor's monitor call for the
//! monitored agent, or from [`TeamBoard::set_member_call`] when the host knows more.
//!
//! CONTRACT with the shell (`src-tauri`) and the UI (`ui/src/lib/teamBackend.ts`):
//!
//! | Tauri command        | arguments                        | returns     |
//! |----------------------|----------------------------------|-------------|
//! | `get_team`           | —                                | `TeamDiff` (reset: the whole view, [`TeamBoard::resync`]) |
//! | `choose_team`        | `teamId: string`                 | `()`        |
//! | `set_team_view`      | `view: TeamViewOptions`          | `()`        |
//! | `team_action`        | `request: TeamActionRequest`     | `()`        |
//! | `dismiss_team_error` | `agentId: string`                | `()`        |
//!
//! Event [`UI_EVENT`] (`team`) carries each [`TeamDiff`]: from [`TeamBoard::take_diff`] on a
//! timer of [`TeamPolicy::diff_interval_ms`], and from [`TeamBoard::flush`] right after a
//! command changed the view. Errors are `UiError {code, message}` ([`TeamError::code`], or the
//! row's `error` with the codes in [`codes`]).
mod actions;
mod board;
mod counts;
mod diff;
mod error;
mod filter;
mod member;
mod order;
mod pending;
mod rules;
mod supervisor;
mod view;

pub use board::{TeamBoard, TeamPolicy, TeamSwitch};
pub use error::TeamError;
pub use member::MemberCall;
pub use pending::codes;
pub use rules::allowed_actions;
pub use supervisor::{MonitoredCall, SupervisorContext};
pub use view::*;

/// The name of the UI event that carries [`TeamDiff`]s.
pub const UI_EVENT: &str = "team";
