//! A test rig for the pure session machine: feeds inputs at a hand-driven clock, keeps the
//! timers the machine set, and loads real-shaped fixture files.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::time::Duration;

use finesse::model::{Dialog, Team, User};
use finesse::model::{ReasonCode, SystemInfo};
use finesse::session::{
    Backoff, Command, CommandId, CommandOutcome, ConnectionState, Effect, Input, MachineConfig,
    Millis, RestFailure, RestFailureKind, RestOp, RestOpId, RestReply, RestRequest, SessionError,
    SessionEvent, SessionMachine, SessionPolicy, TimerId, XmppTarget,
};

pub const AGENT: &str = "1001001";
pub const EXTENSION: &str = "1001001";
pub const DIALOG: &str = "16804377";
pub const NODE_A: &str = "fin-a.example.com";
pub const NODE_B: &str = "fin-b.example.com";

pub fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/session/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn system_info(name: &str) -> SystemInfo {
    SystemInfo::from_xml(&fixture(name)).unwrap()
}

pub fn user(name: &str) -> User {
    User::from_xml(&fixture(name)).unwrap()
}

pub fn dialogs(name: &str) -> Vec<Dialog> {
    Dialog::list_from_xml(&fixture(name)).unwrap()
}

pub fn team(name: &str) -> Team {
    Team::from_xml(&fixture(name)).unwrap()
}

pub fn reason_codes(name: &str) -> Vec<ReasonCode> {
    ReasonCode::list_from_xml(&fixture(name)).unwrap()
}

/// A `<message>` stanza from a fixture, with its `REQUEST_ID` placeholder replaced.
pub fn message(name: &str, request_id: Option<&str>) -> finesse::xml::Element {
    let xml = fixture(name).replace("REQUEST_ID", request_id.unwrap_or(""));
    finesse::xml::parse(&xml).unwrap()
}

/// A policy with round numbers and no jitter, so backoff values can be asserted exactly.
pub fn policy() -> SessionPolicy {
    SessionPolicy {
        backoff: Backoff {
            initial: Duration::from_secs(1),
            max: Duration::from_secs(30),
            multiplier: 2.0,
            jitter_ratio: 0.0,
        },
        learn_nodes_from_system_info: false,
        ..SessionPolicy::for_nodes([NODE_A, NODE_B])
    }
}

pub fn failure(kind: RestFailureKind, status: u16) -> RestFailure {
    RestFailure {
        status: Some(status),
        ..RestFailure::new(kind, format!("HTTP {status}"))
    }
}

pub struct Rig {
    pub machine: SessionMachine,
    pub now: Millis,
    pub timers: BTreeMap<TimerId, Millis>,
    /// Every effect since the rig was made, in order.
    pub log: Vec<Effect>,
    next_command: u64,
}

impl Rig {
    pub fn new(policy: SessionPolicy) -> Self {
        Self::with_identity(AGENT, policy)
    }

    pub fn with_identity(identity: &str, policy: SessionPolicy) -> Self {
        let machine = SessionMachine::new(MachineConfig {
            identity: identity.to_owned(),
            policy,
            jitter_seed: 7,
        })
        .unwrap();
        Rig {
            machine,
            now: Millis(0),
            timers: BTreeMap::new(),
            log: Vec::new(),
            next_command: 1,
        }
    }

    pub fn feed(&mut self, input: Input) -> Vec<Effect> {
        let effects = self.machine.handle(self.now, input);
        for effect in &effects {
            match effect {
                Effect::SetTimer { id, at } => {
                    self.timers.insert(*id, *at);
                }
                Effect::CancelTimer { id } => {
                    self.timers.remove(id);
                }
                _ => {}
            }
        }
        self.log.extend(effects.iter().cloned());
        effects
    }

    /// Moves the clock to the earliest timer and fires it.
    pub fn fire_next_timer(&mut self) -> Vec<Effect> {
        let (id, at) = self
            .timers
            .iter()
            .min_by_key(|(id, at)| (**at, **id))
            .map(|(id, at)| (*id, *at))
            .expect("no timer is set");
        self.timers.remove(&id);
        self.now = self.now.max(at);
        self.feed(Input::TimerFired(id))
    }

    /// The delay until the earliest timer.
    pub fn next_timer_in(&self) -> Duration {
        let at = self
            .timers
            .values()
            .min()
            .copied()
            .expect("no timer is set");
        at.since(self.now)
    }

    pub fn advance(&mut self, by: Duration) -> Vec<Effect> {
        let target = self.now.after(by);
        let mut effects = Vec::new();
        while self.timers.values().any(|at| *at <= target) {
            effects.extend(self.fire_next_timer());
        }
        self.now = target;
        effects
    }

    pub fn reply(&mut self, op: RestOpId, reply: RestReply) -> Vec<Effect> {
        self.feed(Input::RestDone {
            op,
            result: Ok(reply),
        })
    }

    pub fn reply_err(&mut self, op: RestOpId, failure: RestFailure) -> Vec<Effect> {
        self.feed(Input::RestDone {
            op,
            result: Err(failure),
        })
    }

    pub fn event(&mut self, name: &str, request_id: Option<&str>) -> Vec<Effect> {
        self.feed(Input::XmppMessage(message(name, request_id)))
    }

    pub fn command(&mut self, command: Command) -> (CommandId, Vec<Effect>) {
        let id = CommandId(self.next_command);
        self.next_command += 1;
        let effects = self.feed(Input::Command { id, command });
        (id, effects)
    }

    /// Start-up through SystemInfo, user look-up, XMPP and the sync, ending Connected.
    pub fn connect(&mut self, user_fixture: &str, dialogs_fixture: &str) -> Vec<Effect> {
        let effects = self.feed(Input::Start);
        let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
        let effects = self.reply(
            op.id,
            RestReply::SystemInfo(system_info("rest_system_info_in_service.xml")),
        );
        let effects = if self.machine.user_id().is_none() {
            let op = rest_op(&effects, |r| {
                matches!(r, RestRequest::UserByLoginName { .. })
            });
            self.reply(op.id, RestReply::User(user(user_fixture)))
        } else {
            effects
        };
        assert!(
            xmpp_target(&effects).is_some(),
            "XMPP is opened: {effects:#?}"
        );
        let effects = self.feed(Input::XmppConnected);
        self.finish_sync(&effects, user_fixture, dialogs_fixture)
    }

    /// Answers the User and Dialogs GETs found in `effects`.
    pub fn finish_sync(
        &mut self,
        effects: &[Effect],
        user_fixture: &str,
        dialogs_fixture: &str,
    ) -> Vec<Effect> {
        let user_op = rest_op(effects, |r| matches!(r, RestRequest::User { .. }));
        let dialogs_op = rest_op(effects, |r| matches!(r, RestRequest::Dialogs { .. }));
        let mut out = self.reply(user_op.id, RestReply::User(user(user_fixture)));
        out.extend(self.reply(dialogs_op.id, RestReply::Dialogs(dialogs(dialogs_fixture))));
        assert!(
            self.machine.connection().is_connected(),
            "connected: {:?}",
            self.machine.connection()
        );
        out
    }

    pub fn connected_agent(dialogs_fixture: &str) -> Rig {
        let mut rig = Rig::new(policy());
        rig.connect("rest_user_not_ready.xml", dialogs_fixture);
        rig
    }

    /// Answers a command's PUT/POST with 202 and returns the requestId the REST client
    /// reports it was sent with.
    pub fn accept(&mut self, effects: &[Effect]) -> String {
        let op = rest_ops(effects)
            .into_iter()
            .find(|op| is_change(&op.request))
            .expect("a PUT or POST");
        let request_id = format!("req-{}", op.id.0);
        self.reply(
            op.id,
            RestReply::Accepted {
                request_id: Some(request_id.clone()),
            },
        );
        request_id
    }
}

pub fn rest_ops(effects: &[Effect]) -> Vec<RestOp> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Rest(op) => Some(op.clone()),
            _ => None,
        })
        .collect()
}

pub fn rest_op(effects: &[Effect], wanted: impl Fn(&RestRequest) -> bool) -> RestOp {
    rest_ops(effects)
        .into_iter()
        .find(|op| wanted(&op.request))
        .unwrap_or_else(|| panic!("no matching REST request in {effects:#?}"))
}

/// A PUT or POST (a state change), as opposed to a GET.
pub fn is_change(request: &RestRequest) -> bool {
    matches!(
        request,
        RestRequest::PutUser { .. }
            | RestRequest::PostDialog { .. }
            | RestRequest::PutDialog { .. }
    )
}

pub fn xmpp_target(effects: &[Effect]) -> Option<XmppTarget> {
    effects.iter().find_map(|e| match e {
        Effect::ConnectXmpp(target) => Some(target.clone()),
        _ => None,
    })
}

pub fn done(effects: &[Effect], id: CommandId) -> Option<Result<CommandOutcome, SessionError>> {
    effects.iter().find_map(|e| match e {
        Effect::CommandDone { id: done, result } if *done == id => Some(result.clone()),
        _ => None,
    })
}

pub fn done_ok(effects: &[Effect], id: CommandId) -> CommandOutcome {
    match done(effects, id) {
        Some(Ok(outcome)) => outcome,
        other => panic!("command {id:?} should have succeeded, got {other:?} in {effects:#?}"),
    }
}

pub fn done_err(effects: &[Effect], id: CommandId) -> SessionError {
    match done(effects, id) {
        Some(Err(error)) => error,
        other => panic!("command {id:?} should have failed, got {other:?}"),
    }
}

pub fn published(effects: &[Effect]) -> Vec<SessionEvent> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Publish(event) => Some(event.clone()),
            _ => None,
        })
        .collect()
}

pub fn event_names(effects: &[Effect]) -> Vec<&'static str> {
    published(effects).iter().map(SessionEvent::name).collect()
}

pub fn states(effects: &[Effect]) -> Vec<ConnectionState> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Connection(state) => Some(state.clone()),
            _ => None,
        })
        .collect()
}

pub fn has(effects: &[Effect], wanted: impl Fn(&Effect) -> bool) -> bool {
    effects.iter().any(wanted)
}
