//! Soak: hundreds of random faults while calls keep coming, with the client's view checked
//! against the emulator's truth after every one.
//!
//! Seeded and reproducible: the fault sequence and the call flow's choices come from one
//! generator (`RINGSIDE_SOAK_SEED`, default below; `RINGSIDE_SOAK_FAULTS` sets how many).
//! A failure names the seed and the fault number; the same seed replays the same sequence
//! (the real-time interleaving of client and servers can still differ between runs).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::time::Duration;

use finesse::model::AgentState;
use finesse::session::{JitterSource, Session};
use finesse_emulator::center::{AgentState as TruthState, NodeId, ParticipantState};
use ringside_tests::chaos::*;
use ringside_tests::fault_proxy::{Direction, FaultMode};

const AGENT: &str = "1001";
const EXTENSION: &str = "2001";
const DEFAULT_SEED: u64 = 0x5EED_2024;
const DEFAULT_FAULTS: usize = 300;

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| {
        let v = v.trim();
        v.strip_prefix("0x")
            .map(|hex| u64::from_str_radix(hex, 16).ok())
            .unwrap_or_else(|| v.parse().ok())
    })
}

struct Dice(JitterSource);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        ((self.0.next_unit() * n as f64) as usize).min(n.saturating_sub(1))
    }

    fn chance(&mut self, p: f64) -> bool {
        self.0.next_unit() < p
    }

    fn node(&mut self) -> NodeId {
        if self.chance(0.5) {
            NodeId::A
        } else {
            NodeId::B
        }
    }

    fn seconds(&mut self, max: u64) -> Duration {
        Duration::from_secs(1 + self.below(max as usize) as u64)
    }
}

/// The faults the soak picks from.
#[derive(Debug, Clone, Copy)]
enum Fault {
    /// The path to one node resets every connection.
    ResetPath(NodeId),
    /// Both paths reset, for a while of Finesse's time.
    ResetBoth(Duration),
    BlackHole(NodeId),
    HalfOpen(NodeId, Direction),
    Slow(NodeId, Duration),
    /// The emulator drops a node's XMPP links.
    DropLinks(NodeId),
    OutOfService(NodeId, Duration),
    FinesseDown(NodeId),
    Restart(NodeId),
    RestartBoth(Duration),
    RepeatEvents(NodeId),
    HoldUpEvents(NodeId),
    Sleep,
}

impl Fault {
    fn name(self) -> &'static str {
        match self {
            Fault::ResetPath(_) => "reset_path",
            Fault::ResetBoth(_) => "reset_both",
            Fault::BlackHole(_) => "black_hole",
            Fault::HalfOpen(..) => "half_open",
            Fault::Slow(..) => "slow",
            Fault::DropLinks(_) => "drop_links",
            Fault::OutOfService(..) => "out_of_service",
            Fault::FinesseDown(_) => "finesse_down",
            Fault::Restart(_) => "restart",
            Fault::RestartBoth(_) => "restart_both",
            Fault::RepeatEvents(_) => "repeat_events",
            Fault::HoldUpEvents(_) => "hold_up_events",
            Fault::Sleep => "sleep",
        }
    }

    fn pick(dice: &mut Dice) -> Fault {
        let node = dice.node();
        match dice.below(13) {
            0 => Fault::ResetPath(node),
            1 => Fault::ResetBoth(dice.seconds(30)),
            2 => Fault::BlackHole(node),
            3 => Fault::HalfOpen(
                node,
                if dice.chance(0.5) {
                    Direction::ServerToClient
                } else {
                    Direction::ClientToServer
                },
            ),
            4 => Fault::Slow(node, Duration::from_millis(20 + dice.below(80) as u64)),
            5 => Fault::DropLinks(node),
            6 => Fault::OutOfService(node, dice.seconds(20)),
            7 => Fault::FinesseDown(node),
            8 => Fault::Restart(node),
            9 => Fault::RestartBoth(dice.seconds(20)),
            10 => Fault::RepeatEvents(node),
            11 => Fault::HoldUpEvents(node),
            _ => Fault::Sleep,
        }
    }
}

struct Soak {
    chaos: ChaosLab,
    session: Session,
    dice: Dice,
    /// Calls placed so far (the flow keeps one at a time).
    calls: u32,
}

impl Soak {
    /// One step of an agent's day: whatever the state asks for next. Commands may be
    /// refused (not connected, or the state moved on): the next step tries again.
    async fn call_step(&mut self) {
        let truth = self.chaos.lab.truth();
        let agent = truth.agent(AGENT).unwrap().clone();
        let mine = agent
            .dialogs
            .first()
            .and_then(|id| truth.call(*id))
            .and_then(|call| {
                call.participants
                    .iter()
                    .find(|p| p.address == EXTENSION)
                    .map(|p| (call.id, p.state))
            });
        let waiting = truth.queues.iter().any(|q| !q.waiting_calls.is_empty());
        let s = &self.session;
        match (agent.state, mine) {
            (TruthState::Logout, _) => {
                let _ = s.sign_in(EXTENSION, None, None).await;
            }
            (_, Some((call, ParticipantState::Alerting))) => {
                let _ = s.answer(&call.to_string()).await;
            }
            (_, Some((call, ParticipantState::Active))) => match self.dice.below(3) {
                0 => {
                    let _ = s.hold(&call.to_string()).await;
                }
                1 => {
                    let _ = s.drop_call(&call.to_string()).await;
                }
                _ => {
                    let _ = self.chaos.lab.hang_up(call);
                }
            },
            (_, Some((call, ParticipantState::Held))) => {
                let _ = s.retrieve(&call.to_string()).await;
            }
            // Wrap-up, or a call that is over but still listed: ready for the next one.
            (TruthState::Work | TruthState::WorkReady, _)
            | (
                TruthState::NotReady,
                None | Some((_, ParticipantState::Dropped | ParticipantState::WrapUp)),
            ) => {
                let _ = s.change_state(AgentState::Ready, None).await;
            }
            (TruthState::Ready, None) if !waiting => {
                self.calls += 1;
                let _ = self
                    .chaos
                    .lab
                    .place_call(finesse_emulator::center::CallSpec {
                        caller: format!("40855{:05}", self.calls),
                        queue: "5001".into(),
                        ..Default::default()
                    });
            }
            _ => {}
        }
        // Distinct stamps for distinct states, as real time would give them.
        self.chaos.lab.advance_clock(Duration::from_secs(1));
    }

    async fn apply(&mut self, fault: Fault) {
        let lab = &self.chaos.lab;
        match fault {
            Fault::ResetPath(node) => self.chaos.fault(node, FaultMode::Drop),
            Fault::ResetBoth(outage) => {
                self.chaos.fault(NodeId::A, FaultMode::Drop);
                self.chaos.fault(NodeId::B, FaultMode::Drop);
                wait_lost(&self.session).await;
                lab.advance_clock(outage);
            }
            Fault::BlackHole(node) => {
                self.chaos.fault(node, FaultMode::BlackHole);
                if self.dice.chance(0.3) && self.on(node) {
                    // Let the pings find it.
                    wait_lost(&self.session).await;
                }
            }
            Fault::HalfOpen(node, stopped) => {
                self.chaos.fault(node, FaultMode::HalfOpen { stopped });
                if self.dice.chance(0.3) && self.on(node) {
                    wait_lost(&self.session).await;
                }
            }
            Fault::Slow(node, by) => self.chaos.fault(node, FaultMode::Delay(by)),
            Fault::DropLinks(node) => lab.drop_xmpp_links(node),
            Fault::OutOfService(node, outage) => {
                lab.set_out_of_service(node, true, "CTI link down");
                lab.advance_clock(outage);
            }
            Fault::FinesseDown(node) => lab.set_finesse_presence(node, false),
            Fault::Restart(node) => lab.stop_node(node).await,
            Fault::RestartBoth(outage) => {
                lab.stop_node(NodeId::A).await;
                lab.stop_node(NodeId::B).await;
                lab.advance_clock(outage);
            }
            Fault::RepeatEvents(node) => {
                lab.duplicate_events(node, "/finesse/api/User/1001", 3, Duration::from_secs(2))
            }
            Fault::HoldUpEvents(node) => {
                lab.delay_events(node, "/finesse/api/User/1001", 1, Duration::from_secs(2))
            }
            Fault::Sleep => self.chaos.wall_clock.jump_forward(Duration::from_secs(600)),
        }
    }

    fn on(&self, node: NodeId) -> bool {
        self.session.connection().borrow().node() == Some(host(node))
    }

    /// Everything works again.
    async fn heal(&mut self) {
        let lab = &self.chaos.lab;
        self.chaos.heal();
        for node in NodeId::ALL {
            if !lab.node_running(node) {
                lab.start_node(node).await.unwrap();
            }
            lab.set_out_of_service(node, false, "");
            lab.set_finesse_presence(node, true);
            lab.clear_event_faults(node);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundreds_of_random_faults_during_calls_leave_no_divergence() {
    let seed = env_number("RINGSIDE_SOAK_SEED").unwrap_or(DEFAULT_SEED);
    let faults = env_number("RINGSIDE_SOAK_FAULTS").map_or(DEFAULT_FAULTS, |n| n as usize);
    eprintln!("soak: seed {seed:#x}, {faults} faults");
    let chaos = ChaosLab::start().await.unwrap();
    let session = chaos.agent(AGENT, EXTENSION, true).await;
    let recorder = Recorder::watch(&session);
    let mut soak = Soak {
        chaos,
        session,
        dice: Dice(JitterSource::new(seed)),
        calls: 0,
    };
    let mut tally: BTreeMap<&'static str, u32> = BTreeMap::new();
    let started = std::time::Instant::now();
    let mut history = Vec::new();

    for n in 1..=faults {
        let fault = Fault::pick(&mut soak.dice);
        *tally.entry(fault.name()).or_default() += 1;
        soak.call_step().await;
        soak.apply(fault).await;
        if soak.dice.chance(0.5) {
            soak.call_step().await;
        }
        soak.heal().await;
        // Held-up and repeated events arrive now, after newer ones.
        soak.chaos.lab.advance_clock(Duration::from_secs(3));
        history.push(format!("{n}: {fault:?}"));
        if let Err(divergence) = converged(&soak.chaos, &soak.session, AGENT).await {
            let recent = &history[history.len().saturating_sub(5)..];
            panic!("seed {seed:#x}: no convergence after fault {n} ({fault:?}); recent faults {recent:?}\n{divergence}");
        }
    }

    let recorded = recorder.recorded();
    eprintln!(
        "soak: {faults} faults in {:.1} s, {} calls, {} reconnects ({} fail-overs), {} forced changes {:?}, faults {tally:?}",
        started.elapsed().as_secs_f64(),
        soak.calls,
        recorded.reconnected.len(),
        recorded.reconnected.iter().filter(|(_, moved)| *moved).count(),
        recorded.forced.len(),
        recorded.forced,
    );
    let journal = soak.chaos.lab.rest_journal();
    let refused: Vec<_> = journal.iter().filter(|r| r.credentials_refused).collect();
    assert!(
        requests_after_a_401(&soak.chaos.lab, AGENT).is_empty(),
        "seed {seed:#x}: asked again after a 401: {refused:?}"
    );
    assert!(soak.calls > 0);
    soak.session.shutdown().await;
    soak.chaos.shutdown().await;
}
