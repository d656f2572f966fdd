//! The async driver: a [`Session`] handle over a task that owns the [`SessionMachine`],
//! performs its effects with the REST and XMPP clients and tokio timers, and publishes the
//! connection state (`watch`), events (`broadcast`) and snapshot.
mod config;
mod host_watch;
mod perform;
mod standby;
mod task;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tokio::sync::{broadcast, mpsc, oneshot, watch};

pub use self::config::{SessionConfig, TransportTemplate, XmppTransports};
pub use self::host_watch::{WallClock, WAKE_THRESHOLD};
use self::task::{Driver, Outputs, Request};
use crate::model::{
    AgentState, CallVariable, Contact, Dialog, MediaPropertiesLayout, MobileAgent, PhoneBook,
    Queue, ReasonCategory, ReasonCode, Snapshot, Team, TeamMember, User, WrapUpReason,
};
use crate::session::command::{AgentChoices, Command, CommandId, CommandOutcome, StateChoice};
use crate::session::connection::ConnectionState;
use crate::session::error::SessionError;
use crate::session::event::SessionEvent;
use crate::session::machine::{MachineConfig, SessionMachine};
use crate::xmpp::{XmppConfig, RESERVED_DESKTOP_RESOURCE};

/// A running agent session. Cheap to clone; every clone talks to the same task. The task
/// shuts down (unsubscribing and closing XMPP, without logging the agent out) on
/// [`Session::shutdown`] or when the last clone is dropped.
#[derive(Clone)]
pub struct Session {
    shared: Arc<Shared>,
}

struct Shared {
    requests: mpsc::UnboundedSender<Request>,
    connection: watch::Receiver<ConnectionState>,
    snapshot: watch::Receiver<Arc<Snapshot>>,
    choices: watch::Receiver<AgentChoices>,
    events: broadcast::Sender<SessionEvent>,
    next_command: AtomicU64,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("connection", &*self.shared.connection.borrow())
            .finish_non_exhaustive()
    }
}

impl Session {
    /// Starts connecting in the background (call from within a tokio runtime). Fails only
    /// for a configuration that cannot work; connection trouble shows on
    /// [`connection`](Self::connection) (see [`wait_connected`](Self::wait_connected)).
    pub fn start(config: SessionConfig) -> Result<Session, SessionError> {
        let runtime =
            tokio::runtime::Handle::try_current().map_err(|_| SessionError::InvalidConfig {
                message: "Session::start must be called inside a tokio runtime".to_owned(),
            })?;
        let resource = config
            .xmpp_resource
            .clone()
            .unwrap_or_else(XmppConfig::unique_resource);
        if resource.trim().is_empty() || resource.eq_ignore_ascii_case(RESERVED_DESKTOP_RESOURCE) {
            return Err(SessionError::InvalidConfig {
                message: "the XMPP resource must be non-empty and not `desktop` (the Finesse desktop's own)".to_owned(),
            });
        }
        if config.password.is_empty() {
            return Err(SessionError::InvalidConfig {
                message: "the password is empty".to_owned(),
            });
        }
        config
            .trust
            .root_store()
            .map_err(|e| SessionError::InvalidConfig {
                message: e.to_string(),
            })?;
        let machine = SessionMachine::new(MachineConfig {
            identity: config.identity.clone(),
            policy: config.policy.clone(),
            jitter_seed: rand::random(),
        })?;
        let (connection_tx, connection) = watch::channel(ConnectionState::Disconnected);
        let (snapshot_tx, snapshot) = watch::channel(Arc::new(Snapshot::new()));
        let (choices_tx, choices) = watch::channel(AgentChoices::default());
        let (events, _) = broadcast::channel(config.event_capacity.max(16));
        let (requests, requests_rx) = mpsc::unbounded_channel();
        let outputs = Outputs {
            connection: connection_tx,
            snapshot: snapshot_tx,
            choices: choices_tx,
            events: events.clone(),
        };
        let driver = Driver::new(machine, config, resource, outputs);
        runtime.spawn(driver.run(requests_rx));
        Ok(Session {
            shared: Arc::new(Shared {
                requests,
                connection,
                snapshot,
                choices,
                events,
                next_command: AtomicU64::new(1),
            }),
        })
    }

    /// Whether `other` is a handle to this same session (not merely one like it).
    pub fn is_same_session(&self, other: &Session) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }

    /// The connection state, as a `watch` receiver.
    pub fn connection(&self) -> watch::Receiver<ConnectionState> {
        self.shared.connection.clone()
    }

    /// Every event from now on. A receiver that falls behind by more than the configured
    /// capacity loses the oldest events (`RecvError::Lagged`) and should re-read the snapshot.
    pub fn events(&self) -> broadcast::Receiver<SessionEvent> {
        self.shared.events.subscribe()
    }

    /// A consistent copy of the current snapshot.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot::clone(&self.shared.snapshot.borrow())
    }

    /// The snapshot as a `watch` receiver (changes at every snapshot change).
    pub fn snapshot_watch(&self) -> watch::Receiver<Arc<Snapshot>> {
        self.shared.snapshot.clone()
    }

    /// Waits until the connection state satisfies `wanted` (checked first against the
    /// current state) and returns that state; `SessionClosed` when the session ends first.
    pub async fn connection_matching(
        &self,
        mut wanted: impl FnMut(&ConnectionState) -> bool,
    ) -> Result<ConnectionState, SessionError> {
        let mut connection = self.connection();
        let state = connection
            .wait_for(|state| wanted(state))
            .await
            .map_err(|_| SessionError::SessionClosed)?;
        Ok(state.clone())
    }

    /// Waits until the snapshot satisfies `wanted` (checked first against the current
    /// snapshot) and returns that snapshot; `SessionClosed` when the session ends first.
    pub async fn snapshot_matching(
        &self,
        mut wanted: impl FnMut(&Snapshot) -> bool,
    ) -> Result<Snapshot, SessionError> {
        let mut snapshots = self.snapshot_watch();
        let snapshot = snapshots
            .wait_for(|snapshot| wanted(snapshot))
            .await
            .map_err(|_| SessionError::SessionClosed)?;
        Ok(Snapshot::clone(&snapshot))
    }

    /// What the agent chose that survives reconnects.
    pub fn choices(&self) -> AgentChoices {
        self.shared.choices.borrow().clone()
    }

    /// Waits until connected; fails when the session ends instead (bad password, signed in
    /// elsewhere, gave up, shut down).
    pub async fn wait_connected(&self) -> Result<(), SessionError> {
        let settled = self
            .connection_matching(|state| {
                matches!(
                    state,
                    ConnectionState::Connected { .. }
                        | ConnectionState::Failed { .. }
                        | ConnectionState::SignedInElsewhere
                )
            })
            .await?;
        match settled {
            ConnectionState::Failed { error } => Err(error),
            ConnectionState::SignedInElsewhere => Err(SessionError::SignedInElsewhere),
            _ => Ok(()),
        }
    }

    /// Sends any command and waits for its outcome.
    pub async fn command(&self, command: Command) -> Result<CommandOutcome, SessionError> {
        let id = CommandId(self.shared.next_command.fetch_add(1, Ordering::Relaxed));
        let (reply, outcome) = oneshot::channel();
        self.shared
            .requests
            .send(Request::Command { id, command, reply })
            .map_err(|_| SessionError::SessionClosed)?;
        outcome.await.map_err(|_| SessionError::SessionClosed)?
    }

    /// Checks the link now instead of waiting for the next ping: call it when the OS reports
    /// a resume from sleep or a network change. A dead link is then replaced at once; a
    /// pending retry is brought forward.
    pub fn check_link(&self) {
        // A closed session has no link to check.
        let _ = self.shared.requests.send(Request::CheckLink);
    }

    /// Unsubscribes explicit nodes and closes XMPP cleanly. The agent stays signed in to
    /// Finesse (call [`logout`](Self::logout) first for that).
    pub async fn shutdown(&self) {
        let (done, finished) = oneshot::channel();
        if self
            .shared
            .requests
            .send(Request::Shutdown { done })
            .is_ok()
        {
            let _ = finished.await;
        }
    }

    // ---- agent state ------------------------------------------------------------------

    pub async fn sign_in(
        &self,
        extension: &str,
        mobile_agent: Option<MobileAgent>,
        device: Option<String>,
    ) -> Result<User, SessionError> {
        self.user_outcome(Command::SignIn {
            extension: extension.to_owned(),
            mobile_agent,
            device,
        })
        .await
    }

    /// READY, NOT_READY (with the reason code *id*) or LOGOUT.
    pub async fn change_state(
        &self,
        state: AgentState,
        reason_code_id: Option<String>,
    ) -> Result<User, SessionError> {
        self.user_outcome(Command::ChangeState {
            state,
            reason_code_id,
        })
        .await
    }

    pub async fn logout(&self, reason_code_id: Option<String>) -> Result<User, SessionError> {
        self.user_outcome(Command::Logout { reason_code_id }).await
    }

    /// Remembers the state to take once the current call and wrap-up are over (`None`
    /// clears it). Works while disconnected.
    pub async fn set_state_after_call(
        &self,
        choice: Option<StateChoice>,
    ) -> Result<(), SessionError> {
        self.command(Command::SetStateAfterCall { choice })
            .await
            .map(drop)
    }

    // ---- calls ------------------------------------------------------------------------

    pub async fn answer(&self, dialog_id: &str) -> Result<CommandOutcome, SessionError> {
        self.command(Command::Answer {
            dialog_id: dialog_id.to_owned(),
        })
        .await
    }

    pub async fn hold(&self, dialog_id: &str) -> Result<CommandOutcome, SessionError> {
        self.command(Command::Hold {
            dialog_id: dialog_id.to_owned(),
        })
        .await
    }

    pub async fn retrieve(&self, dialog_id: &str) -> Result<CommandOutcome, SessionError> {
        self.command(Command::Retrieve {
            dialog_id: dialog_id.to_owned(),
        })
        .await
    }

    pub async fn drop_call(&self, dialog_id: &str) -> Result<CommandOutcome, SessionError> {
        self.command(Command::Drop {
            dialog_id: dialog_id.to_owned(),
        })
        .await
    }

    /// Places a call from the signed-in extension; resolves with the new dialog.
    pub async fn make_call(
        &self,
        to: &str,
        call_variables: Vec<CallVariable>,
    ) -> Result<Dialog, SessionError> {
        self.dialog_outcome(Command::MakeCall {
            to: to.to_owned(),
            call_variables,
        })
        .await
    }

    /// Consults `to` from the active call; resolves with the consult dialog.
    pub async fn consult_call(&self, dialog_id: &str, to: &str) -> Result<Dialog, SessionError> {
        self.dialog_outcome(Command::ConsultCall {
            dialog_id: dialog_id.to_owned(),
            to: to.to_owned(),
        })
        .await
    }

    pub async fn transfer(&self, dialog_id: &str) -> Result<CommandOutcome, SessionError> {
        self.command(Command::Transfer {
            dialog_id: dialog_id.to_owned(),
        })
        .await
    }

    pub async fn transfer_sst(
        &self,
        dialog_id: &str,
        to: &str,
    ) -> Result<CommandOutcome, SessionError> {
        self.command(Command::TransferSst {
            dialog_id: dialog_id.to_owned(),
            to: to.to_owned(),
        })
        .await
    }

    pub async fn conference(&self, dialog_id: &str) -> Result<CommandOutcome, SessionError> {
        self.command(Command::Conference {
            dialog_id: dialog_id.to_owned(),
        })
        .await
    }

    pub async fn send_dtmf(
        &self,
        dialog_id: &str,
        digits: &str,
    ) -> Result<CommandOutcome, SessionError> {
        self.command(Command::SendDtmf {
            dialog_id: dialog_id.to_owned(),
            digits: digits.to_owned(),
        })
        .await
    }

    pub async fn participant_drop(
        &self,
        dialog_id: &str,
        media_address: &str,
    ) -> Result<CommandOutcome, SessionError> {
        self.command(Command::ParticipantDrop {
            dialog_id: dialog_id.to_owned(),
            media_address: media_address.to_owned(),
        })
        .await
    }

    pub async fn update_call_data(
        &self,
        dialog_id: &str,
        wrap_up_reason: Option<String>,
        call_variables: Vec<CallVariable>,
    ) -> Result<CommandOutcome, SessionError> {
        self.command(Command::UpdateCallData {
            dialog_id: dialog_id.to_owned(),
            wrap_up_reason,
            call_variables,
        })
        .await
    }

    /// Sets the wrap-up reason (its label); remembered and re-sent after a reconnect until
    /// the dialog shows it.
    pub async fn set_wrap_up_reason(
        &self,
        dialog_id: &str,
        reason: &str,
    ) -> Result<CommandOutcome, SessionError> {
        self.command(Command::SetWrapUpReason {
            dialog_id: dialog_id.to_owned(),
            reason: reason.to_owned(),
        })
        .await
    }

    // ---- supervisor -------------------------------------------------------------------

    /// Subscribes to the team's agent states, then loads the team.
    pub async fn load_team(&self, team_id: &str) -> Result<Team, SessionError> {
        match self
            .command(Command::LoadTeam {
                team_id: team_id.to_owned(),
            })
            .await?
        {
            CommandOutcome::Team(team) => Ok(team),
            other => Err(unexpected(&other)),
        }
    }

    pub async fn unload_team(&self, team_id: &str) -> Result<(), SessionError> {
        self.command(Command::UnloadTeam {
            team_id: team_id.to_owned(),
        })
        .await
        .map(drop)
    }

    /// READY, NOT_READY (no reason code) or LOGOUT for an agent of a supervised team.
    /// Resolves with the member when the team is loaded, with `Accepted` otherwise.
    pub async fn change_agent_state(
        &self,
        agent_id: &str,
        state: AgentState,
        reason_code_id: Option<String>,
    ) -> Result<Option<TeamMember>, SessionError> {
        match self
            .command(Command::ChangeAgentState {
                agent_id: agent_id.to_owned(),
                state,
                reason_code_id,
            })
            .await?
        {
            CommandOutcome::TeamMember(member) => Ok(Some(member)),
            _ => Ok(None),
        }
    }

    pub async fn silent_monitor(&self, agent_extension: &str) -> Result<Dialog, SessionError> {
        self.dialog_outcome(Command::SilentMonitor {
            agent_extension: agent_extension.to_owned(),
        })
        .await
    }

    pub async fn barge_call(
        &self,
        monitor_dialog_id: &str,
        agent_extension: &str,
    ) -> Result<Dialog, SessionError> {
        self.dialog_outcome(Command::BargeCall {
            monitor_dialog_id: monitor_dialog_id.to_owned(),
            agent_extension: agent_extension.to_owned(),
        })
        .await
    }

    // ---- look-ups ---------------------------------------------------------------------

    pub async fn reason_codes(
        &self,
        category: ReasonCategory,
    ) -> Result<Vec<ReasonCode>, SessionError> {
        match self.command(Command::ReasonCodes { category }).await? {
            CommandOutcome::ReasonCodes(codes) => Ok(codes),
            other => Err(unexpected(&other)),
        }
    }

    pub async fn wrap_up_reasons(&self) -> Result<Vec<WrapUpReason>, SessionError> {
        match self.command(Command::WrapUpReasons).await? {
            CommandOutcome::WrapUpReasons(reasons) => Ok(reasons),
            other => Err(unexpected(&other)),
        }
    }

    pub async fn layout(&self) -> Result<MediaPropertiesLayout, SessionError> {
        match self.command(Command::Layout).await? {
            CommandOutcome::Layout(layout) => Ok(layout),
            other => Err(unexpected(&other)),
        }
    }

    pub async fn phone_books(&self) -> Result<Vec<PhoneBook>, SessionError> {
        match self.command(Command::PhoneBooks).await? {
            CommandOutcome::PhoneBooks(books) => Ok(books),
            other => Err(unexpected(&other)),
        }
    }

    pub async fn contacts(&self, phone_book_id: &str) -> Result<Vec<Contact>, SessionError> {
        match self
            .command(Command::Contacts {
                phone_book_id: phone_book_id.to_owned(),
            })
            .await?
        {
            CommandOutcome::Contacts(contacts) => Ok(contacts),
            other => Err(unexpected(&other)),
        }
    }

    pub async fn queues(&self) -> Result<Vec<Queue>, SessionError> {
        match self.command(Command::Queues).await? {
            CommandOutcome::Queues(queues) => Ok(queues),
            other => Err(unexpected(&other)),
        }
    }

    async fn user_outcome(&self, command: Command) -> Result<User, SessionError> {
        match self.command(command).await? {
            CommandOutcome::User(user) => Ok(user),
            // Resolved by a tagged event of another kind: Finesse confirmed it; read the user.
            _ => self
                .snapshot()
                .user
                .ok_or_else(|| unexpected(&CommandOutcome::Done)),
        }
    }

    async fn dialog_outcome(&self, command: Command) -> Result<Dialog, SessionError> {
        match self.command(command).await? {
            CommandOutcome::Dialog(dialog) | CommandOutcome::DialogRemoved(dialog) => Ok(dialog),
            other => Err(unexpected(&other)),
        }
    }
}

fn unexpected(outcome: &CommandOutcome) -> SessionError {
    SessionError::Protocol {
        message: format!("unexpected command outcome {outcome:?}"),
    }
}
