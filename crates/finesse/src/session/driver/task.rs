//! The driver task: owns the machine, performs its effects, feeds the results back.
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{broadcast, mpsc, oneshot, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::config::SessionConfig;
use super::host_watch::{NetworkWatcher, WakeDetector};
use super::perform;
use super::standby::{StandbyLink, StandbyOutcome};
use crate::model::Snapshot;
use crate::rest::{Credentials, NodeAddress, RestClient, RestConfig};
use crate::session::command::{AgentChoices, Command, CommandId, CommandOutcome};
use crate::session::connection::ConnectionState;
use crate::session::error::SessionError;
use crate::session::event::SessionEvent;
use crate::session::io::{
    Effect, Input, LinkCheckReason, LinkFailure, LinkFailureKind, RestFailure, RestFailureKind,
    RestOp, RestRequest, TimerId, XmppTarget,
};
use crate::session::machine::SessionMachine;
use crate::session::time::Millis;
use crate::xmpp::{IqType, XmppClient, XmppConfig, XmppError, XmppEvent, XmppHandle};

/// XEP-0199 ping payload.
const PING: &str = "<ping xmlns='urn:xmpp:ping'/>";

/// How long shutdown waits for unsubscribing and closing the stream.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// What a [`Session`](super::Session) handle asks of the task.
pub(super) enum Request {
    Command {
        id: CommandId,
        command: Command,
        reply: oneshot::Sender<Result<CommandOutcome, SessionError>>,
    },
    Shutdown {
        done: oneshot::Sender<()>,
    },
    /// Check the link now (the application heard of a resume or a network change).
    CheckLink,
}

/// Results of work the task spawned.
// Each outcome is moved once through the channel; boxing would only add allocations.
#[allow(clippy::large_enum_variant)]
enum Outcome {
    Input(Input),
    XmppUp {
        generation: u64,
        handle: XmppHandle,
        events: mpsc::Receiver<XmppEvent>,
    },
    XmppFailed {
        generation: u64,
        failure: LinkFailure,
    },
    /// The answer to an out-of-turn ping on connection `generation`.
    XmppChecked {
        generation: u64,
        alive: bool,
    },
    Standby(StandbyOutcome),
}

/// One XMPP action, run in order with the others of its batch.
enum XmppJob {
    Subscribe(String),
    Unsubscribe(String),
    Disconnect,
}

/// The channels the task publishes on.
pub(super) struct Outputs {
    pub connection: watch::Sender<ConnectionState>,
    pub snapshot: watch::Sender<Arc<Snapshot>>,
    pub choices: watch::Sender<AgentChoices>,
    pub events: broadcast::Sender<SessionEvent>,
}

pub(super) struct Driver {
    machine: SessionMachine,
    config: SessionConfig,
    xmpp_resource: String,
    started: Instant,
    outputs: Outputs,
    rest_clients: HashMap<String, RestClient>,
    xmpp: Option<XmppHandle>,
    /// The XMPP domain of the current connection (where pings go).
    xmpp_domain: String,
    xmpp_events: Option<mpsc::Receiver<XmppEvent>>,
    standby: StandbyLink,
    /// Grows at every connect and disconnect, so a late connect result is recognised.
    xmpp_generation: u64,
    connecting: Option<JoinHandle<()>>,
    /// The latest batch of XMPP jobs; the next batch waits for it.
    xmpp_jobs: Option<JoinHandle<()>>,
    outcomes_tx: mpsc::UnboundedSender<Outcome>,
    outcomes_rx: mpsc::UnboundedReceiver<Outcome>,
    timers: BTreeMap<TimerId, Millis>,
    waiters: HashMap<CommandId, oneshot::Sender<Result<CommandOutcome, SessionError>>>,
}

impl Driver {
    pub(super) fn new(
        machine: SessionMachine,
        config: SessionConfig,
        xmpp_resource: String,
        outputs: Outputs,
    ) -> Self {
        let (outcomes_tx, outcomes_rx) = mpsc::unbounded_channel();
        Driver {
            machine,
            config,
            xmpp_resource,
            started: Instant::now(),
            outputs,
            rest_clients: HashMap::new(),
            xmpp: None,
            xmpp_domain: String::new(),
            xmpp_events: None,
            standby: StandbyLink::default(),
            xmpp_generation: 0,
            connecting: None,
            xmpp_jobs: None,
            outcomes_tx,
            outcomes_rx,
            timers: BTreeMap::new(),
            waiters: HashMap::new(),
        }
    }

    pub(super) async fn run(mut self, mut requests: mpsc::UnboundedReceiver<Request>) {
        self.feed(Input::Start);
        let mut watch = Watch::new(&self.config);
        loop {
            let deadline = self.next_deadline();
            tokio::select! {
                request = requests.recv() => match request {
                    Some(Request::Command { id, command, reply }) => {
                        self.waiters.insert(id, reply);
                        self.feed(Input::Command { id, command });
                    }
                    Some(Request::CheckLink) => {
                        self.feed(Input::CheckLink(LinkCheckReason::Requested));
                    }
                    Some(Request::Shutdown { done }) => {
                        self.shutdown().await;
                        let _ = done.send(());
                        break;
                    }
                    None => {
                        self.shutdown().await;
                        break;
                    }
                },
                Some(outcome) = self.outcomes_rx.recv() => self.on_outcome(outcome),
                event = next_xmpp_event(&mut self.xmpp_events) => self.on_xmpp_event(event),
                () = sleep_until(deadline) => self.fire_due_timers(),
                reason = watch.next() => self.feed(Input::CheckLink(reason)),
                loss = self.standby.ended() => self.feed(Input::StandbyLost(loss)),
            }
        }
    }

    fn now(&self) -> Millis {
        Millis(u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX))
    }

    fn feed(&mut self, input: Input) {
        let effects = self.machine.handle(self.now(), input);
        self.perform(effects);
    }

    fn perform(&mut self, effects: Vec<Effect>) {
        // Views first, so a subscriber reacting to an event reads a snapshot that has it.
        if effects
            .iter()
            .any(|e| matches!(e, Effect::Publish(SessionEvent::SnapshotChanged { .. })))
        {
            self.outputs
                .snapshot
                .send_replace(Arc::new(self.machine.snapshot().clone()));
        }
        if effects
            .iter()
            .any(|e| matches!(e, Effect::Publish(SessionEvent::ChoicesChanged { .. })))
        {
            self.outputs
                .choices
                .send_replace(self.machine.choices().clone());
        }
        let mut jobs = Vec::new();
        for effect in effects {
            match effect {
                Effect::Rest(op) => self.spawn_rest(op),
                Effect::ConnectXmpp(target) => self.connect_xmpp(target),
                Effect::DisconnectXmpp => {
                    self.abandon_connect();
                    self.xmpp_events = None;
                    if let Some(handle) = self.xmpp.take() {
                        jobs.push((XmppJob::Disconnect, Some(handle)));
                    }
                }
                Effect::Subscribe { node } => {
                    jobs.push((XmppJob::Subscribe(node), self.xmpp.clone()))
                }
                Effect::Unsubscribe { node } => {
                    jobs.push((XmppJob::Unsubscribe(node), self.xmpp.clone()))
                }
                Effect::SetTimer { id, at } => {
                    self.timers.insert(id, at);
                }
                Effect::CancelTimer { id } => {
                    self.timers.remove(&id);
                }
                Effect::Publish(event) => {
                    // No subscriber is not an error.
                    let _ = self.outputs.events.send(event);
                }
                Effect::Connection(state) => {
                    self.outputs.connection.send_replace(state);
                }
                Effect::CommandDone { id, result } => {
                    if let Some(reply) = self.waiters.remove(&id) {
                        let _ = reply.send(result);
                    }
                }
                Effect::CheckXmpp => self.check_xmpp(),
                Effect::ConnectStandby(target) => {
                    let resource = format!("{}-standby", self.xmpp_resource);
                    let config = self.xmpp_config(target, resource);
                    let outcomes = self.outcomes_tx.clone();
                    self.standby.connect(config, move |outcome| {
                        let _ = outcomes.send(Outcome::Standby(outcome));
                    });
                }
                Effect::DisconnectStandby => self.standby.disconnect(),
            }
        }
        if !jobs.is_empty() {
            self.run_xmpp_jobs(jobs);
        }
    }

    fn rest_client(&mut self, node: &str) -> Result<RestClient, RestFailure> {
        if let Some(client) = self.rest_clients.get(node) {
            return Ok(client.clone());
        }
        let mut config = RestConfig::new(
            NodeAddress::with_port(node, self.config.https_port),
            Credentials::new(self.config.identity.clone(), self.config.password.clone()),
        );
        config.trust = self.config.trust.clone();
        config.timeout = self.config.rest_timeout;
        let client = RestClient::new(config).map_err(|e| perform::rest_failure(&e))?;
        self.rest_clients.insert(node.to_owned(), client.clone());
        Ok(client)
    }

    fn spawn_rest(&mut self, op: RestOp) {
        let outcomes = self.outcomes_tx.clone();
        let client = self.rest_client(&op.node);
        // A SystemInfo GET is how a node is judged while (re)connecting: a node that stays
        // silent is given up on sooner than any other request.
        let limit = matches!(op.request, RestRequest::SystemInfo)
            .then_some(self.config.system_info_timeout);
        tokio::spawn(async move {
            let result =
                match client {
                    Ok(client) => {
                        let request = perform::rest(&client, op.request);
                        match limit {
                            Some(limit) => tokio::time::timeout(limit, request)
                                .await
                                .unwrap_or_else(|_| {
                                    Err(RestFailure::new(
                                        RestFailureKind::Unreachable,
                                        format!(
                                            "no SystemInfo answer within {} ms",
                                            limit.as_millis()
                                        ),
                                    ))
                                }),
                            None => request.await,
                        }
                    }
                    Err(failure) => Err(failure),
                };
            let _ = outcomes.send(Outcome::Input(Input::RestDone { op: op.id, result }));
        });
    }

    /// One XEP-0199 ping on the current connection, out of turn.
    fn check_xmpp(&mut self) {
        let generation = self.xmpp_generation;
        let outcomes = self.outcomes_tx.clone();
        let handle = self.xmpp.clone();
        let domain = self.xmpp_domain.clone();
        let limit = self.config.link_check_timeout;
        tokio::spawn(async move {
            let alive = match handle {
                Some(handle) => {
                    let ping = handle.send_iq_xml(IqType::Get, &domain, PING);
                    // Any answer, even an error, proves the server is there.
                    match tokio::time::timeout(limit, ping).await {
                        Ok(Ok(_)) | Ok(Err(XmppError::IqError { .. })) => true,
                        Ok(Err(_)) | Err(_) => false,
                    }
                }
                None => false,
            };
            let _ = outcomes.send(Outcome::XmppChecked { generation, alive });
        });
    }

    fn connect_xmpp(&mut self, target: XmppTarget) {
        self.abandon_connect();
        let generation = self.xmpp_generation;
        self.xmpp_domain = target.domain.to_lowercase();
        let config = self.xmpp_config(target, self.xmpp_resource.clone());
        let outcomes = self.outcomes_tx.clone();
        self.connecting = Some(tokio::spawn(async move {
            let outcome = match XmppClient::connect(config).await {
                Ok((handle, events)) => Outcome::XmppUp {
                    generation,
                    handle,
                    events,
                },
                Err(error) => Outcome::XmppFailed {
                    generation,
                    failure: perform::link_failure(&error),
                },
            };
            let _ = outcomes.send(outcome);
        }));
    }

    fn xmpp_config(&self, target: XmppTarget, resource: String) -> XmppConfig {
        let mut config = XmppConfig::new(
            &target.node,
            target.domain,
            target.pubsub_domain,
            target.user_id,
            self.config.password.clone(),
        );
        config.resource = resource;
        config.transports = self.config.xmpp_transports.for_host(&target.node);
        config.trust = self.config.trust.clone();
        config.connect_timeout = self.config.xmpp_connect_timeout;
        config.ping_interval = self.config.xmpp_ping_interval;
        config.ping_timeout = self.config.xmpp_ping_timeout;
        config.max_missed_pings = self.config.xmpp_max_missed_pings;
        config
    }

    /// Forgets any connect in flight: its result, if it still comes, is discarded.
    fn abandon_connect(&mut self) {
        self.xmpp_generation += 1;
        if let Some(task) = self.connecting.take() {
            task.abort();
        }
    }

    fn run_xmpp_jobs(&mut self, jobs: Vec<(XmppJob, Option<XmppHandle>)>) {
        let previous = self.xmpp_jobs.take();
        let outcomes = self.outcomes_tx.clone();
        self.xmpp_jobs = Some(tokio::spawn(async move {
            if let Some(previous) = previous {
                let _ = previous.await;
            }
            for (job, handle) in jobs {
                let report = |node: String, subscribed: bool, result: Result<(), LinkFailure>| {
                    let _ = outcomes.send(Outcome::Input(Input::SubscriptionDone {
                        node,
                        subscribed,
                        result,
                    }));
                };
                let closed = || {
                    Err(LinkFailure::new(
                        LinkFailureKind::Unreachable,
                        "the notification connection is closed",
                    ))
                };
                match (job, handle) {
                    (XmppJob::Subscribe(node), Some(handle)) => {
                        let result = handle
                            .subscribe(&node)
                            .await
                            .map_err(|e| perform::link_failure(&e));
                        report(node, true, result);
                    }
                    (XmppJob::Unsubscribe(node), Some(handle)) => {
                        let result = handle
                            .unsubscribe(&node)
                            .await
                            .map_err(|e| perform::link_failure(&e));
                        report(node, false, result);
                    }
                    (XmppJob::Subscribe(node), None) => report(node, true, closed()),
                    (XmppJob::Unsubscribe(node), None) => report(node, false, closed()),
                    (XmppJob::Disconnect, Some(handle)) => handle.disconnect().await,
                    (XmppJob::Disconnect, None) => {}
                }
            }
        }));
    }

    fn on_outcome(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Input(input) => self.feed(input),
            Outcome::XmppUp {
                generation,
                handle,
                events,
            } => {
                if generation != self.xmpp_generation {
                    tokio::spawn(async move { handle.disconnect().await });
                    return;
                }
                self.connecting = None;
                self.xmpp = Some(handle);
                self.xmpp_events = Some(events);
                self.feed(Input::XmppConnected);
            }
            Outcome::XmppFailed {
                generation,
                failure,
            } => {
                if generation == self.xmpp_generation {
                    self.connecting = None;
                    self.feed(Input::XmppConnectFailed(failure));
                }
            }
            Outcome::Standby(outcome) => match self.standby.settle(outcome) {
                Some(Ok(())) => self.feed(Input::StandbyConnected),
                Some(Err(failure)) => self.feed(Input::StandbyConnectFailed(failure)),
                None => {}
            },
            Outcome::XmppChecked { generation, alive } => {
                // A check of a connection since replaced says nothing about the current one.
                let current = generation == self.xmpp_generation && self.xmpp.is_some();
                self.feed(Input::XmppChecked {
                    alive: alive || !current,
                });
            }
        }
    }

    fn on_xmpp_event(&mut self, event: Option<XmppEvent>) {
        match event {
            Some(XmppEvent::Message(message)) => self.feed(Input::XmppMessage(message)),
            Some(XmppEvent::FinessePresence { available }) => {
                self.feed(Input::FinessePresence { available })
            }
            Some(XmppEvent::Presence { .. }) => {}
            Some(XmppEvent::Disconnected(reason)) => {
                self.xmpp = None;
                self.xmpp_events = None;
                self.feed(Input::XmppDisconnected(perform::link_loss(reason)));
            }
            None => {
                self.xmpp = None;
                self.xmpp_events = None;
                self.feed(Input::XmppDisconnected(
                    crate::session::io::LinkLoss::SocketClosed,
                ));
            }
        }
    }

    fn next_deadline(&self) -> Option<Instant> {
        self.timers
            .values()
            .min()
            .map(|at| self.started + at.as_duration())
    }

    fn fire_due_timers(&mut self) {
        let now = self.now();
        let mut due: Vec<(Millis, TimerId)> = self
            .timers
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(id, at)| (*at, *id))
            .collect();
        due.sort();
        for (_, id) in due {
            if self.timers.remove(&id).is_some() {
                self.feed(Input::TimerFired(id));
            }
        }
    }

    async fn shutdown(&mut self) {
        self.feed(Input::Shutdown);
        self.abandon_connect();
        self.standby.close(SHUTDOWN_GRACE).await;
        if let Some(jobs) = self.xmpp_jobs.take() {
            if tokio::time::timeout(SHUTDOWN_GRACE, jobs).await.is_err() {
                tracing::warn!("closing the notification connection took too long");
            }
        }
        for (_, reply) in self.waiters.drain() {
            let _ = reply.send(Err(SessionError::SessionClosed));
        }
    }
}

async fn next_xmpp_event(events: &mut Option<mpsc::Receiver<XmppEvent>>) -> Option<XmppEvent> {
    match events {
        Some(events) => events.recv().await,
        None => std::future::pending().await,
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

/// The periodic look for sleep and network changes.
struct Watch {
    ticker: Option<tokio::time::Interval>,
    wake: WakeDetector,
    network: Option<NetworkWatcher>,
}

impl Watch {
    fn new(config: &SessionConfig) -> Self {
        let ticker = config.watch_interval.filter(|i| !i.is_zero()).map(|every| {
            let mut ticker = tokio::time::interval_at(Instant::now() + every, every);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            ticker
        });
        Watch {
            ticker,
            wake: WakeDetector::new(config.wall_clock.clone()),
            network: config
                .watch_network
                .then(NetworkWatcher::for_host)
                .flatten(),
        }
    }

    /// The next reason to check the link; pending for ever when not watching.
    async fn next(&mut self) -> LinkCheckReason {
        let Some(ticker) = self.ticker.as_mut() else {
            return std::future::pending().await;
        };
        loop {
            ticker.tick().await;
            if let Some(slept) = self.wake.slept() {
                tracing::info!(
                    slept_ms = slept.as_millis() as u64,
                    "the host woke from sleep"
                );
                return LinkCheckReason::Woke {
                    slept_ms: u64::try_from(slept.as_millis()).unwrap_or(u64::MAX),
                };
            }
            if self.network.as_mut().is_some_and(NetworkWatcher::changed) {
                tracing::info!("the host's network changed");
                return LinkCheckReason::NetworkChanged;
            }
        }
    }
}
