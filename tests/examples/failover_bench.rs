//! How fast the session notices a dead link, comes back once a node is reachable, and
//! fails over — with the product's default timers, against the emulator's two nodes behind
//! fault proxies. Prints `figure:` lines (p50/p95 over repeated runs) for `cargo xtask
//! bench`; the goal is detection within 20 s worst case and recovery within 3 s once a node
//! is reachable.
//!
//! `cargo run --release -p ringside-tests --example failover_bench -- [--runs N] [--silent-runs N]`
//!
//! Silent losses (a black hole: only pings can tell) take up to the ping interval plus two
//! ping timeouts each, so they get their own, smaller number of runs; each starts at a
//! random point of the ping cycle.
use std::time::{Duration, Instant};

use finesse::session::{ConnectionState, JitterSource, Session};
use finesse_emulator::center::NodeId;
use ringside_tests::chaos::{host, ChaosLab, PATIENCE};
use ringside_tests::fault_proxy::FaultMode;

const AGENT: &str = "1001";
const EXTENSION: &str = "2001";

struct Options {
    runs: usize,
    silent_runs: usize,
}

fn options() -> Options {
    let mut options = Options {
        runs: 10,
        silent_runs: 4,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.windows(2) {
        let value = pair[1].parse().ok();
        match (pair[0].as_str(), value) {
            ("--runs", Some(n)) => options.runs = n,
            ("--silent-runs", Some(n)) => options.silent_runs = n,
            _ => {}
        }
    }
    options
}

/// Waits (up to the safety net) until the session's state satisfies `wanted`; the time it
/// took from `since`.
async fn until(
    session: &Session,
    since: Instant,
    wanted: impl Fn(&ConnectionState) -> bool,
) -> Option<Duration> {
    let reached = tokio::time::timeout(PATIENCE, session.connection_matching(wanted)).await;
    matches!(reached, Ok(Ok(_))).then(|| since.elapsed())
}

fn lost(state: &ConnectionState) -> bool {
    !state.is_connected()
}

fn connected_to(node: NodeId) -> impl Fn(&ConnectionState) -> bool {
    move |state| matches!(state, ConnectionState::Connected { node: n } if n == host(node))
}

fn current_node(session: &Session) -> NodeId {
    match session.connection().borrow().node() {
        Some(node) if node == host(NodeId::B) => NodeId::B,
        _ => NodeId::A,
    }
}

fn other(node: NodeId) -> NodeId {
    match node {
        NodeId::A => NodeId::B,
        NodeId::B => NodeId::A,
    }
}

/// Samples of one figure.
struct Figure {
    label: &'static str,
    samples: Vec<Duration>,
    missed: usize,
}

impl Figure {
    fn new(label: &'static str) -> Self {
        Figure {
            label,
            samples: Vec::new(),
            missed: 0,
        }
    }

    fn add(&mut self, sample: Option<Duration>) {
        match sample {
            Some(sample) => self.samples.push(sample),
            None => self.missed += 1,
        }
    }

    fn print(&mut self) {
        self.samples.sort();
        let at = |q: f64| {
            let rank =
                ((q * self.samples.len() as f64).ceil() as usize).clamp(1, self.samples.len());
            self.samples[rank - 1].as_secs_f64() * 1000.0
        };
        if self.samples.is_empty() {
            println!(
                "figure: {} = no sample ({} missed)",
                self.label, self.missed
            );
            return;
        }
        let max = self
            .samples
            .last()
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0);
        println!(
            "figure: {} p50 = {:.0} ms, p95 = {:.0} ms (max {:.0} ms, n = {}{})",
            self.label,
            at(0.50),
            at(0.95),
            max,
            self.samples.len(),
            if self.missed > 0 {
                format!(
                    ", {} did not happen within {} s",
                    self.missed,
                    PATIENCE.as_secs()
                )
            } else {
                String::new()
            }
        );
    }
}

async fn signed_in_agent(chaos: &ChaosLab) -> Session {
    let session = Session::start(chaos.product_config(AGENT)).expect("the session starts");
    tokio::time::timeout(PATIENCE, session.wait_connected())
        .await
        .expect("connects in time")
        .expect("connects");
    let _ = session.sign_in(EXTENSION, None, None).await;
    session
}

async fn heal(chaos: &ChaosLab, session: &Session) {
    chaos.heal();
    for node in NodeId::ALL {
        if !chaos.lab.node_running(node) {
            let _ = chaos.lab.start_node(node).await;
        }
        chaos.lab.set_out_of_service(node, false, "");
        chaos.lab.set_finesse_presence(node, true);
    }
    until(session, Instant::now(), ConnectionState::is_connected).await;
}

#[tokio::main]
async fn main() {
    let options = options();
    let chaos = ChaosLab::start().await.expect("the chaos lab starts");
    let session = signed_in_agent(&chaos).await;
    let mut dice = JitterSource::new(0xBE7C);

    let mut socket_close = Figure::new("detect: socket closed");
    let mut finesse_away = Figure::new("detect: finesse@ presence unavailable");
    let mut out_of_service = Figure::new("detect: SystemInfo OUT_OF_SERVICE");
    let mut after_wake = Figure::new("detect: silent loss after a wake from sleep");
    let mut reconnect = Figure::new("recover: reconnect once the node is reachable");
    let mut failover_down = Figure::new("fail over: node stopped → connected to the other");
    let mut failover_oos = Figure::new("fail over: node out of service → connected to the other");
    for _ in 0..options.runs {
        chaos.fault(NodeId::A, FaultMode::Drop);
        chaos.fault(NodeId::B, FaultMode::Drop);
        socket_close.add(until(&session, Instant::now(), lost).await);
        // Heal at any point of the backoff (it reaches its longest delay after about 4 s)
        // and measure from the heal.
        tokio::time::sleep(Duration::from_millis((dice.next_unit() * 5000.0) as u64)).await;
        chaos.heal();
        // Either node will do: both came back at once.
        reconnect.add(until(&session, Instant::now(), ConnectionState::is_connected).await);
        heal(&chaos, &session).await;

        let node = current_node(&session);
        chaos.lab.set_finesse_presence(node, false);
        finesse_away.add(until(&session, Instant::now(), lost).await);
        heal(&chaos, &session).await;

        let node = current_node(&session);
        let started = Instant::now();
        chaos.lab.set_out_of_service(node, true, "CTI link down");
        out_of_service.add(until(&session, started, lost).await);
        failover_oos.add(until(&session, started, connected_to(other(node))).await);
        heal(&chaos, &session).await;

        let node = current_node(&session);
        let started = Instant::now();
        chaos.lab.stop_node(node).await;
        failover_down.add(until(&session, started, connected_to(other(node))).await);
        heal(&chaos, &session).await;

        let node = current_node(&session);
        chaos.fault(node, FaultMode::BlackHole);
        let started = Instant::now();
        chaos.wall_clock.jump_forward(Duration::from_secs(600));
        after_wake.add(until(&session, started, lost).await);
        heal(&chaos, &session).await;
    }

    let mut silent = Figure::new("detect: silent loss (black hole, pings only)");
    let mut silent_failover = Figure::new("fail over: silent loss → connected to the other");
    for _ in 0..options.silent_runs {
        // Start anywhere in the 8 s ping cycle.
        tokio::time::sleep(Duration::from_millis((dice.next_unit() * 8000.0) as u64)).await;
        let node = current_node(&session);
        let started = Instant::now();
        chaos.fault(node, FaultMode::BlackHole);
        silent.add(until(&session, started, lost).await);
        silent_failover.add(until(&session, started, connected_to(other(node))).await);
        heal(&chaos, &session).await;
    }

    for figure in [
        &mut socket_close,
        &mut finesse_away,
        &mut out_of_service,
        &mut after_wake,
        &mut silent,
        &mut reconnect,
        &mut failover_down,
        &mut failover_oos,
        &mut silent_failover,
    ] {
        figure.print();
    }
    session.shutdown().await;
    chaos.shutdown().await;
}
