//! `cargo xtask bench`: runs every benchmark, prints the figures and writes
//! `target/bench-report.md`. Figures are measured, never asserted.
use std::fmt::Write as _;
use std::process::{Command, Stdio};

use anyhow::{Context, Result};

use crate::{cargo, workspace_root};

/// One benchmark: a title and the command that prints its figures.
struct Benchmark {
    title: &'static str,
    what: &'static str,
    command: Command,
    /// Keep only output lines that carry figures.
    keep: fn(&str) -> bool,
}

fn criterion_line(line: &str) -> bool {
    !line.trim().is_empty() && !line.contains("Gnuplot") && !line.starts_with("Warning")
}

fn figure_line(line: &str) -> bool {
    line.trim_start().starts_with("figure:")
}

fn benchmarks() -> Vec<Benchmark> {
    let mut dialog = cargo();
    dialog.args([
        "bench",
        "-p",
        "finesse",
        "--bench",
        "dialog_update",
        "--",
        "--noplot",
    ]);
    let mut load = cargo();
    load.args([
        "run",
        "--release",
        "-p",
        "finesse-emulator",
        "--example",
        "load_bench",
        "--",
    ]);
    let mut failover = cargo();
    failover.args([
        "run",
        "--release",
        "-p",
        "ringside-tests",
        "--example",
        "failover_bench",
        "--",
        "--runs",
        "10",
        "--silent-runs",
        "4",
    ]);
    let mut team = cargo();
    team.args([
        "bench",
        "-p",
        "ringside-core",
        "--bench",
        "team_model",
        "--",
        "--noplot",
    ]);
    // The app is built first: the example measures the release binary, and cannot build it
    // itself (it would wait on the build lock of the `cargo run` that starts it).
    let mut desktop = Command::new("sh");
    desktop
        .args([
            "-c",
            "\"$CARGO\" build --release -p ringside && \"$CARGO\" run --release -p ringside-tests --example desktop_bench",
        ])
        .env(
            "CARGO",
            std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()),
        );
    let mut team_ui = Command::new("node");
    team_ui
        .arg("bench/run-team-bench.mjs")
        .current_dir(workspace_root().join("ui"));
    vec![
        Benchmark {
            title: "SDK: decode + apply a Dialog update",
            what: "XMPP <message> stanza → Update → Dialog → snapshot, updates per second",
            command: dialog,
            keep: criterion_line,
        },
        Benchmark {
            title: "Emulator: 2,000 agents over WebSocket XMPP taking calls",
            what: "events per second, delivery latency p50/p99, CPU and memory of the emulator",
            command: load,
            keep: figure_line,
        },
        Benchmark {
            title: "Never lose the agent: time to detect, reconnect and fail over",
            what: "p50/p95 over repeated runs against the emulator behind a fault proxy (goal: detect ≤ 20 s, recover ≤ 3 s)",
            command: failover,
            keep: figure_line,
        },
        Benchmark {
            title: "Supervisor team model: updates absorbed, diff cost at 500 changes/s",
            what: "2,000 agents, seeded random state changes, coalesced into batched diffs",
            command: team,
            keep: criterion_line,
        },
        Benchmark {
            title: "Supervisor team view UI: frame rate and event-to-row lag",
            what: "2,000 rows at 500 changes/s in headless Chromium (Debian's chromium)",
            command: team_ui,
            keep: figure_line,
        },
        Benchmark {
            title: "Desktop app: memory, idle CPU, cold start, call to pop-up",
            what: "the release app on a private Xvfb desktop against the emulator: cold start to tray (p50/max), PSS of the process tree and CPU over 60 s signed in with the window hidden, place_call → pop-up shown (p50/max)",
            command: desktop,
            keep: figure_line,
        },
    ]
}

pub fn run_benchmarks(args: &[String]) -> Result<()> {
    let only = args.first().cloned();
    crate::prerequisites::install_bench_packages()?;
    let mut report = String::from("# Ringside benchmark report\n\n");
    let _ = writeln!(
        report,
        "Machine: {} cores.\n",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    for mut bench in benchmarks() {
        if let Some(only) = &only {
            if !bench.title.to_lowercase().contains(&only.to_lowercase()) {
                continue;
            }
        }
        eprintln!("xtask bench: {}", bench.title);
        if bench.command.get_current_dir().is_none() {
            bench.command.current_dir(workspace_root());
        }
        let output = bench
            .command
            .stderr(Stdio::inherit())
            .output()
            .with_context(|| format!("could not run {}", bench.title))?;
        let text = String::from_utf8_lossy(&output.stdout);
        let figures: Vec<&str> = text.lines().filter(|l| (bench.keep)(l)).collect();
        let _ = writeln!(report, "## {}\n\n{}\n\n```", bench.title, bench.what);
        for line in &figures {
            println!("{line}");
            let _ = writeln!(report, "{line}");
        }
        if !output.status.success() {
            let _ = writeln!(report, "(benchmark failed: {})", output.status);
        }
        let _ = writeln!(report, "```\n");
    }
    let path = workspace_root().join("target/bench-report.md");
    std::fs::create_dir_all(workspace_root().join("target"))?;
    std::fs::write(&path, report).with_context(|| format!("writing {}", path.display()))?;
    eprintln!("xtask bench: report written to {}", path.display());
    Ok(())
}
