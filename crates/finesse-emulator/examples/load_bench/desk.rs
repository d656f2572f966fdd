//! One simulated desktop per user. An agent's desktop signs in, goes READY, and then works
//! every call it is offered the way a person would: answer after a moment, talk, hang up,
//! wrap up, READY again — all over REST, reacting only to the XMPP events it receives. A
//! supervisor's desktop subscribes to its team and queue and watches.
//!
//! Latency is measured where an event arrives: REST requests carry a `requestId` and placed
//! calls a `callVariable1` stamped with when they were issued (see [`cause_tag`]).
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use finesse_xml::Element;
use tokio::sync::{watch, Notify, Semaphore};

use super::measure::{cause_issued, cause_tag, Latencies, TimeBase, Window};
use super::plan::{Login, SupervisorPlan};
use super::xmpp::{LinkError, Received, XmppLink, XmppTarget};

/// What every desktop is doing, set by the conductor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    Connecting,
    SigningIn,
    Running,
    Stopping,
}

/// How long a person takes for each step of a call.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    pub answer_after: Duration,
    pub talk: Duration,
    pub wrap_up: Duration,
}

/// Counters the conductor waits on; every change wakes it.
#[derive(Debug, Default)]
pub struct Progress {
    pub connected: AtomicUsize,
    pub failed: AtomicUsize,
    pub ready: AtomicUsize,
    pub calls_completed: AtomicUsize,
    pub rest_failures: AtomicUsize,
    pub api_errors: AtomicUsize,
    pub changed: Notify,
}

impl Progress {
    pub fn bump(&self, counter: &AtomicUsize) {
        counter.fetch_add(1, Ordering::SeqCst);
        self.changed.notify_one();
    }
}

/// The REST side every desktop shares.
#[derive(Clone)]
pub struct Rest {
    pub client: reqwest::Client,
    /// `https://host:port/finesse/api`
    pub base_url: String,
    /// Bounds requests in flight (and with them the client's connections).
    pub in_flight: Arc<Semaphore>,
}

/// Everything a desktop needs besides its own login.
#[derive(Clone)]
pub struct Desks {
    pub target: XmppTarget,
    pub rest: Rest,
    pub phase: watch::Receiver<Phase>,
    pub progress: Arc<Progress>,
    /// Bounds simultaneous stream negotiations.
    pub connecting: Arc<Semaphore>,
    pub time: TimeBase,
    pub window: Arc<Window>,
    pub pace: Pace,
}

/// What one desktop saw.
#[derive(Debug, Default)]
pub struct DeskReport {
    pub events: u64,
    pub events_in_window: u64,
    /// Events caused by this desktop's REST requests.
    pub rest_caused: Latencies,
    /// Calls offered to this agent (Dialogs POST), from when the call was placed.
    pub call_offers: Latencies,
    pub ring_no_answers: u64,
}

/// The next thing the person at the desk will do.
#[derive(Debug, Clone)]
enum Step {
    SignIn,
    Ready,
    Answer(String),
    Hangup(String),
}

struct AgentDesk {
    login: Login,
    authorization: String,
    desks: Desks,
    report: DeskReport,
    dialog: Option<String>,
    answered: bool,
    ever_ready: bool,
    requests: u64,
    next: Option<(Instant, Step)>,
}

/// Negotiate a session (bounded with the other desktops) and let `setup` finish it; the
/// conductor learns whether the desktop is up either way.
async fn connect(
    desks: &Desks,
    login: &Login,
    setup: impl AsyncFnOnce(&mut XmppLink) -> Result<(), LinkError>,
) -> Result<XmppLink, LinkError> {
    let result = async {
        // The semaphore is never closed; without a permit the connect simply goes unbounded.
        let _permit = desks.connecting.acquire().await.ok();
        let mut link =
            XmppLink::connect(&desks.target, &login.id, &login.password, "ringside-bench").await?;
        setup(&mut link).await?;
        Ok(link)
    }
    .await;
    match &result {
        Ok(_) => desks.progress.bump(&desks.progress.connected),
        Err(_) => desks.progress.bump(&desks.progress.failed),
    }
    result
}

/// Run an agent's desktop until the conductor says stop.
pub async fn run_agent(login: Login, desks: Desks) -> Result<DeskReport, LinkError> {
    let mut link = connect(&desks, &login, async |_| Ok(())).await?;
    let token = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:{}", login.id, login.password));
    let mut desk = AgentDesk {
        login,
        authorization: format!("Basic {token}"),
        desks: desks.clone(),
        report: DeskReport::default(),
        dialog: None,
        answered: false,
        ever_ready: false,
        requests: 0,
        next: None,
    };
    let mut phase = desks.phase;
    loop {
        if *phase.borrow_and_update() == Phase::SigningIn && !desk.ever_ready && desk.requests == 0
        {
            desk.next = Some((Instant::now(), Step::SignIn));
        }
        if *phase.borrow() == Phase::Stopping {
            break;
        }
        let due = desk.next.as_ref().map(|(at, _)| *at);
        let sleep = async move {
            match due {
                Some(at) => tokio::time::sleep_until(at.into()).await,
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            received = link.next() => desk.on_received(&received?),
            () = sleep => {
                if let Some((_, step)) = desk.next.take() {
                    desk.perform(step);
                }
            }
            changed = phase.changed() => if changed.is_err() { break },
        }
    }
    link.close().await;
    Ok(desk.report)
}

impl AgentDesk {
    fn on_received(&mut self, received: &Received) {
        let Some(notification) = received.notification() else {
            return;
        };
        let at_us = self.desks.time.micros(received.at);
        self.report.events += 1;
        if self.desks.window.contains(at_us) {
            self.report.events_in_window += 1;
        }
        let Ok(update) = finesse_xml::parse(notification) else {
            return;
        };
        if let Some(issued) = update.child_text("requestId").and_then(cause_issued) {
            if self.desks.window.contains(issued) {
                self.report.rest_caused.record(at_us.saturating_sub(issued));
            }
        }
        let verb = update.child_text("event").unwrap_or("");
        let Some(object) = update.child("data").and_then(|d| d.children.first()) else {
            return;
        };
        match object.name.as_str() {
            "user" => self.on_user(object.child_text("state").unwrap_or("")),
            "dialogs" => {
                for dialog in object.children_named("Dialog") {
                    self.on_dialog(verb, dialog, at_us);
                }
            }
            "apiErrors" => self.desks.progress.bump(&self.desks.progress.api_errors),
            _ => {}
        }
    }

    fn on_user(&mut self, state: &str) {
        let now = Instant::now();
        let pace = self.desks.pace;
        match state {
            "READY" if !self.ever_ready => {
                self.ever_ready = true;
                self.desks.progress.bump(&self.desks.progress.ready);
            }
            "NOT_READY" if !self.ever_ready => self.next = Some((now, Step::Ready)),
            "NOT_READY" => {
                // Ring-no-answer (the answer came too late): back to READY like a person would.
                self.report.ring_no_answers += 1;
                self.next = Some((now + pace.wrap_up, Step::Ready));
            }
            "TALKING" => {
                if let Some(dialog) = self.dialog.clone() {
                    self.answered = true;
                    self.next = Some((now + pace.talk, Step::Hangup(dialog)));
                }
            }
            "WORK" | "WORK_READY" => self.next = Some((now + pace.wrap_up, Step::Ready)),
            _ => {}
        }
    }

    fn on_dialog(&mut self, verb: &str, dialog: &Element, at_us: u64) {
        let Some(id) = dialog.child_text("id") else {
            return;
        };
        match verb {
            "POST" => {
                let mine_ringing = dialog
                    .child("participants")
                    .into_iter()
                    .flat_map(|p| p.children_named("Participant"))
                    .any(|p| {
                        p.child_text("mediaAddress") == Some(self.login.extension.as_str())
                            && p.child_text("state") == Some("ALERTING")
                    });
                if !mine_ringing {
                    return;
                }
                if let Some(issued) = placed_at(dialog) {
                    if self.desks.window.contains(issued) {
                        self.report.call_offers.record(at_us.saturating_sub(issued));
                    }
                }
                self.dialog = Some(id.to_owned());
                self.answered = false;
                let at = Instant::now() + self.desks.pace.answer_after;
                self.next = Some((at, Step::Answer(id.to_owned())));
            }
            "DELETE" if self.dialog.as_deref() == Some(id) => {
                self.dialog = None;
                if std::mem::take(&mut self.answered) {
                    self.desks
                        .progress
                        .bump(&self.desks.progress.calls_completed);
                }
            }
            _ => {}
        }
    }

    /// Send the step's REST request without waiting for it: the desk keeps reading events.
    fn perform(&mut self, step: Step) {
        self.requests += 1;
        let extension = &self.login.extension;
        let (path, body) = match step {
            Step::SignIn => (
                format!("/User/{}", self.login.id),
                format!("<User><state>LOGIN</state><extension>{extension}</extension></User>"),
            ),
            Step::Ready => (
                format!("/User/{}", self.login.id),
                "<User><state>READY</state></User>".to_owned(),
            ),
            Step::Answer(dialog) => (
                format!("/Dialog/{dialog}"),
                dialog_action("ANSWER", extension),
            ),
            Step::Hangup(dialog) => (
                format!("/Dialog/{dialog}"),
                dialog_action("DROP", extension),
            ),
        };
        let rest = self.desks.rest.clone();
        let progress = self.desks.progress.clone();
        let authorization = self.authorization.clone();
        let issued = self.desks.time.now_micros();
        let request_id = cause_tag(issued, &format!("{}-{}", self.login.id, self.requests));
        tokio::spawn(async move {
            let _permit = rest.in_flight.acquire().await.ok();
            let sent = rest
                .client
                .put(format!("{}{path}", rest.base_url))
                .header("Authorization", authorization)
                .header("Content-Type", "application/xml")
                .header("requestId", request_id)
                .body(body)
                .send()
                .await;
            if !matches!(&sent, Ok(response) if response.status().as_u16() == 202) {
                progress.bump(&progress.rest_failures);
            }
        });
    }
}

fn dialog_action(action: &str, extension: &str) -> String {
    format!(
        "<Dialog><requestedAction>{action}</requestedAction><targetMediaAddress>{extension}</targetMediaAddress></Dialog>"
    )
}

/// When the call behind a dialog was placed (its `callVariable1` tag).
fn placed_at(dialog: &Element) -> Option<u64> {
    dialog
        .descend(&["mediaProperties", "callvariables"])?
        .children_named("CallVariable")
        .find(|v| v.child_text("name") == Some("callVariable1"))
        .and_then(|v| v.child_text("value"))
        .and_then(cause_issued)
}

/// Run a supervisor's desktop: subscribe to the team and queue, count what arrives.
pub async fn run_supervisor(plan: SupervisorPlan, desks: Desks) -> Result<DeskReport, LinkError> {
    let mut link = connect(&desks, &plan.login, async |link| {
        for node in &plan.nodes {
            link.subscribe(node).await?;
        }
        Ok(())
    })
    .await?;
    let mut report = DeskReport::default();
    let mut phase = desks.phase;
    while *phase.borrow_and_update() != Phase::Stopping {
        tokio::select! {
            received = link.next() => {
                let received = received?;
                if received.notification().is_some() {
                    report.events += 1;
                    if desks.window.contains(desks.time.micros(received.at)) {
                        report.events_in_window += 1;
                    }
                }
            }
            changed = phase.changed() => if changed.is_err() { break },
        }
    }
    link.close().await;
    Ok(report)
}
