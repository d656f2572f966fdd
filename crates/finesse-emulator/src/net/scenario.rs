//! Demo traffic: customer calls arriving at a steady rate with varied callers and call data,
//! optionally hung up by the customer after a while. Runs on simulation time, so a manual
//! clock drives it exactly like the center's own timers.
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::center::{CallId, CallSpec, CallVariable};
use crate::clock::SimTime;

/// A scenario file (JSON). Every field but `every_seconds` is optional.
///
/// ```json
/// { "every_seconds": 30, "first_after_seconds": 5, "max_calls": 100,
///   "queues": ["5001", "5002"], "callers": ["+14155550101", "+14155550102"],
///   "talk_seconds": 120,
///   "call_variables": [{"callVariable1": "Ada Lovelace", "callVariable2": "ACC-1001"}],
///   "ecc": [{"user.priority": "gold"}] }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scenario {
    /// Seconds between two arriving calls.
    pub every_seconds: f64,
    /// Seconds until the first call; defaults to `every_seconds`.
    pub first_after_seconds: Option<f64>,
    /// Stop after this many calls; unlimited when absent.
    pub max_calls: Option<u64>,
    /// Queue ids, used in turn; empty: the lab's queues in turn.
    pub queues: Vec<String>,
    /// Caller numbers, used in turn; empty: generated `+1555010nnnn` numbers.
    pub callers: Vec<String>,
    /// The customer hangs up this many seconds after the call arrived (if still there).
    pub talk_seconds: Option<f64>,
    /// Call variable sets (`callVariable1`..`10`), used in turn.
    pub call_variables: Vec<BTreeMap<String, String>>,
    /// ECC variable sets (`user.*`), used in turn.
    pub ecc: Vec<BTreeMap<String, String>>,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            every_seconds: 30.0,
            first_after_seconds: None,
            max_calls: None,
            queues: Vec::new(),
            callers: Vec::new(),
            talk_seconds: None,
            call_variables: Vec::new(),
            ecc: Vec::new(),
        }
    }
}

/// Why a scenario could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("cannot read scenario {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid scenario JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("invalid scenario: {0}")]
    Invalid(String),
}

impl ScenarioError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ScenarioError::Read { .. } => "scenario_read",
            ScenarioError::Json(_) => "scenario_json",
            ScenarioError::Invalid(_) => "scenario_invalid",
        }
    }
}

const DEMO_CUSTOMERS: [(&str, &str, &str); 8] = [
    ("Ada Lovelace", "ACC-100231", "Billing question"),
    ("Grace Hopper", "ACC-100877", "New order"),
    ("Alan Turing", "ACC-101942", "Delivery status"),
    ("Katherine Johnson", "ACC-102310", "Upgrade plan"),
    ("Linus Pauling", "ACC-103005", "Cancel subscription"),
    ("Hedy Lamarr", "ACC-103711", "Technical support"),
    ("Tim Berners-Lee", "ACC-104420", "Password reset"),
    ("Margaret Hamilton", "ACC-105066", "Refund request"),
];

impl Scenario {
    /// Read and check a scenario file.
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Scenario::from_json(&text)
    }

    /// Parse and check a scenario.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let scenario: Scenario = serde_json::from_str(text)?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// The built-in demo traffic: a call every `every` with varied customers.
    pub fn demo(every: Duration) -> Scenario {
        let call_variables = DEMO_CUSTOMERS
            .iter()
            .map(|(name, account, reason)| {
                BTreeMap::from([
                    ("callVariable1".to_owned(), (*name).to_owned()),
                    ("callVariable2".to_owned(), (*account).to_owned()),
                    ("callVariable3".to_owned(), (*reason).to_owned()),
                ])
            })
            .collect();
        let ecc = ["gold", "silver", "bronze"]
            .iter()
            .map(|tier| BTreeMap::from([("user.customer.tier".to_owned(), (*tier).to_owned())]))
            .collect();
        Scenario {
            every_seconds: every.as_secs_f64(),
            first_after_seconds: Some(every.as_secs_f64().min(5.0)),
            talk_seconds: Some(every.as_secs_f64().max(30.0) * 3.0),
            call_variables,
            ecc,
            ..Scenario::default()
        }
    }

    fn validate(&self) -> Result<(), ScenarioError> {
        let positive = |v: f64| v.is_finite() && v > 0.0;
        if !positive(self.every_seconds) {
            return Err(ScenarioError::Invalid(
                "every_seconds must be a positive number".into(),
            ));
        }
        if self
            .first_after_seconds
            .is_some_and(|v| !v.is_finite() || v < 0.0)
        {
            return Err(ScenarioError::Invalid(
                "first_after_seconds must not be negative".into(),
            ));
        }
        if self.talk_seconds.is_some_and(|v| !positive(v)) {
            return Err(ScenarioError::Invalid(
                "talk_seconds must be a positive number".into(),
            ));
        }
        Ok(())
    }
}

/// What the runner wants done at a point in simulation time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScenarioStep {
    PlaceCall(CallSpec),
    HangUp(CallId),
}

/// Drives one scenario: when the next thing is due and what it is.
#[derive(Debug)]
pub struct ScenarioRunner {
    scenario: Scenario,
    /// Queues to use when the scenario names none.
    lab_queues: Vec<String>,
    next_call_at: Option<SimTime>,
    placed: u64,
    hang_ups: Vec<(SimTime, CallId)>,
}

impl ScenarioRunner {
    /// Start the scenario at `now`; `lab_queues` are used when it names no queue.
    pub fn new(scenario: Scenario, lab_queues: Vec<String>, now: SimTime) -> Self {
        let first = scenario
            .first_after_seconds
            .unwrap_or(scenario.every_seconds);
        let next_call_at = (scenario.max_calls != Some(0)).then(|| now.plus(secs(first)));
        ScenarioRunner {
            scenario,
            lab_queues,
            next_call_at,
            placed: 0,
            hang_ups: Vec::new(),
        }
    }

    /// When the runner next has something to do.
    pub fn next_due(&self) -> Option<SimTime> {
        let hang_up = self.hang_ups.iter().map(|(t, _)| *t).min();
        [self.next_call_at, hang_up].into_iter().flatten().min()
    }

    /// The steps due at `now`, hang-ups first.
    pub fn due(&mut self, now: SimTime) -> Vec<ScenarioStep> {
        let mut steps: Vec<ScenarioStep> = Vec::new();
        let (due, later): (Vec<_>, Vec<_>) = self.hang_ups.drain(..).partition(|(t, _)| *t <= now);
        self.hang_ups = later;
        steps.extend(due.into_iter().map(|(_, call)| ScenarioStep::HangUp(call)));
        if let Some(at) = self.next_call_at.filter(|at| *at <= now) {
            steps.push(ScenarioStep::PlaceCall(self.call_spec(self.placed)));
            self.placed += 1;
            let more = self.scenario.max_calls.is_none_or(|max| self.placed < max);
            self.next_call_at = more.then(|| at.plus(secs(self.scenario.every_seconds)));
        }
        steps
    }

    /// A call was placed at `at`: schedule the customer's hang-up if the scenario has one.
    pub fn call_placed(&mut self, call: CallId, at: SimTime) {
        if let Some(talk) = self.scenario.talk_seconds {
            self.hang_ups.push((at.plus(secs(talk)), call));
        }
    }

    fn call_spec(&self, n: u64) -> CallSpec {
        let pick_text = |list: &[String]| -> Option<String> { pick(list, n).cloned() };
        let queues = if self.scenario.queues.is_empty() {
            &self.lab_queues
        } else {
            &self.scenario.queues
        };
        let caller = pick_text(&self.scenario.callers)
            .unwrap_or_else(|| format!("+1555010{:04}", n % 10_000));
        let variables = |sets: &[BTreeMap<String, String>]| -> Vec<CallVariable> {
            pick(sets, n)
                .map(|set| set.iter().map(|(k, v)| CallVariable::new(k, v)).collect())
                .unwrap_or_default()
        };
        CallSpec {
            caller,
            queue: pick_text(queues).unwrap_or_default(),
            call_variables: variables(&self.scenario.call_variables),
            ecc: variables(&self.scenario.ecc),
            ..CallSpec::default()
        }
    }
}

fn pick<T>(list: &[T], n: u64) -> Option<&T> {
    if list.is_empty() {
        return None;
    }
    let index = usize::try_from(n % list.len() as u64).unwrap_or(0);
    list.get(index)
}

fn secs(seconds: f64) -> Duration {
    Duration::from_secs_f64(seconds.max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_arrive_at_the_rate_with_callers_and_data_in_turn() {
        let scenario = Scenario::from_json(
            r#"{"every_seconds": 10, "first_after_seconds": 2, "max_calls": 3,
                "callers": ["+1", "+2"], "queues": ["5001"],
                "call_variables": [{"callVariable1": "A"}, {"callVariable1": "B"}]}"#,
        )
        .unwrap();
        let mut runner = ScenarioRunner::new(scenario, vec![], SimTime(0));
        assert_eq!(runner.next_due(), Some(SimTime(2_000)));
        assert!(runner.due(SimTime(1_999)).is_empty());
        let mut placed = Vec::new();
        for t in [2_000, 12_000, 22_000, 32_000] {
            for step in runner.due(SimTime(t)) {
                if let ScenarioStep::PlaceCall(spec) = step {
                    placed.push((
                        t,
                        spec.caller,
                        spec.queue,
                        spec.call_variables[0].value.clone(),
                    ));
                }
            }
        }
        assert_eq!(
            placed,
            [
                (2_000, "+1".to_owned(), "5001".to_owned(), "A".to_owned()),
                (12_000, "+2".to_owned(), "5001".to_owned(), "B".to_owned()),
                (22_000, "+1".to_owned(), "5001".to_owned(), "A".to_owned()),
            ]
        );
        assert_eq!(runner.next_due(), None, "max_calls reached");
    }

    #[test]
    fn customers_hang_up_after_the_talk_time() {
        let scenario =
            Scenario::from_json(r#"{"every_seconds": 100, "talk_seconds": 30}"#).unwrap();
        let mut runner = ScenarioRunner::new(scenario, vec!["5002".into()], SimTime(0));
        let steps = runner.due(SimTime(100_000));
        assert!(matches!(&steps[..], [ScenarioStep::PlaceCall(spec)] if spec.queue == "5002"));
        runner.call_placed(CallId(7), SimTime(100_000));
        assert_eq!(runner.next_due(), Some(SimTime(130_000)));
        assert_eq!(
            runner.due(SimTime(130_000)),
            [ScenarioStep::HangUp(CallId(7))]
        );
    }

    #[test]
    fn nonsense_rates_are_refused() {
        for bad in [
            r#"{"every_seconds": 0}"#,
            r#"{"every_seconds": 5, "talk_seconds": -1}"#,
        ] {
            assert_eq!(
                Scenario::from_json(bad).unwrap_err().code(),
                "scenario_invalid"
            );
        }
        assert_eq!(
            Scenario::from_json(r#"{"every_second": 5}"#)
                .unwrap_err()
                .code(),
            "scenario_json"
        );
    }

    #[test]
    fn scenario_files_shipped_with_the_labs_parse() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("labs/scenarios");
        let mut checked = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                Scenario::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                checked += 1;
            }
        }
        assert!(checked > 0, "no scenario files in {}", dir.display());
    }

    #[test]
    fn demo_scenario_varies_customers() {
        let mut runner = ScenarioRunner::new(
            Scenario::demo(Duration::from_secs(20)),
            vec!["5001".into()],
            SimTime(0),
        );
        let mut names = Vec::new();
        let mut t = 0;
        while names.len() < 3 {
            t += 1_000;
            for step in runner.due(SimTime(t)) {
                if let ScenarioStep::PlaceCall(spec) = step {
                    names.push(spec.call_variables[0].value.clone());
                    assert!(!spec.ecc.is_empty());
                }
            }
        }
        assert_eq!(names, ["Ada Lovelace", "Grace Hopper", "Alan Turing"]);
    }
}
