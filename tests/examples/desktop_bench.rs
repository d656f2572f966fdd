//! The desktop app's own figures: cold start to tray, idle memory and idle CPU of the whole
//! process tree with the main window hidden, and the time from the emulator placing a call to
//! the pop-up being on screen. Runs the real `ringside` binary on the private desktop of the
//! end-to-end tests (`tests/e2e/`: Xvfb, session bus, dunst, keyring, PulseAudio) against the
//! in-process emulator, and prints `figure:` lines for `cargo xtask bench`.
//!
//! `cargo build --release -p ringside && cargo run --release -p ringside-tests --example desktop_bench -- [--binary PATH] [--runs N]`
//!
//! Without `--binary` it takes `target/release/ringside`, else `target/debug/ringside` (and
//! says so: a debug build's figures are not the product's).
#[path = "../e2e/mod.rs"]
mod e2e;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use e2e::desktop::Desktop;
use e2e::driver::{AppSession, AppWindow, Driver};
use e2e::lab::{E2eLab, AGENT, AGENT_EXTENSION, AGENT_ID};
use e2e::prerequisites::workspace_root;
use e2e::wait::wait_until;
use finesse_emulator::center::AgentState;
use finesse_emulator::config::DEMO_PASSWORD;

/// Window titles (`tauri.conf.json`) as the X server lists them.
const MAIN_TITLE: &str = "Ringside";
const POP_UP_TITLE: &str = "Incoming call — Ringside";
/// Safety net for one measured step; a step that takes longer is reported as a failure.
const STEP_LIMIT: Duration = Duration::from_secs(30);
/// How long the app sits hidden before its memory is read.
const SETTLE: Duration = Duration::from_secs(10);
/// The idle window the CPU figure covers.
const IDLE_WINDOW: Duration = Duration::from_secs(60);
/// The D-Bus name libayatana-appindicator looks up as soon as the tray icon is created.
const TRAY_WATCHER: &str = "org.kde.StatusNotifierWatcher";

struct Options {
    binary: Option<PathBuf>,
    runs: usize,
}

fn options() -> Options {
    let mut options = Options {
        binary: None,
        runs: 5,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.windows(2) {
        match pair[0].as_str() {
            "--binary" => options.binary = Some(PathBuf::from(&pair[1])),
            "--runs" => options.runs = pair[1].parse().unwrap_or(options.runs).max(1),
            _ => {}
        }
    }
    options
}

/// The binary to measure and what kind of build it is.
fn app_binary(options: &Options) -> Result<(PathBuf, &'static str), String> {
    if let Some(binary) = &options.binary {
        return if binary.is_file() {
            Ok((binary.clone(), "given with --binary"))
        } else {
            Err(format!("--binary {} is not a file", binary.display()))
        };
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    let release = target.join("release").join("ringside");
    if release.is_file() {
        return Ok((release, "release build"));
    }
    let debug = target.join("debug").join("ringside");
    if debug.is_file() {
        println!(
            "note: {} is missing, measuring the DEBUG build {} instead; build the release app \
             with `cargo build --release -p ringside` for the product's figures",
            release.display(),
            debug.display()
        );
        return Ok((debug, "DEBUG build (release missing)"));
    }
    Err(format!(
        "the app is not built: neither {} nor {} exists; build it with `npm ci && npm run build` \
         in ui/ and then `cargo build --release -p ringside` (or pass --binary PATH)",
        release.display(),
        debug.display()
    ))
}

/// A process started outside WebDriver, stopped (with its WebKit helpers) when dropped.
struct Spawned(Child);

impl Spawned {
    fn stop(&mut self) {
        let helpers = descendants(self.0.id());
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        if !wait_until(STEP_LIMIT, || matches!(self.0.try_wait(), Ok(Some(_)))) {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
        // WebKit's helpers leave when their parent's sockets close; make sure they did.
        for pid in helpers {
            if !wait_until(STEP_LIMIT, || process_gone(pid)) {
                let _ = Command::new("kill")
                    .args(["-KILL", &pid.to_string()])
                    .status();
            }
        }
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            self.stop();
        }
    }
}

/// The fields of `/proc/<pid>/stat` after the command name (field 3, the state, first).
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = stat.rsplit_once(") ")?;
    Some(rest.split_whitespace().map(str::to_owned).collect())
}

fn process_gone(pid: u32) -> bool {
    stat_fields(pid)
        .and_then(|fields| fields.first().cloned())
        .is_none_or(|state| state == "Z" || state == "X")
}

fn all_pids() -> Vec<u32> {
    std::fs::read_dir("/proc")
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse().ok()))
                .collect()
        })
        .unwrap_or_default()
}

/// Every process below `root` (WebKit's web and network processes, their sandbox helpers).
fn descendants(root: u32) -> Vec<u32> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for pid in all_pids() {
        if let Some(parent) = stat_fields(pid).and_then(|f| f.get(1)?.parse().ok()) {
            children.entry(parent).or_default().push(pid);
        }
    }
    let mut found = Vec::new();
    let mut queue = vec![root];
    while let Some(pid) = queue.pop() {
        for child in children.get(&pid).into_iter().flatten() {
            found.push(*child);
            queue.push(*child);
        }
    }
    found
}

/// The app and everything below it.
fn tree(root: u32) -> Vec<u32> {
    let mut pids = vec![root];
    pids.extend(descendants(root));
    pids.retain(|pid| !process_gone(*pid));
    pids
}

/// The running process whose executable is `binary` on this private desktop (its `HOME` is
/// the desktop's), not another test's copy of the same binary.
fn find_app(binary: &Path, desktop: &Desktop) -> Option<u32> {
    let wanted = binary.canonicalize().ok()?;
    let home = format!("HOME={}", desktop.home().display());
    all_pids().into_iter().find(|pid| {
        std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == wanted)
            && std::fs::read(format!("/proc/{pid}/environ")).is_ok_and(|environ| {
                environ
                    .split(|byte| *byte == 0)
                    .any(|entry| entry == home.as_bytes())
            })
    })
}

fn name_of(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .map(|name| name.trim().to_owned())
        .unwrap_or_else(|_| "?".into())
}

/// Proportional set size in KiB (shared pages split between the processes sharing them).
fn pss_kib(pid: u32) -> Option<u64> {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    rollup
        .lines()
        .find_map(|line| line.strip_prefix("Pss:"))
        .and_then(|value| value.split_whitespace().next()?.parse().ok())
}

/// User plus system CPU time in clock ticks.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let fields = stat_fields(pid)?;
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

fn clock_ticks_per_second() -> u64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8_lossy(&out.stdout).trim().parse().ok())
        .unwrap_or(100)
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// "p50 X ms, max Y ms" (nearest-rank median).
fn p50_max(samples: &mut [Duration]) -> String {
    samples.sort();
    let p50 = samples[(samples.len() - 1) / 2];
    let max = samples[samples.len() - 1];
    format!("p50 {:.0} ms, max {:.0} ms", millis(p50), millis(max))
}

/// Spawn the app hidden in the tray and time it until its tray indicator's first message on
/// the private session bus; returns the running app too.
fn start_in_tray(
    desktop: &Desktop,
    binary: &Path,
    args: &[String],
) -> Result<(Spawned, Duration), String> {
    let mut monitor = Spawned(
        desktop
            .command("dbus-monitor")
            .arg("--session")
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("dbus-monitor: {e}"))?,
    );
    let stdout = monitor
        .0
        .stdout
        .take()
        .ok_or("dbus-monitor has no stdout")?;
    let (seen, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if seen.send((Instant::now(), line)).is_err() {
                break;
            }
        }
    });
    // The monitor announces itself (NameAcquired) once it is listening.
    lines
        .recv_timeout(STEP_LIMIT)
        .map_err(|_| "dbus-monitor never started listening")?;
    let started = Instant::now();
    let app = Spawned(
        Command::new(binary)
            .args(args)
            .arg("--minimised")
            .env_clear()
            .envs(desktop.env())
            .current_dir(desktop.home())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("{}: {e}", binary.display()))?,
    );
    let deadline = started + STEP_LIMIT;
    let tray_up = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok((at, line)) if line.contains(TRAY_WATCHER) => break Some(at),
            Ok(_) => {}
            Err(_) => break None,
        }
    };
    monitor.stop();
    match tray_up {
        Some(at) => Ok((app, at - started)),
        None => Err(format!(
            "no tray indicator on the bus within {STEP_LIMIT:?}"
        )),
    }
}

async fn sign_in_and_go_ready(app: &AppSession, lab: &E2eLab) {
    app.sign_in(&lab.node_a(), AGENT, AGENT_EXTENSION).await;
    lab.wait_for_state(AGENT_ID, AgentState::NotReady);
    app.wait_attr("state-pill", "data-state", "notReady").await;
    app.click("state-switch").await;
    app.click("state-option-ready").await;
    lab.wait_for_state(AGENT_ID, AgentState::Ready);
    app.wait_attr("state-pill", "data-state", "ready").await;
}

/// Print the memory of the app's tree, one line in total and one per process.
fn report_memory(root: u32, situation: &str) {
    let mut total = 0;
    let mut lines = Vec::new();
    for pid in tree(root) {
        let pss = pss_kib(pid).unwrap_or(0);
        total += pss;
        lines.push(format!(
            "figure:   {} (pid {pid}): {:.1} MiB PSS",
            name_of(pid),
            pss as f64 / 1024.0
        ));
    }
    println!(
        "figure: idle memory, {situation}: {:.1} MiB PSS over {} processes",
        total as f64 / 1024.0,
        lines.len()
    );
    for line in lines {
        println!("{line}");
    }
}

fn report_idle_cpu(root: u32, situation: &str) {
    let sample = || -> HashMap<u32, u64> {
        tree(root)
            .into_iter()
            .filter_map(|pid| Some((pid, cpu_ticks(pid)?)))
            .collect()
    };
    let before = sample();
    let started = Instant::now();
    std::thread::sleep(IDLE_WINDOW);
    let after = sample();
    let elapsed = started.elapsed().as_secs_f64();
    // Processes that started during the window count from zero.
    let used: u64 = after
        .iter()
        .map(|(pid, ticks)| ticks.saturating_sub(before.get(pid).copied().unwrap_or(0)))
        .sum();
    let seconds = used as f64 / clock_ticks_per_second() as f64;
    println!(
        "figure: idle CPU over {:.0} s, {situation}: {:.2} % of one core ({seconds:.2} s of CPU, utime+stime of the tree)",
        elapsed,
        100.0 * seconds / elapsed
    );
}

/// Place a queue call and time it until the pop-up's X window is mapped; then hang it up and
/// wait for the pop-up to go and the agent to be Ready again.
fn call_to_pop_up(desktop: &Desktop, lab: &E2eLab, run: usize) -> Result<Duration, String> {
    lab.wait_for_state(AGENT_ID, AgentState::Ready);
    let caller = format!("+1408555{:04}", 100 + run);
    let started = Instant::now();
    let call = lab.customer_call(&caller, "Bench Caller");
    // xwininfo is polled back to back: the resolution is one poll (a few ms).
    let mut shown = None;
    while started.elapsed() < STEP_LIMIT {
        if desktop.window_is_visible(POP_UP_TITLE) {
            shown = Some(started.elapsed());
            break;
        }
    }
    lab.lab
        .hang_up(call)
        .map_err(|e| format!("hanging up call {call}: {e}"))?;
    if !wait_until(STEP_LIMIT, || !desktop.window_is_visible(POP_UP_TITLE)) {
        return Err("the pop-up stayed on screen after the call was gone".into());
    }
    shown.ok_or_else(|| format!("the pop-up was not shown within {STEP_LIMIT:?}"))
}

/// How an agent works a shift: signed in, Ready, the main window hidden in the tray. The app
/// starts with `--minimised` under WebDriver; sign-in and Ready go through the app's own
/// commands from the hidden page, because typing needs a shown window and hiding it again
/// needs a window manager's close (WM_DELETE_WINDOW), which the private desktop has not got.
async fn signed_in_in_the_tray(
    desktop: &Desktop,
    driver: &Driver,
    lab: &E2eLab,
    binary: &Path,
    args: &[String],
    runs: usize,
) -> Result<(), String> {
    let mut hidden_args = args.to_vec();
    hidden_args.push("--minimised".into());
    let app = AppSession::launch(driver, binary, &hidden_args).await;
    let form = serde_json::json!({
        "nodeA": lab.node_a(),
        "nodeB": null,
        "user": AGENT,
        "password": DEMO_PASSWORD,
        "extension": AGENT_EXTENSION,
        "mobileAgent": null,
        "deviceId": null,
        "rememberMe": false,
    });
    app.eval(&format!(
        "window.__TAURI_INTERNALS__.invoke('sign_in', {{ form: {form} }}); return true"
    ))
    .await;
    lab.wait_for_state(AGENT_ID, AgentState::NotReady);
    app.eval(
        "window.__TAURI_INTERNALS__.invoke('set_state', \
         { request: { state: 'ready', reasonId: null } }); return true",
    )
    .await;
    lab.wait_for_state(AGENT_ID, AgentState::Ready);
    let root =
        find_app(binary, desktop).ok_or("the app's process was not found under WebDriver")?;
    std::thread::sleep(SETTLE);
    if desktop.window_is_visible(MAIN_TITLE) {
        return Err("the main window is on screen despite --minimised".into());
    }
    let situation = "signed in and Ready, main window hidden (started with --minimised)";
    report_memory(
        root,
        &format!("{situation}, {} s after going Ready", SETTLE.as_secs()),
    );
    report_idle_cpu(root, situation);
    let mut pop_ups = Vec::new();
    for run in 0..runs {
        pop_ups.push(call_to_pop_up(desktop, lab, run)?);
    }
    println!(
        "figure: call to pop-up (lab.place_call → pop-up X window mapped, polled with xwininfo), {situation}, {} calls: {}",
        pop_ups.len(),
        p50_max(&mut pop_ups)
    );
    // Signed out (Not Ready for Lunch, then Logout for End of Shift: Finesse signs out only
    // from Not Ready), so the next part signs in afresh.
    app.eval(
        "window.__TAURI_INTERNALS__.invoke('set_state', \
         { request: { state: 'notReady', reasonId: '1' } }); return true",
    )
    .await;
    lab.wait_for_state(AGENT_ID, AgentState::NotReady);
    app.eval("window.__TAURI_INTERNALS__.invoke('sign_out', { reasonId: '5' }); return true")
        .await;
    lab.wait_for_state(AGENT_ID, AgentState::Logout);
    app.quit(driver).await;
    Ok(())
}

async fn run(options: &Options) -> Result<(), String> {
    let (binary, kind) = app_binary(options)?;
    println!("figure: app binary: {} ({kind})", binary.display());
    let desktop = Desktop::start();
    let lab = E2eLab::start().await;
    let args = lab.app_args();

    let mut starts = Vec::new();
    for _ in 0..options.runs {
        let (mut app, took) = start_in_tray(&desktop, &binary, &args)?;
        app.stop();
        starts.push(took);
    }
    println!(
        "figure: cold start to tray (spawn with --minimised → libayatana-appindicator's first D-Bus call for {TRAY_WATCHER} on the private session bus), {} runs: {}",
        starts.len(),
        p50_max(&mut starts)
    );

    // Idle with the main window hidden: started in the tray and left alone, not signed in.
    let (app, _) = start_in_tray(&desktop, &binary, &args)?;
    std::thread::sleep(SETTLE);
    if desktop.window_is_visible(MAIN_TITLE) {
        return Err("the main window is on screen despite --minimised".into());
    }
    let hidden = format!(
        "not signed in, started with --minimised (main window hidden), {} s after the tray came up",
        SETTLE.as_secs()
    );
    report_memory(app.0.id(), &hidden);
    report_idle_cpu(
        app.0.id(),
        "not signed in, started with --minimised (main window hidden)",
    );
    drop(app);

    let driver = Driver::start(&desktop);
    signed_in_in_the_tray(&desktop, &driver, &lab, &binary, &args, options.runs).await?;

    // Signed in and Ready through WebDriver, the main window on screen.
    let app = AppSession::launch(&driver, &binary, &args).await;
    sign_in_and_go_ready(&app, &lab).await;
    app.switch_to(AppWindow::PopUp).await;
    let root =
        find_app(&binary, &desktop).ok_or("the app's process was not found under WebDriver")?;
    std::thread::sleep(SETTLE);
    report_memory(
        root,
        &format!(
            "signed in and Ready under WebDriver, main window shown, {} s after going Ready",
            SETTLE.as_secs()
        ),
    );

    let mut pop_ups = Vec::new();
    for run in 0..options.runs {
        pop_ups.push(call_to_pop_up(&desktop, &lab, run)?);
    }
    println!(
        "figure: call to pop-up (lab.place_call → pop-up X window mapped, polled with xwininfo), agent Ready, main window shown, {} calls: {}",
        pop_ups.len(),
        p50_max(&mut pop_ups)
    );
    app.quit(&driver).await;
    Ok(())
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> ExitCode {
    let options = options();
    let started = Instant::now();
    let outcome = run(&options).await;
    eprintln!(
        "desktop_bench: done in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("desktop_bench: {message}");
            ExitCode::FAILURE
        }
    }
}
