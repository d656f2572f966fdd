//! The Finesse emulator for the end-to-end tests: the demo lab in-process on 127.0.0.1 with
//! a hand-moved clock (nothing times out while the slow UI is driven), plus a colleague
//! driven over the emulator's own REST API and ways to read its ground truth.
use std::time::Duration;

use base64::Engine as _;
use finesse_emulator::center::{
    AgentState, AgentTruth, CallId, CallSpec, CallTruth, CallVariable, Method, NodeId,
    ParticipantState, RestRequest,
};
use finesse_emulator::clock::SimClock;
use finesse_emulator::config::{LabConfig, DEMO_PASSWORD};
use finesse_emulator::net::{Lab, LabOptions};

use super::driver::PATIENCE;
use super::wait::wait_until;

/// The agent the app signs in as.
pub const AGENT: &str = "agent01";
pub const AGENT_ID: &str = "1001";
pub const AGENT_EXTENSION: &str = "2001";
/// A colleague in the same team, driven over REST (consult and transfer target).
pub const COLLEAGUE_ID: &str = "1002";
pub const COLLEAGUE_EXTENSION: &str = "2002";
/// The Sales queue, which routes to team 1 (agent01 and the colleague).
pub const SALES_QUEUE: &str = "5001";

/// A running emulator.
pub struct E2eLab {
    pub lab: Lab,
}

fn basic(user: &str) -> String {
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{DEMO_PASSWORD}"));
    format!("Basic {token}")
}

impl E2eLab {
    /// The demo lab on free ports with a manual clock.
    pub async fn start() -> E2eLab {
        let options = LabOptions::new(LabConfig::demo(), SimClock::manual()).with_ephemeral_ports();
        let lab = Lab::start(options).await.expect("the emulator starts");
        E2eLab { lab }
    }

    /// Node A as the sign-in screen wants it: `host:port`.
    pub fn node_a(&self) -> String {
        let node = self.lab.node(NodeId::A);
        format!("{}:{}", node.host, node.https_port)
    }

    /// Launch flags pointing the app at this lab.
    pub fn app_args(&self) -> Vec<String> {
        vec![
            "--node-a".into(),
            self.node_a(),
            "--ca-file".into(),
            self.lab.ca_path().to_string_lossy().into_owned(),
            "--demo-hint".into(),
            format!("Demo: {AGENT} / {DEMO_PASSWORD}, extension {AGENT_EXTENSION}"),
        ]
    }

    /// The emulator's view of an agent.
    pub fn agent(&self, id: &str) -> AgentTruth {
        self.lab
            .truth()
            .agent(id)
            .cloned()
            .unwrap_or_else(|| panic!("no agent {id}"))
    }

    /// Wait until the agent's truth satisfies `condition`; panics with `what` otherwise.
    pub fn wait_for_agent(
        &self,
        id: &str,
        what: &str,
        condition: impl Fn(&AgentTruth) -> bool,
    ) -> AgentTruth {
        let held = wait_until(PATIENCE, || condition(&self.agent(id)));
        let agent = self.agent(id);
        assert!(held, "agent {id} never became {what}: {agent:?}");
        agent
    }

    /// Wait until the agent is in `state`.
    pub fn wait_for_state(&self, id: &str, state: AgentState) -> AgentTruth {
        self.wait_for_agent(id, state.as_str(), |a| a.state == state)
    }

    /// The emulator's view of a call.
    pub fn call(&self, id: CallId) -> Option<CallTruth> {
        self.lab.truth().call(id).cloned()
    }

    /// Wait until the call's truth satisfies `condition`.
    pub fn wait_for_call(
        &self,
        id: CallId,
        what: &str,
        condition: impl Fn(Option<&CallTruth>) -> bool,
    ) {
        let held = wait_until(PATIENCE, || condition(self.call(id).as_ref()));
        assert!(held, "call {id} never became {what}: {:?}", self.call(id));
    }

    /// The state of `address`'s leg of a call.
    pub fn leg(&self, call: CallId, address: &str) -> Option<ParticipantState> {
        self.call(call)?
            .participants
            .iter()
            .find(|p| p.address == address)
            .map(|p| p.state)
    }

    /// A customer call from `caller` into the Sales queue, with call data.
    pub fn customer_call(&self, caller: &str, customer: &str) -> CallId {
        self.lab
            .place_call(CallSpec {
                caller: caller.into(),
                dialed_number: String::new(),
                queue: SALES_QUEUE.into(),
                call_variables: vec![
                    CallVariable::new("callVariable1", customer),
                    CallVariable::new("callVariable2", "ACC-20931"),
                    CallVariable::new("callVariable3", "Upgrade"),
                ],
                ecc: vec![CallVariable::new("user.priority", "gold")],
                call_type: None,
            })
            .expect("the emulator places the call")
    }

    fn rest(&self, method: Method, user: &str, path: &str, body: &str) -> (u16, String) {
        let mut request = RestRequest::new(method, path);
        request.authorization = Some(basic(user));
        request.content_type = Some("application/xml".into());
        request.request_id = Some(format!("e2e-{user}"));
        request.body = body.as_bytes().to_vec();
        let reply = self
            .lab
            .with_center(|center, now| center.handle_rest(now, NodeId::A, request));
        (reply.status, reply.body)
    }

    /// Sign the colleague in on their extension; they stay Not Ready, so queue calls keep
    /// going to the app's agent.
    pub fn colleague_signs_in(&self) {
        let body = format!(
            "<User><state>LOGIN</state><extension>{COLLEAGUE_EXTENSION}</extension></User>"
        );
        let (status, reply) = self.rest(
            Method::Put,
            COLLEAGUE_ID,
            &format!("/finesse/api/User/{COLLEAGUE_ID}"),
            &body,
        );
        assert_eq!(status, 202, "the colleague could not sign in: {reply}");
        self.wait_for_state(COLLEAGUE_ID, AgentState::NotReady);
    }

    /// The colleague answers the call ringing on their phone; returns its id.
    pub fn colleague_answers(&self) -> CallId {
        let mut ringing = None;
        let found = wait_until(PATIENCE, || {
            ringing = self.lab.truth().calls.iter().find_map(|call| {
                call.participants
                    .iter()
                    .any(|p| {
                        p.address == COLLEAGUE_EXTENSION && p.state == ParticipantState::Alerting
                    })
                    .then_some(call.id)
            });
            ringing.is_some()
        });
        assert!(
            found,
            "nothing rang on the colleague's phone: {:?}",
            self.lab.truth().calls
        );
        let call = ringing.unwrap_or(CallId(0));
        let body = format!(
            "<Dialog><requestedAction>ANSWER</requestedAction><targetMediaAddress>{COLLEAGUE_EXTENSION}</targetMediaAddress></Dialog>"
        );
        let (status, reply) = self.rest(
            Method::Put,
            COLLEAGUE_ID,
            &format!("/finesse/api/Dialog/{call}"),
            &body,
        );
        assert_eq!(status, 202, "the colleague could not answer: {reply}");
        call
    }

    /// Sign agent `id` in on `extension` over REST, as from a desk of their own; they start
    /// Not Ready.
    pub fn agent_signs_in(&self, id: &str, extension: &str) {
        let body = format!("<User><state>LOGIN</state><extension>{extension}</extension></User>");
        let (status, reply) = self.rest(Method::Put, id, &format!("/finesse/api/User/{id}"), &body);
        assert_eq!(status, 202, "agent {id} could not sign in: {reply}");
        self.wait_for_state(id, AgentState::NotReady);
    }

    /// Agent `id` changes their own state over REST (`reason_id`: a reason code's id) and
    /// the emulator has applied it.
    pub fn agent_sets_state(
        &self,
        id: &str,
        state: AgentState,
        reason_id: Option<&str>,
    ) -> AgentTruth {
        let reason = reason_id
            .map(|r| format!("<reasonCodeId>{r}</reasonCodeId>"))
            .unwrap_or_default();
        let body = format!("<User><state>{}</state>{reason}</User>", state.as_str());
        let (status, reply) = self.rest(Method::Put, id, &format!("/finesse/api/User/{id}"), &body);
        assert_eq!(
            status,
            202,
            "agent {id} could not go {}: {reply}",
            state.as_str()
        );
        self.wait_for_state(id, state)
    }

    /// Agent `id` answers the call ringing on `extension`; returns the call's id once the
    /// agent talks on it.
    pub fn agent_answers(&self, id: &str, extension: &str) -> CallId {
        let mut ringing = None;
        let found = wait_until(PATIENCE, || {
            ringing = self.lab.truth().calls.iter().find_map(|call| {
                call.participants
                    .iter()
                    .any(|p| p.address == extension && p.state == ParticipantState::Alerting)
                    .then_some(call.id)
            });
            ringing.is_some()
        });
        assert!(
            found,
            "nothing rang on {extension}: {:?}",
            self.lab.truth().calls
        );
        let call = ringing.unwrap_or(CallId(0));
        let body = format!(
            "<Dialog><requestedAction>ANSWER</requestedAction><targetMediaAddress>{extension}</targetMediaAddress></Dialog>"
        );
        let (status, reply) = self.rest(
            Method::Put,
            id,
            &format!("/finesse/api/Dialog/{call}"),
            &body,
        );
        assert_eq!(status, 202, "agent {id} could not answer: {reply}");
        self.wait_for_state(id, AgentState::Talking);
        call
    }

    /// Move the emulator's clock (wrap-up timers, lockouts).
    pub fn advance(&self, by: Duration) {
        self.lab.advance_clock(by);
    }

    /// Prove that exactly `expected` wrong passwords were counted against `user` since its
    /// last good sign-in: the account locks on the fifth consecutive failure, so after
    /// `4 - expected` more wrong tries it must still be open and after one more locked.
    /// (The lockout is lifted again afterwards by moving the clock past it.)
    pub fn assert_failed_sign_ins(&self, user: &str, expected: u32) {
        assert!(expected < 5, "five failures lock the account");
        let id = self.agent(user).id;
        let try_wrong = || {
            self.lab.with_center(|center, now| {
                let _ = center.authenticate(now, &id, "not-the-password");
            })
        };
        for _ in 0..(4 - expected) {
            try_wrong();
        }
        assert_eq!(
            self.agent(&id).locked_out_until,
            None,
            "the account locked early: more than {expected} failed sign-in(s) were counted"
        );
        try_wrong();
        assert!(
            self.agent(&id).locked_out_until.is_some(),
            "the account did not lock: fewer than {expected} failed sign-in(s) were counted"
        );
        self.advance(Duration::from_secs(5 * 60 + 1));
    }
}
