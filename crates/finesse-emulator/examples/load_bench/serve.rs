//! `--serve`: the emulator half of the benchmark, run as a child process so its CPU time
//! and memory can be read apart from the clients'. It starts the lab on 127.0.0.1 /
//! 127.0.0.2 with ephemeral ports, prints one JSON line describing where it listens, and
//! serves until its stdin closes (the parent exiting closes it too, so it never lingers).
use std::path::PathBuf;

use finesse_emulator::center::NodeId;
use finesse_emulator::clock::SimClock;
use finesse_emulator::net::{Lab, LabOptions};
use serde::{Deserialize, Serialize};
use tokio::io::AsyncReadExt;

use super::plan::Plan;
use super::BenchError;

/// What the child tells the parent, as one JSON line on stdout.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Served {
    pub ca_file: PathBuf,
    pub control_url: String,
    pub rest_url: String,
    pub websocket_url: String,
    pub xmpp_domain: String,
    pub pubsub_domain: String,
}

/// Serve the plan's lab until stdin reaches its end.
pub async fn serve(plan: Plan) -> Result<(), BenchError> {
    let ca_dir = std::env::temp_dir().join(format!("finesse-load-bench-{}", std::process::id()));
    let mut options = LabOptions::new(plan.config, SimClock::realtime()).with_ephemeral_ports();
    options.ca_path = Some(ca_dir.join("lab-ca.pem"));
    options.control_port = Some(0);
    let lab = Lab::start(options).await.map_err(BenchError::Lab)?;
    let node = lab.node(NodeId::A);
    let served = Served {
        ca_file: lab.ca_path().to_path_buf(),
        control_url: lab.control_url().ok_or(BenchError::NoControlApi)?,
        rest_url: node.rest_url(),
        websocket_url: node.websocket_url(),
        xmpp_domain: node.xmpp_domain.clone(),
        pubsub_domain: node.pubsub_domain.clone(),
    };
    let line = serde_json::to_string(&served).map_err(BenchError::Handshake)?;
    println!("{line}");

    let mut stdin = tokio::io::stdin();
    let mut buffer = [0u8; 256];
    // Anything the parent writes is ignored; only the end of the pipe matters.
    while matches!(stdin.read(&mut buffer).await, Ok(n) if n > 0) {}

    lab.shutdown().await;
    let _ = std::fs::remove_dir_all(&ca_dir);
    Ok(())
}
