//! The lab's engine room: the one contact center both nodes share, the clock, the XMPP
//! router, and the timer that runs everything scheduled in simulation time (the center's
//! deadlines, delayed events, scenario calls).
//!
//! Lock order, to stay free of deadlocks: `steps` → router → center. The center lock is
//! never held while another lock is taken.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::center::{AuthFailure, ContactCenter, NodeId, RestReply, RestRequest};
use crate::clock::{SimClock, SimTime};

use super::https::RestService;
use super::scenario::{ScenarioRunner, ScenarioStep};
use super::xmpp::router::{PresenceSink, Router};
use super::xmpp::session::XmppServices;

/// Upper bound of timer steps in one go; a center whose deadline never clears cannot
/// hang the lab.
const MAX_STEPS_PER_RUN: usize = 10_000;

/// The center behind a mutex, fed with a time that never goes backwards.
pub struct SharedCenter {
    center: Mutex<ContactCenter>,
    clock: SimClock,
    /// The latest time given to the center, in milliseconds.
    last_ms: AtomicU64,
}

impl std::fmt::Debug for SharedCenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedCenter").finish_non_exhaustive()
    }
}

impl SharedCenter {
    /// Share `center`, fed with times from `clock`.
    pub fn new(center: ContactCenter, clock: SimClock) -> Self {
        SharedCenter {
            center: Mutex::new(center),
            clock,
            last_ms: AtomicU64::new(0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, ContactCenter> {
        // The center's own invariants are kept by rollback; a panic elsewhere leaves it usable.
        self.center.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Run `f` with the center at the current time.
    pub fn with<R>(&self, f: impl FnOnce(&mut ContactCenter, SimTime) -> R) -> R {
        self.with_at(self.clock.now(), f)
    }

    /// Run `f` with the center at `at`, or later if the center has already seen a later time.
    pub fn with_at<R>(&self, at: SimTime, f: impl FnOnce(&mut ContactCenter, SimTime) -> R) -> R {
        let mut center = self.lock();
        let previous = self.last_ms.fetch_max(at.0, Ordering::SeqCst);
        f(&mut center, SimTime(previous.max(at.0)))
    }
}

impl PresenceSink for SharedCenter {
    /// An out-of-service node has no CTI link to force anyone out with, so a presence lost
    /// while it is out of service starts no timer there.
    fn presence_changed(&self, node: NodeId, user_id: &str, available: bool) {
        tracing::info!(
            ?node,
            user = user_id,
            available,
            "agent XMPP presence changed"
        );
        self.with(|center, now| {
            if available || center.node_in_service(node) {
                center.presence_changed(now, node, user_id, available);
            }
        });
    }
}

/// How many REST requests the journal keeps (oldest dropped first).
const JOURNAL_CAPACITY: usize = 20_000;

/// One REST request as a node answered it, for tests that check what a client asked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RestRecord {
    pub at: SimTime,
    pub node: NodeId,
    pub method: String,
    pub path: String,
    /// The Basic-auth user, if credentials were sent.
    pub user: Option<String>,
    pub status: u16,
    /// A 401 that refused the credentials (`Authorization Failure`), as opposed to the 401
    /// for acting on another user's resources.
    pub credentials_refused: bool,
}

fn basic_user(authorization: Option<&str>) -> Option<String> {
    use base64::Engine as _;
    let (scheme, value) = authorization?.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(value.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    text.split_once(':').map(|(user, _)| user.to_owned())
}

/// Center, clock, router and timers of one lab.
pub struct LabCore {
    pub center: Arc<SharedCenter>,
    pub clock: SimClock,
    pub router: Router,
    scenario: Mutex<Option<ScenarioRunner>>,
    journal: Mutex<std::collections::VecDeque<RestRecord>>,
    /// Serialises timer runs so a deadline fires once even when the timer task and a manual
    /// clock advance race.
    steps: Mutex<()>,
    wake: Notify,
}

impl std::fmt::Debug for LabCore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LabCore").finish_non_exhaustive()
    }
}

impl LabCore {
    /// The engine around a fresh center; start [`LabCore::run_timers`] to drive time.
    pub fn new(center: ContactCenter, clock: SimClock) -> Arc<LabCore> {
        let center = Arc::new(SharedCenter::new(center, clock.clone()));
        Arc::new(LabCore {
            router: Router::new(center.clone()),
            center,
            clock,
            scenario: Mutex::new(None),
            journal: Mutex::new(std::collections::VecDeque::new()),
            steps: Mutex::new(()),
            wake: Notify::new(),
        })
    }

    /// The REST requests answered so far, oldest first (the last 20,000).
    pub fn rest_journal(&self) -> Vec<RestRecord> {
        lock(&self.journal).iter().cloned().collect()
    }

    pub fn clear_rest_journal(&self) {
        lock(&self.journal).clear();
    }

    fn record(&self, record: RestRecord) {
        let mut journal = lock(&self.journal);
        if journal.len() == JOURNAL_CAPACITY {
            journal.pop_front();
        }
        journal.push_back(record);
    }

    /// Start driving a scenario (replacing any running one).
    pub fn set_scenario(&self, runner: Option<ScenarioRunner>) {
        *lock(&self.scenario) = runner;
        self.wake.notify_one();
    }

    /// Route everything the center has published since the last call.
    pub fn pump(&self) {
        self.router
            .route_with(self.clock.now(), || self.center.lock().take_publications());
        // A change may have moved the next deadline (a presence timer, a new call).
        self.wake.notify_one();
    }

    /// Run a control operation on the center, then route what it published.
    pub fn control<R>(&self, f: impl FnOnce(&mut ContactCenter, SimTime) -> R) -> R {
        self.run_due();
        let result = self.center.with(f);
        self.pump();
        result
    }

    /// When something scheduled is next due.
    pub fn next_due(&self) -> Option<SimTime> {
        let center = self.center.lock().next_deadline();
        let delayed = self.router.next_delayed_due();
        let scenario = lock(&self.scenario)
            .as_ref()
            .and_then(ScenarioRunner::next_due);
        [center, delayed, scenario].into_iter().flatten().min()
    }

    /// Run everything due up to the clock's current time, in time order, each at its own
    /// time so timestamps and ordering match what a real system would have produced.
    pub fn run_due(&self) {
        let _serial = lock(&self.steps);
        let target = self.clock.now();
        for _ in 0..MAX_STEPS_PER_RUN {
            let center_due = self.center.lock().next_deadline();
            let delayed_due = self.router.next_delayed_due();
            let scenario_due = lock(&self.scenario)
                .as_ref()
                .and_then(ScenarioRunner::next_due);
            let Some(at) = [center_due, delayed_due, scenario_due]
                .into_iter()
                .flatten()
                .min()
                .filter(|t| *t <= target)
            else {
                return;
            };
            if center_due.is_some_and(|d| d <= at) {
                self.center.with_at(at, |center, now| center.advance(now));
                self.router
                    .route_with(at, || self.center.lock().take_publications());
            }
            if delayed_due.is_some_and(|d| d <= at) {
                self.router.release_due(at);
            }
            if scenario_due.is_some_and(|d| d <= at) {
                self.run_scenario_steps(at);
            }
        }
        tracing::warn!("timer steps exceeded {MAX_STEPS_PER_RUN}; the rest runs on the next tick");
    }

    fn run_scenario_steps(&self, at: SimTime) {
        let steps = lock(&self.scenario)
            .as_mut()
            .map(|s| s.due(at))
            .unwrap_or_default();
        for step in steps {
            match step {
                ScenarioStep::PlaceCall(spec) => {
                    let caller = spec.caller.clone();
                    match self
                        .center
                        .with_at(at, |center, now| center.place_call(now, spec))
                    {
                        Ok(call) => {
                            tracing::info!(%call, %caller, "scenario call arrived");
                            if let Some(runner) = lock(&self.scenario).as_mut() {
                                runner.call_placed(call, at);
                            }
                        }
                        Err(error) => {
                            tracing::warn!(code = error.code(), %error, "scenario call refused")
                        }
                    }
                }
                ScenarioStep::HangUp(call) => {
                    if let Err(error) = self
                        .center
                        .with_at(at, |center, now| center.customer_hang_up(now, call))
                    {
                        // The call may have ended already; that is normal.
                        tracing::debug!(%call, code = error.code(), "scenario hang-up skipped");
                    }
                }
            }
            self.router
                .route_with(at, || self.center.lock().take_publications());
        }
    }

    /// The timer task: runs due work, sleeps until the next deadline (realtime clock) or
    /// until woken (any change, or a manual clock advance).
    pub async fn run_timers(self: Arc<Self>, stop: CancellationToken) {
        loop {
            self.run_due();
            let sleep_for = if self.clock.is_manual() {
                None
            } else {
                self.next_due().map(|t| t.since(self.clock.now()))
            };
            let sleep = async {
                match sleep_for {
                    Some(duration) => tokio::time::sleep(duration).await,
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = stop.cancelled() => return,
                () = self.wake.notified() => {}
                () = sleep => {}
            }
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

impl XmppServices for LabCore {
    fn authenticate(&self, id: &str, password: &str) -> Result<String, AuthFailure> {
        let result = self
            .center
            .with(|center, now| center.authenticate(now, id, password));
        self.pump();
        result
    }

    fn router(&self) -> &Router {
        &self.router
    }

    fn pump(&self) {
        LabCore::pump(self);
    }
}

impl RestService for LabCore {
    fn handle_rest(&self, node: NodeId, request: RestRequest) -> RestReply {
        // Timers due before this request happened first.
        self.run_due();
        let mut record = RestRecord {
            at: self.clock.now(),
            node,
            method: format!("{:?}", request.method).to_uppercase(),
            path: request.path.clone(),
            user: basic_user(request.authorization.as_deref()),
            status: 0,
            credentials_refused: false,
        };
        let reply = self
            .center
            .with(|center, now| center.handle_rest(now, node, request));
        record.status = reply.status;
        record.credentials_refused = reply.status == 401
            && reply
                .body
                .contains("<ErrorType>Authorization Failure</ErrorType>");
        self.record(record);
        self.pump();
        reply
    }
}
