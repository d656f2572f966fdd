//! Emulator load benchmark: 2,000 agents connected over WebSocket XMPP taking a stream of
//! calls; reports events per second, p50/p99 delivery latency, CPU and memory.
//!
//! ```text
//! cargo run --release -p finesse-emulator --example load_bench -- \
//!     [--agents 2000] [--duration 30] [--calls-per-second 50] [--talk-seconds 8] …
//! ```
//!
//! How it works:
//! - The emulator runs in a **child process** (this example re-executed with `--serve`), so
//!   its CPU time and memory are read from `/proc/<child>` apart from the clients'. Both
//!   bind 127.0.0.1 / 127.0.0.2 only; the child stops when its stdin closes.
//! - The lab: `--agents` agents in teams of `--team-size`, each team with one supervisor
//!   (not a team member, never routed calls) whose desktop subscribes to its team's `Users`
//!   node and one queue, teams spread over `--queues` queues. Payload-shaping config
//!   (reason codes, wrap-up reasons, layout) comes from the demo lab.
//! - Every user gets a desktop of its own: one XMPP-over-WebSocket session (RFC 7395: open,
//!   SASL PLAIN, restart, bind, session, presence), negotiated `--connect-concurrency` at a
//!   time. REST goes through one shared HTTP/1.1 client (a connection pool, not one TLS
//!   connection per desktop) with a bound on requests in flight.
//! - Agents sign in and go READY over REST, then work calls like people: each call offered
//!   (Dialogs POST, ALERTING) is answered after `--answer-ms`, talked for `--talk-seconds`,
//!   hung up by the agent (DROP), wrapped up for `--wrap-seconds` (WORK_READY), and ended
//!   with READY — which deletes the dialog. Auto-answer is not a server feature, so this is
//!   the realistic event mix: per call about 12 events (User, Dialog, Team) on both the
//!   agent's and the supervisor's desktop.
//! - Calls are placed through the control API at a fixed rate for `--duration` seconds.
//!   The default, 50 calls/s with a 10.5 s handling time (about 525 agents busy at once),
//!   is far above what 2,000 real agents take and keeps a 2-core machine short of
//!   saturation; raise `--calls-per-second` to find where the emulator saturates.
//!
//! What is measured, in the run window (`--duration` seconds from the first call placed):
//! - events/s: every pub-sub `<message>` received by any desktop, ramp-up included (calls
//!   placed near the end of the window deliver their later events after it).
//! - delivery latency: receive time − when the cause was issued. REST requests carry a
//!   `requestId` and placed calls a `callVariable1` stamped `lb-<µs>-…`, so each event that
//!   has a cause carries the time it was issued. Unsolicited events without a cause of
//!   their own (RESERVED, Team and Queue updates) are counted but not timed. Causes issued
//!   in the window are timed even when their events arrive after it (the drain).
//! - CPU: utime+stime of each process over the run window (`/proc/<pid>/stat`), as a share
//!   of one core; memory: VmRSS at the end of the run, VmHWM (peak) once the calls drained.
//!
//! Clients and emulator share this machine's cores: the client side (2,000 TLS WebSocket
//! sessions, XML parsing) competes with the emulator, so the figures are a lower bound of
//! what the emulator alone could do. Each process needs about one descriptor per session
//! plus some; the open-file soft limit is raised to the hard limit when it is too low
//! (Linux), and otherwise the run stops and says `ulimit -n` must be raised.
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use finesse_emulator::center::{CallSpec, CallVariable};
use finesse_emulator::net::LabError;
use tokio::io::AsyncBufReadExt;
use tokio::process::{Child, ChildStdin, ChildStdout};
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinHandle;

// The helper modules live in `examples/load_bench/` (a directory without `main.rs`, so
// Cargo does not take it for another example).
#[path = "load_bench/desk.rs"]
mod desk;
#[path = "load_bench/measure.rs"]
mod measure;
#[path = "load_bench/plan.rs"]
mod plan;
#[path = "load_bench/serve.rs"]
mod serve;
#[path = "load_bench/xmpp.rs"]
mod xmpp;

use desk::{DeskReport, Desks, Pace, Phase, Progress, Rest};
use measure::{
    cause_tag, cpu_share, mib, sample_process, Latencies, ProcessSample, TimeBase, Window,
};
use plan::{Plan, Shape};
use serve::Served;
use xmpp::{LinkError, XmppTarget};

/// Load parameters; the defaults are the issue's scenario.
#[derive(Debug, Clone, Parser)]
#[command(name = "load_bench")]
struct Args {
    /// Agents, each with its own XMPP session.
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u32).range(1..=20_000))]
    agents: u32,
    /// Seconds during which calls are placed (the measured window).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=600))]
    duration: u64,
    /// Calls placed per second.
    #[arg(long, default_value_t = 50.0)]
    calls_per_second: f64,
    /// Agents per team (one supervisor per team).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    team_size: u32,
    /// Queues the teams are spread over.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..))]
    queues: u32,
    /// How long an agent lets a call ring before answering, in milliseconds.
    #[arg(long, default_value_t = 500)]
    answer_ms: u64,
    /// How long an agent talks before hanging up, in seconds.
    #[arg(long, default_value_t = 8.0)]
    talk_seconds: f64,
    /// How long an agent wraps up before going READY again, in seconds.
    #[arg(long, default_value_t = 2.0)]
    wrap_seconds: f64,
    /// Stream negotiations in progress at once during the connect phase.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=4096))]
    connect_concurrency: u32,
    /// Internal: run the emulator half (the child process).
    #[arg(long, hide = true)]
    serve: bool,
}

impl Args {
    fn shape(&self) -> Shape {
        Shape {
            agents: self.agents as usize,
            team_size: self.team_size as usize,
            queues: self.queues as usize,
        }
    }

    fn pace(&self) -> Result<Pace, BenchError> {
        let seconds = |value: f64, name: &str| {
            if value.is_finite() && (0.0..=600.0).contains(&value) {
                Ok(Duration::from_secs_f64(value))
            } else {
                Err(BenchError::Args(format!(
                    "--{name} must be between 0 and 600"
                )))
            }
        };
        if !(self.calls_per_second.is_finite()
            && self.calls_per_second > 0.0
            && self.calls_per_second <= 10_000.0)
        {
            return Err(BenchError::Args(
                "--calls-per-second must be above 0 and at most 10000".into(),
            ));
        }
        Ok(Pace {
            answer_after: Duration::from_millis(self.answer_ms.min(600_000)),
            talk: seconds(self.talk_seconds, "talk-seconds")?,
            wrap_up: seconds(self.wrap_seconds, "wrap-seconds")?,
        })
    }
}

/// Why the benchmark could not run to the end.
#[derive(Debug, thiserror::Error)]
enum BenchError {
    #[error("{0}")]
    Args(String),
    #[error(
        "{needed} open files are needed but the limit is {limit}; raise it (ulimit -n {needed})"
    )]
    OpenFiles { needed: u64, limit: u64 },
    #[error("cannot start the emulator process: {0}")]
    Spawn(std::io::Error),
    #[error("the emulator's start-up line is not valid: {0}")]
    Handshake(serde_json::Error),
    #[error("the emulator process did not report its endpoints")]
    EmulatorSilent,
    #[error(transparent)]
    Lab(LabError),
    #[error("the lab started without its control API")]
    NoControlApi,
    #[error("cannot trust the lab CA: {0}")]
    Tls(String),
    #[error("HTTP client: {0}")]
    Http(#[from] reqwest::Error),
    #[error("{failed} of {total} XMPP sessions failed; first: {first}")]
    Sessions {
        failed: usize,
        total: usize,
        first: String,
    },
    #[error("timed out while {0}")]
    Timeout(&'static str),
}

impl BenchError {
    /// A stable, machine-readable code.
    fn code(&self) -> &'static str {
        match self {
            BenchError::Args(_) => "invalid_arguments",
            BenchError::OpenFiles { .. } => "open_file_limit",
            BenchError::Spawn(_) => "emulator_spawn_failed",
            BenchError::Handshake(_) => "emulator_handshake_invalid",
            BenchError::EmulatorSilent => "emulator_silent",
            BenchError::Lab(e) => e.code(),
            BenchError::NoControlApi => "no_control_api",
            BenchError::Tls(_) => "lab_ca_unusable",
            BenchError::Http(_) => "http_client_failed",
            BenchError::Sessions { .. } => "sessions_failed",
            BenchError::Timeout(_) => "phase_timeout",
        }
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("load_bench: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = if args.serve {
        runtime.block_on(serve::serve(Plan::new(args.shape())))
    } else {
        runtime.block_on(conduct(args))
    };
    // Desktops and REST requests still in flight are simply dropped.
    runtime.shutdown_timeout(Duration::from_secs(1));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("load_bench: {error} [{}]", error.code());
            ExitCode::FAILURE
        }
    }
}

/// The emulator child and its pipes; dropping it kills the child.
struct Emulator {
    child: Child,
    stdin: Option<ChildStdin>,
    _stdout: tokio::io::Lines<tokio::io::BufReader<ChildStdout>>,
    pid: Option<u32>,
}

async fn start_emulator(args: &Args) -> Result<(Emulator, Served), BenchError> {
    let exe = std::env::current_exe().map_err(BenchError::Spawn)?;
    let mut child = tokio::process::Command::new(exe)
        .arg("--serve")
        .args(["--agents", &args.agents.to_string()])
        .args(["--team-size", &args.team_size.to_string()])
        .args(["--queues", &args.queues.to_string()])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .map_err(BenchError::Spawn)?;
    let stdin = child.stdin.take();
    let stdout = child.stdout.take().ok_or(BenchError::EmulatorSilent)?;
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let line = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
        .await
        .map_err(|_| BenchError::EmulatorSilent)?
        .map_err(BenchError::Spawn)?
        .ok_or(BenchError::EmulatorSilent)?;
    let served: Served = serde_json::from_str(&line).map_err(BenchError::Handshake)?;
    let pid = child.id();
    Ok((
        Emulator {
            child,
            stdin,
            _stdout: lines,
            pid,
        },
        served,
    ))
}

impl Emulator {
    /// Close its stdin (it shuts the lab down politely), then make sure it is gone.
    async fn stop(mut self) {
        drop(self.stdin.take());
        if tokio::time::timeout(Duration::from_secs(15), self.child.wait())
            .await
            .is_err()
        {
            let _ = self.child.kill().await;
        }
    }
}

fn client_tls(
    ca_file: &std::path::Path,
) -> Result<(Arc<rustls::ClientConfig>, Vec<u8>), BenchError> {
    let pem = std::fs::read(ca_file).map_err(|e| BenchError::Tls(e.to_string()))?;
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
        let cert = cert.map_err(|e| BenchError::Tls(e.to_string()))?;
        roots
            .add(cert)
            .map_err(|e| BenchError::Tls(e.to_string()))?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| BenchError::Tls(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok((Arc::new(config), pem))
}

/// Make sure this process (and the child, which inherits the limit) may open `needed` files.
#[cfg(target_os = "linux")]
fn ensure_open_files(needed: u64) -> Result<(), BenchError> {
    use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
    let limit = getrlimit(Resource::Nofile);
    let current = limit.current.unwrap_or(u64::MAX);
    if current >= needed {
        return Ok(());
    }
    let hard = limit.maximum.unwrap_or(u64::MAX);
    let raised = Rlimit {
        current: Some(needed.min(hard)),
        maximum: limit.maximum,
    };
    if hard < needed || setrlimit(Resource::Nofile, raised).is_err() {
        return Err(BenchError::OpenFiles {
            needed,
            limit: current,
        });
    }
    eprintln!("load_bench: open-file limit raised from {current} to {needed}");
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn ensure_open_files(_needed: u64) -> Result<(), BenchError> {
    Ok(())
}

/// Wait until `done` holds, re-checking whenever a desktop reports progress.
async fn wait_until(progress: &Progress, within: Duration, done: impl Fn() -> bool) -> bool {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        if done() {
            return true;
        }
        if tokio::time::timeout_at(deadline, progress.changed.notified())
            .await
            .is_err()
        {
            return done();
        }
    }
}

fn count(counter: &AtomicUsize) -> usize {
    counter.load(Ordering::SeqCst)
}

/// Calls placed during the run.
struct CallStream {
    placed: usize,
    refused: usize,
    elapsed: Duration,
}

/// Place calls at a fixed rate (scheduled from the start, so slow answers do not make it
/// drift) through the control API, round-robin over the queues.
async fn place_calls(
    control_url: &str,
    queues: &[String],
    rate: f64,
    duration: Duration,
    time: TimeBase,
) -> Result<CallStream, BenchError> {
    let client = reqwest::Client::builder().build()?;
    let total = (rate * duration.as_secs_f64()).round().max(1.0) as usize;
    let period = Duration::from_secs_f64(1.0 / rate);
    let in_flight = Arc::new(Semaphore::new(256));
    let placed = Arc::new(AtomicUsize::new(0));
    let refused = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut requests = tokio::task::JoinSet::new();
    for n in 0..total {
        tokio::time::sleep_until((started + period.mul_f64(n as f64)).into()).await;
        let permit = in_flight.clone().acquire_owned().await.ok();
        let issued = time.now_micros();
        let spec = CallSpec {
            caller: format!("+1408{:07}", n + 1),
            queue: queues[n % queues.len()].clone(),
            call_variables: vec![CallVariable::new(
                "callVariable1",
                cause_tag(issued, &format!("call{}", n + 1)),
            )],
            ..CallSpec::default()
        };
        let body = serde_json::to_string(&spec).map_err(BenchError::Handshake)?;
        let request = client
            .post(format!("{control_url}/calls"))
            .header("Content-Type", "application/json")
            .body(body);
        let (placed, refused) = (placed.clone(), refused.clone());
        requests.spawn(async move {
            let _permit = permit;
            match request.send().await {
                Ok(response) if response.status().is_success() => {
                    placed.fetch_add(1, Ordering::SeqCst)
                }
                _ => refused.fetch_add(1, Ordering::SeqCst),
            };
        });
    }
    // The window is the whole duration, not just up to the last call's slot.
    tokio::time::sleep_until((started + duration).into()).await;
    while requests.join_next().await.is_some() {}
    Ok(CallStream {
        placed: count(&placed),
        refused: count(&refused),
        elapsed: started.elapsed(),
    })
}

/// What the desktops reported when they stopped.
struct Collected {
    reports: Vec<DeskReport>,
    /// Desktops that ended with an error or did not stop in time.
    lost: usize,
    first_error: Option<String>,
}

async fn collect(tasks: Vec<JoinHandle<Result<DeskReport, LinkError>>>) -> Collected {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let mut collected = Collected {
        reports: Vec::with_capacity(tasks.len()),
        lost: 0,
        first_error: None,
    };
    for task in tasks {
        let abort = task.abort_handle();
        let error = match tokio::time::timeout_at(deadline, task).await {
            Ok(Ok(Ok(report))) => {
                collected.reports.push(report);
                continue;
            }
            Ok(Ok(Err(e))) => format!("{e} [{}]", e.code()),
            Ok(Err(e)) => format!("desktop task failed: {e}"),
            Err(_) => {
                abort.abort();
                "a desktop did not stop in time".to_owned()
            }
        };
        collected.lost += 1;
        collected.first_error.get_or_insert(error);
    }
    collected
}

fn cpu_figure(label: &str, from: Option<&ProcessSample>, to: Option<&ProcessSample>) {
    match (from, to) {
        (Some(from), Some(to)) => {
            let (used, share) = cpu_share(from, to);
            println!(
                "figure: cpu ({label}) = {:.0}% of one core ({:.1} s CPU in {:.1} s)",
                share * 100.0,
                used.as_secs_f64(),
                to.at.saturating_duration_since(from.at).as_secs_f64()
            );
        }
        _ => println!("figure: cpu ({label}) = unavailable (no /proc)"),
    }
}

fn memory_figure(label: &str, end_of_run: Option<&ProcessSample>, end: Option<&ProcessSample>) {
    match (end_of_run, end) {
        (Some(run), Some(end)) => println!(
            "figure: rss peak ({label}) = {:.1} MiB (end of run {:.1} MiB)",
            mib(end.peak_rss_kib),
            mib(run.rss_kib)
        ),
        _ => println!("figure: rss peak ({label}) = unavailable (no /proc)"),
    }
}

fn latency_figure(label: &str, latencies: &mut Latencies) {
    match latencies.summary() {
        Some((p50, p99, max)) => {
            println!("figure: {label} p50 = {p50:.2} ms");
            println!(
                "figure: {label} p99 = {p99:.2} ms (max {max:.2} ms, {} samples)",
                latencies.len()
            );
        }
        None => println!("figure: {label} = no samples"),
    }
}

async fn conduct(args: Args) -> Result<(), BenchError> {
    let pace = args.pace()?;
    if cfg!(debug_assertions) {
        eprintln!("load_bench: this is a debug build; figures mean little without --release");
    }
    let plan = Plan::new(args.shape());
    let sessions = plan.agents.len() + plan.supervisors.len();
    ensure_open_files(sessions as u64 + 512)?;

    eprintln!(
        "load_bench: starting the emulator ({} agents, {} supervisors)",
        plan.agents.len(),
        plan.supervisors.len()
    );
    let (emulator, served) = start_emulator(&args).await?;
    let (tls, ca_pem) = client_tls(&served.ca_file)?;
    let rest_client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&ca_pem)?)
        .http1_only()
        .build()?;
    let (phase_tx, phase_rx) = watch::channel(Phase::Connecting);
    let progress = Arc::new(Progress::default());
    let time = TimeBase::new();
    let window = Arc::new(Window::new());
    let desks = Desks {
        target: XmppTarget {
            websocket_url: served.websocket_url.clone(),
            domain: served.xmpp_domain.clone(),
            pubsub_domain: served.pubsub_domain.clone(),
            tls,
        },
        rest: Rest {
            client: rest_client,
            base_url: served.rest_url.clone(),
            in_flight: Arc::new(Semaphore::new(64)),
        },
        phase: phase_rx,
        progress: progress.clone(),
        connecting: Arc::new(Semaphore::new(args.connect_concurrency as usize)),
        time,
        window: window.clone(),
        pace,
    };

    // Connect every desktop.
    eprintln!("load_bench: connecting {sessions} XMPP sessions over WebSocket");
    let connect_started = Instant::now();
    let mut tasks: Vec<JoinHandle<Result<DeskReport, LinkError>>> = Vec::with_capacity(sessions);
    for login in &plan.agents {
        tasks.push(tokio::spawn(desk::run_agent(login.clone(), desks.clone())));
    }
    for supervisor in &plan.supervisors {
        tasks.push(tokio::spawn(desk::run_supervisor(
            supervisor.clone(),
            desks.clone(),
        )));
    }
    let all_answered = wait_until(&progress, Duration::from_secs(120), || {
        count(&progress.connected) + count(&progress.failed) >= sessions
    })
    .await;
    let connect_time = connect_started.elapsed();
    let failed = count(&progress.failed);
    if failed > 0 || !all_answered {
        let _ = phase_tx.send(Phase::Stopping);
        let collected = collect(tasks).await;
        emulator.stop().await;
        return if all_answered {
            Err(BenchError::Sessions {
                failed,
                total: sessions,
                first: collected.first_error.unwrap_or_default(),
            })
        } else {
            Err(BenchError::Timeout("connecting the XMPP sessions"))
        };
    }

    // Sign every agent in and make it READY.
    eprintln!("load_bench: signing {} agents in", plan.agents.len());
    let sign_in_started = Instant::now();
    let _ = phase_tx.send(Phase::SigningIn);
    let all_ready = wait_until(&progress, Duration::from_secs(120), || {
        count(&progress.ready) >= plan.agents.len()
    })
    .await;
    let sign_in_time = sign_in_started.elapsed();
    if !all_ready {
        let _ = phase_tx.send(Phase::Stopping);
        collect(tasks).await;
        emulator.stop().await;
        return Err(BenchError::Timeout("signing the agents in"));
    }

    // The measured run.
    eprintln!(
        "load_bench: placing {} calls/s for {} s",
        args.calls_per_second, args.duration
    );
    let _ = phase_tx.send(Phase::Running);
    let emulator_before = sample_process(emulator.pid);
    let clients_before = sample_process(None);
    window.open(time.now_micros());
    let calls = place_calls(
        &served.control_url,
        &plan.queue_ids,
        args.calls_per_second,
        Duration::from_secs(args.duration),
        time,
    )
    .await?;
    window.close(time.now_micros());
    let emulator_after = sample_process(emulator.pid);
    let clients_after = sample_process(None);

    // Let the calls in progress finish so their events are timed too.
    eprintln!("load_bench: letting {} calls finish", calls.placed);
    let drain = pace.answer_after + pace.talk + pace.wrap_up + Duration::from_secs(20);
    let drained = wait_until(&progress, drain, || {
        count(&progress.calls_completed) >= calls.placed
    })
    .await;
    let emulator_end = sample_process(emulator.pid);
    let clients_end = sample_process(None);

    let _ = phase_tx.send(Phase::Stopping);
    let mut collected = collect(tasks).await;
    emulator.stop().await;

    let window_seconds = calls.elapsed.as_secs_f64();
    let events_in_window: u64 = collected.reports.iter().map(|r| r.events_in_window).sum();
    let events: u64 = collected.reports.iter().map(|r| r.events).sum();
    let ring_no_answers: u64 = collected.reports.iter().map(|r| r.ring_no_answers).sum();
    let mut offers = Latencies::default();
    let mut all = Latencies::default();
    for report in &mut collected.reports {
        let offered = std::mem::take(&mut report.call_offers);
        all.extend(offered.clone());
        offers.extend(offered);
        all.extend(std::mem::take(&mut report.rest_caused));
    }

    println!(
        "figure: load = {} agents + {} supervisors, {} calls/s for {} s, answer {} ms, talk {} s, wrap-up {} s",
        plan.agents.len(),
        plan.supervisors.len(),
        args.calls_per_second,
        args.duration,
        pace.answer_after.as_millis(),
        pace.talk.as_secs_f64(),
        pace.wrap_up.as_secs_f64()
    );
    println!(
        "figure: agents connected = {} (+{} supervisors) in {:.2} s",
        plan.agents.len(),
        plan.supervisors.len(),
        connect_time.as_secs_f64()
    );
    println!(
        "figure: agents signed in and READY = {} in {:.2} s",
        plan.agents.len(),
        sign_in_time.as_secs_f64()
    );
    println!(
        "figure: calls placed = {} in {window_seconds:.1} s ({:.1}/s), refused {}, completed {}{}",
        calls.placed,
        calls.placed as f64 / window_seconds.max(f64::EPSILON),
        calls.refused,
        count(&progress.calls_completed),
        if drained { "" } else { " (drain timed out)" }
    );
    println!(
        "figure: events/s = {:.0} ({events_in_window} events in the run window; {events} in all)",
        events_in_window as f64 / window_seconds.max(f64::EPSILON)
    );
    latency_figure("latency", &mut all);
    latency_figure("call offer latency", &mut offers);
    cpu_figure(
        "emulator",
        emulator_before.as_ref(),
        emulator_after.as_ref(),
    );
    cpu_figure("clients", clients_before.as_ref(), clients_after.as_ref());
    memory_figure("emulator", emulator_after.as_ref(), emulator_end.as_ref());
    memory_figure("clients", clients_after.as_ref(), clients_end.as_ref());
    println!(
        "figure: anomalies = {} REST failures, {} apiErrors events, {} ring-no-answer, {} sessions lost",
        count(&progress.rest_failures),
        count(&progress.api_errors),
        ring_no_answers,
        collected.lost
    );
    Ok(())
}
