//! `finesse-emulator`: a Cisco Finesse lab (nodes A and B) on this machine.
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use finesse_emulator::clock::SimClock;
use finesse_emulator::config::LabConfig;
use finesse_emulator::net::{Lab, LabEndpoints, LabOptions, Scenario};
use tracing_subscriber::EnvFilter;

/// A Cisco Finesse lab in a box: REST over HTTPS, XMPP notifications (WebSocket, STARTTLS,
/// direct TLS), a simulated contact center, and fault injection.
#[derive(Debug, Parser)]
#[command(name = "finesse-emulator", version)]
struct Args {
    /// Lab configuration (JSON); default: the built-in demo lab.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Demo traffic from a scenario file (JSON).
    #[arg(long, value_name = "FILE", conflicts_with = "demo_calls_every")]
    scenario: Option<PathBuf>,

    /// Built-in demo traffic: a customer call every SECS seconds.
    #[arg(long, value_name = "SECS")]
    demo_calls_every: Option<f64>,

    /// Host (address or name) of node A; default from the config (127.0.0.1).
    #[arg(long, value_name = "HOST")]
    host_a: Option<String>,

    /// Host (address or name) of node B; default from the config (127.0.0.2).
    #[arg(long, value_name = "HOST")]
    host_b: Option<String>,

    /// Ports from a base: HTTPS = N, XMPP = N+1, XMPP TLS = N+2, control = N+3 (same numbers
    /// on both nodes' addresses). 0: every port picked freely.
    #[arg(long, value_name = "N", conflicts_with_all = ["https_port", "xmpp_port", "xmpp_tls_port", "control_port"])]
    port_base: Option<u16>,

    /// HTTPS port (REST and wss://…/ws/) of both nodes; default from the config (8445).
    #[arg(long, value_name = "PORT")]
    https_port: Option<u16>,

    /// XMPP port with STARTTLS of both nodes; default from the config (5222).
    #[arg(long, value_name = "PORT")]
    xmpp_port: Option<u16>,

    /// XMPP port with direct TLS of both nodes; default from the config (5223).
    #[arg(long, value_name = "PORT")]
    xmpp_tls_port: Option<u16>,

    /// Control API port on 127.0.0.1 (0: pick a free one).
    #[arg(long, value_name = "PORT", default_value_t = 8446)]
    control_port: u16,

    /// Do not serve the control API.
    #[arg(long)]
    no_control: bool,

    /// Where to write the lab CA certificate (PEM); default: a fresh temporary directory.
    #[arg(long, value_name = "PATH")]
    ca_out: Option<PathBuf>,

    /// Simulation time moves only through the control API (`POST /clock/advance`).
    #[arg(long)]
    manual_clock: bool,

    /// Print the endpoints as one JSON line (for scripts) instead of the human summary.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, thiserror::Error)]
enum MainError {
    #[error(transparent)]
    Config(#[from] finesse_emulator::config::ConfigError),
    #[error(transparent)]
    Scenario(#[from] finesse_emulator::net::ScenarioError),
    #[error(transparent)]
    Lab(#[from] finesse_emulator::net::LabError),
    #[error("--demo-calls-every must be a positive number of seconds")]
    DemoRate,
    #[error("cannot print the endpoints: {0}")]
    Output(#[from] serde_json::Error),
}

impl MainError {
    fn code(&self) -> &'static str {
        match self {
            MainError::Config(e) => e.code(),
            MainError::Scenario(e) => e.code(),
            MainError::Lab(e) => e.code(),
            MainError::DemoRate => "demo_rate_invalid",
            MainError::Output(_) => "output_failed",
        }
    }
}

fn options(args: &Args) -> Result<LabOptions, MainError> {
    let mut config = match &args.config {
        Some(path) => LabConfig::load(path)?,
        None => LabConfig::demo(),
    };
    if let Some(host) = &args.host_a {
        config.nodes.a.host = host.clone();
    }
    if let Some(host) = &args.host_b {
        config.nodes.b.host = host.clone();
    }
    let (https, xmpp, xmpp_tls, control) = match args.port_base {
        Some(0) => (Some(0), Some(0), Some(0), 0),
        Some(base) => (
            Some(base),
            Some(base.saturating_add(1)),
            Some(base.saturating_add(2)),
            base.saturating_add(3),
        ),
        None => (
            args.https_port,
            args.xmpp_port,
            args.xmpp_tls_port,
            args.control_port,
        ),
    };
    for node in [&mut config.nodes.a, &mut config.nodes.b] {
        node.https_port = https.unwrap_or(node.https_port);
        node.xmpp_port = xmpp.unwrap_or(node.xmpp_port);
        node.xmpp_secure_port = xmpp_tls.unwrap_or(node.xmpp_secure_port);
    }
    let scenario = match (&args.scenario, args.demo_calls_every) {
        (Some(path), _) => Some(Scenario::load(path)?),
        (None, Some(secs)) if secs.is_finite() && secs > 0.0 => {
            Some(Scenario::demo(Duration::from_secs_f64(secs)))
        }
        (None, Some(_)) => return Err(MainError::DemoRate),
        (None, None) => None,
    };
    let clock = if args.manual_clock {
        SimClock::manual()
    } else {
        SimClock::realtime()
    };
    let mut options = LabOptions::new(config, clock);
    options.ca_path = args.ca_out.clone();
    options.control_port = (!args.no_control).then_some(control);
    options.scenario = scenario;
    Ok(options)
}

fn summary(endpoints: &LabEndpoints, demo: Option<&Scenario>) -> String {
    let mut out = String::new();
    let clock = if endpoints.manual_clock {
        "manual clock"
    } else {
        "realtime clock"
    };
    out.push_str(&format!("Finesse emulator running ({clock})\n"));
    out.push_str(&format!(
        "  CA certificate  {}\n",
        endpoints.ca_file.display()
    ));
    for node in &endpoints.nodes {
        let e = &node.endpoints;
        out.push_str(&format!(
            "  Node {:?}  REST {}  WebSocket {}\n          XMPP {}:{} (STARTTLS), {}:{} (TLS)  domain {}  pubsub {}\n",
            e.node,
            node.rest_url,
            node.websocket_url,
            e.host,
            e.xmpp_port,
            e.host,
            e.xmpp_secure_port,
            e.xmpp_domain,
            e.pubsub_domain
        ));
    }
    if let Some(url) = &endpoints.control_url {
        out.push_str(&format!(
            "  Control API {url}  (GET /endpoints, GET /truth, POST /calls, POST /clock/advance, POST /nodes/A/…)\n"
        ));
    }
    out.push_str("  Users (id / login name / extension / password):\n");
    for user in &endpoints.users {
        out.push_str(&format!(
            "    {:<6} {:<12} ext {:<6} {}{}\n",
            user.id,
            user.login_name,
            user.extension,
            user.password,
            if user.supervisor {
                "  (supervisor)"
            } else {
                ""
            }
        ));
    }
    if let Some(scenario) = demo {
        out.push_str(&format!(
            "  Demo calls every {} s\n",
            scenario.every_seconds
        ));
    }
    out.push_str("Press Ctrl-C to stop.\n");
    out
}

async fn wait_for_shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

async fn run(args: Args) -> Result<(), MainError> {
    let options = options(&args)?;
    let demo = options.scenario.clone();
    let lab = Lab::start(options).await?;
    let endpoints = lab.endpoints();
    if args.json {
        println!("{}", serde_json::to_string(&endpoints)?);
    } else {
        print!("{}", summary(&endpoints, demo.as_ref()));
    }
    wait_for_shutdown_signal().await;
    tracing::info!("shutting down");
    lab.shutdown().await;
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("finesse-emulator: {error} [{}]", error.code());
            ExitCode::FAILURE
        }
    }
}
