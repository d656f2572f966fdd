//! `login`, `state` and `call`: connect, do one thing, report, leave (without logging out).
use finesse::model::{Action, AgentState, CallVariable, Snapshot, User};
use finesse::session::{CommandOutcome, Session, SessionError};
use serde_json::json;

use super::args::{CallAction, ConnectionArgs, StateArg};
use super::error::CliError;
use super::output;

pub async fn login(session: &Session, args: &ConnectionArgs, json: bool) -> Result<(), CliError> {
    let user = match args
        .extension
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        Some(extension) => session.sign_in(extension, None, None).await?,
        None => current_user(session)?,
    };
    report_user(&user, json)
}

pub async fn state(
    session: &Session,
    state: StateArg,
    reason: Option<String>,
    json: bool,
) -> Result<(), CliError> {
    let user = match state {
        StateArg::Ready => session.change_state(AgentState::Ready, reason).await?,
        StateArg::NotReady => session.change_state(AgentState::NotReady, reason).await?,
        StateArg::Logout => session.logout(reason).await?,
    };
    report_user(&user, json)
}

pub async fn call(session: &Session, action: CallAction, json: bool) -> Result<(), CliError> {
    let snapshot = session.snapshot();
    let (name, outcome) = match action {
        CallAction::Answer(d) => {
            let id = pick(&snapshot, Action::Answer, d.dialog)?;
            ("answer", session.answer(&id).await?)
        }
        CallAction::Hold(d) => {
            let id = pick(&snapshot, Action::Hold, d.dialog)?;
            ("hold", session.hold(&id).await?)
        }
        CallAction::Retrieve(d) => {
            let id = pick(&snapshot, Action::Retrieve, d.dialog)?;
            ("retrieve", session.retrieve(&id).await?)
        }
        CallAction::Drop(d) => {
            let id = pick(&snapshot, Action::Drop, d.dialog)?;
            ("drop", session.drop_call(&id).await?)
        }
        CallAction::Make { number, vars } => {
            let variables = parse_vars(&vars)?;
            let dialog = session.make_call(&number, variables).await?;
            ("make", CommandOutcome::Dialog(dialog))
        }
        CallAction::Consult { number, dialog } => {
            let id = pick(&snapshot, Action::ConsultCall, dialog.dialog)?;
            let consult = session.consult_call(&id, &number).await?;
            ("consult", CommandOutcome::Dialog(consult))
        }
        CallAction::Transfer(d) => {
            let id = pick(&snapshot, Action::Transfer, d.dialog)?;
            ("transfer", session.transfer(&id).await?)
        }
        CallAction::Sst { number, dialog } => {
            let id = pick(&snapshot, Action::TransferSst, dialog.dialog)?;
            ("sst", session.transfer_sst(&id, &number).await?)
        }
        CallAction::Conference(d) => {
            let id = pick(&snapshot, Action::Conference, d.dialog)?;
            ("conference", session.conference(&id).await?)
        }
        CallAction::Dtmf { digits, dialog } => {
            let id = pick(&snapshot, Action::SendDtmf, dialog.dialog)?;
            ("dtmf", session.send_dtmf(&id, &digits).await?)
        }
        CallAction::UpdateData { vars, dialog } => {
            let variables = parse_vars(&vars)?;
            let id = pick(&snapshot, Action::UpdateCallData, dialog.dialog)?;
            (
                "update-data",
                session.update_call_data(&id, None, variables).await?,
            )
        }
        CallAction::WrapUp { reason, dialog } => {
            let id = pick(&snapshot, Action::UpdateCallData, dialog.dialog)?;
            ("wrap-up", session.set_wrap_up_reason(&id, &reason).await?)
        }
    };
    if json {
        output::json_line(&json!({ "command": name, "outcome": outcome }))
    } else {
        output::line(&describe_outcome(name, &outcome))
    }
}

fn current_user(session: &Session) -> Result<User, CliError> {
    session.snapshot().user.ok_or_else(|| {
        CliError::Session(SessionError::Protocol {
            message: "connected without a user".to_owned(),
        })
    })
}

fn report_user(user: &User, json: bool) -> Result<(), CliError> {
    if json {
        output::json_line(&json!({ "user": user }))
    } else {
        output::line(&output::describe_user(user))
    }
}

/// The call to act on: the one given, or the only call whose agent participant allows the
/// action.
fn pick(snapshot: &Snapshot, action: Action, given: Option<String>) -> Result<String, CliError> {
    if let Some(id) = given.map(|g| g.trim().to_owned()).filter(|g| !g.is_empty()) {
        return Ok(id);
    }
    let extension = snapshot
        .user
        .as_ref()
        .and_then(|u| u.extension.clone())
        .unwrap_or_default();
    let candidates: Vec<&str> = snapshot
        .dialogs
        .values()
        .filter(|d| d.allows(&extension, &action))
        .map(|d| d.id.as_str())
        .collect();
    match candidates.as_slice() {
        [only] => Ok((*only).to_owned()),
        [] => Err(CliError::NoCallFor {
            action: action.to_string(),
        }),
        several => Err(CliError::Usage(format!(
            "several calls allow {action}; choose one with --dialog: {}",
            several.join(", ")
        ))),
    }
}

fn parse_vars(vars: &[String]) -> Result<Vec<CallVariable>, CliError> {
    vars.iter()
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) if !name.trim().is_empty() => {
                Ok(CallVariable::new(name.trim(), value))
            }
            _ => Err(CliError::Usage(format!(
                "call variables are NAME=VALUE, not {pair:?}"
            ))),
        })
        .collect()
}

fn describe_outcome(name: &str, outcome: &CommandOutcome) -> String {
    match outcome {
        CommandOutcome::Dialog(dialog) => {
            format!("{name}: done (call {}, {})", dialog.id, dialog.state)
        }
        CommandOutcome::DialogRemoved(dialog) => format!("{name}: done (call {} ended)", dialog.id),
        CommandOutcome::Accepted => format!("{name}: accepted by Finesse"),
        _ => format!("{name}: done"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_variables_are_name_value_pairs() {
        let vars = parse_vars(&["callVariable1=a=b".into(), "user.tier=gold".into()]).unwrap();
        assert_eq!(vars[0], CallVariable::new("callVariable1", "a=b"));
        assert_eq!(vars[1], CallVariable::new("user.tier", "gold"));
        assert_eq!(parse_vars(&["novalue".into()]).unwrap_err().code(), "usage");
        assert_eq!(parse_vars(&["=x".into()]).unwrap_err().code(), "usage");
    }

    #[test]
    fn without_any_call_the_action_is_refused() {
        let error = pick(&Snapshot::new(), Action::Hold, None).unwrap_err();
        assert_eq!((error.code(), error.exit_code()), ("action_not_allowed", 5));
        assert_eq!(
            pick(&Snapshot::new(), Action::Hold, Some("42".into())).unwrap(),
            "42"
        );
    }
}
