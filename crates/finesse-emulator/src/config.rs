//! Lab configuration: who works in the simulated contact center and how it behaves.
//!
//! A lab is described in JSON (see `labs/*.json`); every field has a default so a file
//! only lists what it changes. [`LabConfig::demo`] builds the built-in demo lab.
use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// Which contact-center product the lab imitates; several rules differ (§3.3, §11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Flavour {
    /// Unified CCE: HOLD state, WORK_READY, mobile agent, queue statistics.
    #[default]
    Ucce,
    /// Unified CCX: no HOLD user state, no WORK_READY, stats reported as `-1`.
    Uccx,
}

impl Flavour {
    /// The `deploymentType` value of SystemInfo.
    pub fn as_str(self) -> &'static str {
        match self {
            Flavour::Ucce => "UCCE",
            Flavour::Uccx => "UCCX",
        }
    }
}

/// `settings/wrapUpOnIncoming` and `wrapUpOnOutgoing` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WrapUpMode {
    Required,
    RequiredWithWrapUpData,
    #[default]
    Optional,
    NotAllowed,
}

impl WrapUpMode {
    pub fn as_str(self) -> &'static str {
        match self {
            WrapUpMode::Required => "REQUIRED",
            WrapUpMode::RequiredWithWrapUpData => "REQUIRED_WITH_WRAP_UP_DATA",
            WrapUpMode::Optional => "OPTIONAL",
            WrapUpMode::NotAllowed => "NOT_ALLOWED",
        }
    }

    /// Whether the agent enters WORK / WORK_READY after such a call. The server does not
    /// distinguish REQUIRED from OPTIONAL: the desktop enforces the difference.
    pub fn enabled(self) -> bool {
        self != WrapUpMode::NotAllowed
    }
}

/// What a user may do on the desktop API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Agent,
    Supervisor,
    /// Finesse administrator: may read any user, may not place calls.
    Administrator,
}

/// The two reason-code categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReasonCategory {
    NotReady,
    Logout,
}

impl ReasonCategory {
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCategory::NotReady => "NOT_READY",
            ReasonCategory::Logout => "LOGOUT",
        }
    }
}

/// The UCCE PG "LOAD" (Logout On Agent Disconnect) setting, deciding what the 60 s
/// presence-driven forced logout does on UCCE (§10.2). UCCX always logs out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisconnectPolicy {
    /// The documented default: the agent is put NOT_READY with 50002 ("Connection Failure").
    #[default]
    NotReady,
    /// The agent is logged out with Finesse's reason 255.
    Logout,
}

/// Who may use PARTICIPANT_DROP on a conference (`enableDropParticipantFor`, §6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DropParticipantFor {
    #[default]
    SupervisorOnly,
    ConferenceControllerAndSupervisor,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum PhoneBookType {
    #[default]
    Global,
    Team,
}

impl PhoneBookType {
    pub fn as_str(self) -> &'static str {
        match self {
            PhoneBookType::Global => "GLOBAL",
            PhoneBookType::Team => "TEAM",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum LayoutType {
    #[default]
    Default,
    Custom,
}

impl LayoutType {
    pub fn as_str(self) -> &'static str {
        match self {
            LayoutType::Default => "DEFAULT",
            LayoutType::Custom => "CUSTOM",
        }
    }
}

/// Host and ports of one Finesse node, as reported in SystemInfo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NodeConfig {
    pub host: String,
    pub https_port: u16,
    pub xmpp_port: u16,
    pub xmpp_secure_port: u16,
}

impl NodeConfig {
    fn with_host(host: &str) -> Self {
        NodeConfig {
            host: host.to_owned(),
            https_port: 8445,
            xmpp_port: 5222,
            xmpp_secure_port: 5223,
        }
    }
}

impl Default for NodeConfig {
    fn default() -> Self {
        NodeConfig::with_host("127.0.0.1")
    }
}

/// Node A (primary) and node B (secondary).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NodesConfig {
    pub a: NodeConfig,
    pub b: NodeConfig,
}

impl Default for NodesConfig {
    fn default() -> Self {
        NodesConfig {
            a: NodeConfig::with_host("127.0.0.1"),
            b: NodeConfig::with_host("127.0.0.2"),
        }
    }
}

/// One phone of a multi-line agent (12.x `devices`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DeviceConfig {
    pub id: String,
    pub device_type: String,
    pub device_type_name: String,
}

/// A user of the lab: agent, supervisor or administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgentConfig {
    /// The agent ID (UCCE peripheral login id; UCCX user id), used in URIs and JIDs.
    pub id: String,
    /// The human login name (`GET /User/{loginName}` on UCCE; also accepted by Basic auth).
    pub login_name: String,
    pub password: String,
    pub first_name: String,
    pub last_name: String,
    /// The agent's own phone extension (a known device; any agent may sign in on it).
    pub extension: String,
    /// The team the agent belongs to.
    pub team_id: Option<String>,
    pub roles: Vec<Role>,
    pub mobile_agent_allowed: bool,
    pub wrap_up_on_incoming: WrapUpMode,
    pub wrap_up_on_outgoing: WrapUpMode,
    /// Wrap-up time limit in seconds; `0` means no timer (wrap-up ends only on request).
    pub wrap_up_timer_seconds: u32,
    /// Multi-line devices sharing the extension; sign-in picks one with `activeDeviceId`.
    pub devices: Vec<DeviceConfig>,
    pub skill_target_id: Option<u32>,
}

impl Default for AgentConfig {
    fn default() -> Self {
        AgentConfig {
            id: String::new(),
            login_name: String::new(),
            password: String::new(),
            first_name: String::new(),
            last_name: String::new(),
            extension: String::new(),
            team_id: None,
            roles: vec![Role::Agent],
            mobile_agent_allowed: false,
            wrap_up_on_incoming: WrapUpMode::Optional,
            wrap_up_on_outgoing: WrapUpMode::NotAllowed,
            wrap_up_timer_seconds: 60,
            devices: Vec::new(),
            skill_target_id: None,
        }
    }
}

impl AgentConfig {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// A team; members name it in [`AgentConfig::team_id`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TeamConfig {
    pub id: String,
    pub name: String,
    /// Agent ids of the supervisors of this team.
    pub supervisors: Vec<String>,
}

/// A queue (skill group / CSQ). Members are the agents of `teams` plus `agents`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct QueueConfig {
    pub id: String,
    pub name: String,
    pub teams: Vec<String>,
    pub agents: Vec<String>,
    /// The number customers dial to reach the queue (used as `dialedNumber` when a call
    /// spec does not give one).
    pub dialed_number: String,
}

/// A configured (non-system) reason code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReasonCodeConfig {
    /// The Finesse database id, the value clients send as `reasonCodeId`.
    pub id: String,
    /// The CTI code reported to the contact center.
    pub code: i64,
    pub label: String,
    pub category: ReasonCategory,
    pub for_all: bool,
    /// Teams the code is assigned to when `for_all` is false.
    pub teams: Vec<String>,
}

impl Default for ReasonCodeConfig {
    fn default() -> Self {
        ReasonCodeConfig {
            id: String::new(),
            code: 0,
            label: String::new(),
            category: ReasonCategory::NotReady,
            for_all: true,
            teams: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WrapUpReasonConfig {
    pub id: String,
    pub label: String,
    pub for_all: bool,
    pub teams: Vec<String>,
}

impl Default for WrapUpReasonConfig {
    fn default() -> Self {
        WrapUpReasonConfig {
            id: String::new(),
            label: String::new(),
            for_all: true,
            teams: Vec::new(),
        }
    }
}

/// One labelled field of the call pop-up.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LayoutEntry {
    pub display_name: String,
    pub media_property: String,
    pub show_in_pop_over: bool,
    pub ui_editable: bool,
}

/// A MediaPropertiesLayout: which call variables a desktop shows, with labels.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LayoutConfig {
    pub id: String,
    pub name: String,
    pub description: String,
    pub layout_type: LayoutType,
    pub header: LayoutEntry,
    /// Left and right columns (at most 10 entries each).
    pub columns: Vec<Vec<LayoutEntry>>,
    /// Teams a CUSTOM layout is assigned to; the DEFAULT layout serves everyone else.
    pub teams: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactConfig {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub phone_number: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PhoneBookConfig {
    pub id: String,
    pub name: String,
    pub book_type: PhoneBookType,
    /// Teams a TEAM phone book is assigned to.
    pub teams: Vec<String>,
    pub contacts: Vec<ContactConfig>,
}

/// How numbers outside the lab (customers, consult targets) behave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExternalPartyConfig {
    /// Seconds an outside number rings before it answers; `0` answers at once.
    pub answer_after_seconds: u32,
    /// Numbers that are always busy (the call FAILS with stateCause BUSY).
    pub busy_numbers: Vec<String>,
}

impl Default for ExternalPartyConfig {
    fn default() -> Self {
        ExternalPartyConfig {
            answer_after_seconds: 3,
            busy_numbers: Vec::new(),
        }
    }
}

/// The whole lab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LabConfig {
    pub flavour: Flavour,
    pub nodes: NodesConfig,
    pub peripheral_id: u32,
    /// SystemInfo `timezoneOffset`, minutes east of UTC.
    pub timezone_offset_minutes: i32,
    pub agents: Vec<AgentConfig>,
    pub teams: Vec<TeamConfig>,
    pub queues: Vec<QueueConfig>,
    pub reason_codes: Vec<ReasonCodeConfig>,
    pub wrap_up_reasons: Vec<WrapUpReasonConfig>,
    pub layouts: Vec<LayoutConfig>,
    pub phone_books: Vec<PhoneBookConfig>,
    /// UCCE LOAD setting for the presence-driven forced logout.
    pub load: DisconnectPolicy,
    /// Seconds a routed call rings before ring-no-answer (RONA).
    pub ring_no_answer_seconds: u32,
    pub external: ExternalPartyConfig,
    /// Phone extensions that exist besides the agents' own (spare phones, mobile-agent
    /// LCP ports).
    pub extra_extensions: Vec<String>,
    pub drop_participant_for: DropParticipantFor,
}

impl Default for LabConfig {
    fn default() -> Self {
        LabConfig {
            flavour: Flavour::Ucce,
            nodes: NodesConfig::default(),
            peripheral_id: 5000,
            timezone_offset_minutes: 0,
            agents: Vec::new(),
            teams: Vec::new(),
            queues: Vec::new(),
            reason_codes: Vec::new(),
            wrap_up_reasons: Vec::new(),
            layouts: Vec::new(),
            phone_books: Vec::new(),
            load: DisconnectPolicy::NotReady,
            ring_no_answer_seconds: 15,
            external: ExternalPartyConfig::default(),
            extra_extensions: Vec::new(),
            drop_participant_for: DropParticipantFor::SupervisorOnly,
        }
    }
}

/// Why a lab configuration was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("invalid lab JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("invalid lab: {0}")]
    Invalid(String),
}

impl ConfigError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ConfigError::Read { .. } => "config_read",
            ConfigError::Json(_) => "config_json",
            ConfigError::Invalid(_) => "config_invalid",
        }
    }
}

/// Reason-code ids the center keeps for its own system codes (RONA, supervisor, forced
/// logout …); configured codes must not use them.
pub const RESERVED_REASON_ID_RANGE: std::ops::RangeInclusive<u32> = 9000..=9199;

/// The password of every user of the demo lab.
pub const DEMO_PASSWORD: &str = "ringside";

impl LabConfig {
    /// Parse and validate a JSON lab description.
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        let config: LabConfig = serde_json::from_str(text)?;
        config.validate()?;
        Ok(config)
    }

    /// Read, parse and validate a JSON lab file.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_json(&text)
    }

    /// Check cross references and uniqueness. [`crate::center::ContactCenter::new`] accepts
    /// any config (first definition wins); this tells a lab author what is wrong.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |msg: String| Err(ConfigError::Invalid(msg));
        let mut ids = BTreeSet::new();
        let mut names = BTreeSet::new();
        let mut extensions = BTreeSet::new();
        for agent in &self.agents {
            if agent.id.trim().is_empty() {
                return invalid("an agent has an empty id".into());
            }
            if !ids.insert(agent.id.to_ascii_lowercase()) {
                return invalid(format!("agent id {} is used twice", agent.id));
            }
            if !agent.login_name.is_empty() && !names.insert(agent.login_name.to_ascii_lowercase())
            {
                return invalid(format!("login name {} is used twice", agent.login_name));
            }
            if !agent.extension.is_empty() && !extensions.insert(agent.extension.clone()) {
                return invalid(format!(
                    "extension {} belongs to two agents",
                    agent.extension
                ));
            }
            if let Some(team) = &agent.team_id {
                if !self.teams.iter().any(|t| &t.id == team) {
                    return invalid(format!("agent {} is in unknown team {team}", agent.id));
                }
            }
        }
        let agent_known = |id: &str| self.agents.iter().any(|a| a.id.eq_ignore_ascii_case(id));
        let team_known = |id: &str| self.teams.iter().any(|t| t.id == id);
        unique(self.teams.iter().map(|t| &t.id), "team")?;
        for team in &self.teams {
            if let Some(s) = team.supervisors.iter().find(|s| !agent_known(s)) {
                return invalid(format!("team {} names unknown supervisor {s}", team.id));
            }
        }
        unique(self.queues.iter().map(|q| &q.id), "queue")?;
        for queue in &self.queues {
            if let Some(t) = queue.teams.iter().find(|t| !team_known(t)) {
                return invalid(format!("queue {} names unknown team {t}", queue.id));
            }
            if let Some(a) = queue.agents.iter().find(|a| !agent_known(a)) {
                return invalid(format!("queue {} names unknown agent {a}", queue.id));
            }
        }
        unique(self.reason_codes.iter().map(|r| &r.id), "reason code")?;
        for code in &self.reason_codes {
            if code
                .id
                .parse::<u32>()
                .is_ok_and(|id| RESERVED_REASON_ID_RANGE.contains(&id))
            {
                return invalid(format!(
                    "reason code id {} is reserved for system codes ({}..={})",
                    code.id,
                    RESERVED_REASON_ID_RANGE.start(),
                    RESERVED_REASON_ID_RANGE.end()
                ));
            }
            if let Some(t) = code.teams.iter().find(|t| !team_known(t)) {
                return invalid(format!("reason code {} names unknown team {t}", code.id));
            }
        }
        unique(self.wrap_up_reasons.iter().map(|r| &r.id), "wrap-up reason")?;
        unique(self.layouts.iter().map(|l| &l.id), "layout")?;
        unique(self.phone_books.iter().map(|p| &p.id), "phone book")?;
        for layout in &self.layouts {
            if layout.columns.len() > 2 || layout.columns.iter().any(|c| c.len() > 10) {
                return invalid(format!(
                    "layout {} has more than 2 columns of 10",
                    layout.id
                ));
            }
        }
        Ok(())
    }

    /// The built-in demo lab (UCCE). Every user's password is [`DEMO_PASSWORD`]:
    /// - supervisor `1000` (login name `supervisor`, extension `2000`), member and
    ///   supervisor of team `1` "Sales";
    /// - agents `1001`..`1020` (login names `agent01`..`agent20`, extensions
    ///   `2001`..`2020`); `1001`..`1010` in team 1 "Sales", `1011`..`1020` in team 2
    ///   "Support"; `1019` and `1020` may sign in as mobile agents (LCP ports `3019`,
    ///   `3020`); `1018` has two devices;
    /// - queues `5001` Sales, `5002` Support, `5003` Billing (both teams);
    /// - NOT_READY codes 1–4, LOGOUT codes 5–6, four wrap-up reasons, one layout, a global
    ///   and a team phone book.
    pub fn demo() -> Self {
        const FIRST: [&str; 20] = [
            "Ada", "Ben", "Cleo", "Dev", "Eva", "Farid", "Grace", "Hugo", "Ines", "Jon", "Kira",
            "Liam", "Mina", "Noah", "Olga", "Pavel", "Quinn", "Rosa", "Sven", "Tara",
        ];
        const LAST: [&str; 20] = [
            "Lovelace",
            "Okafor",
            "Marsh",
            "Patel",
            "Lindqvist",
            "Haddad",
            "Hopper",
            "Moreau",
            "Costa",
            "Berg",
            "Tanaka",
            "Walsh",
            "Ito",
            "Fischer",
            "Ivanova",
            "Novak",
            "Reyes",
            "Alvarez",
            "Nilsson",
            "Singh",
        ];
        let mut agents = vec![AgentConfig {
            id: "1000".into(),
            login_name: "supervisor".into(),
            password: DEMO_PASSWORD.into(),
            first_name: "Sam".into(),
            last_name: "Rivera".into(),
            extension: "2000".into(),
            team_id: Some("1".into()),
            roles: vec![Role::Agent, Role::Supervisor],
            ..AgentConfig::default()
        }];
        for n in 1..=20usize {
            let team = if n <= 10 { "1" } else { "2" };
            let devices = if n == 18 {
                vec![
                    DeviceConfig {
                        id: "CSF1018".into(),
                        device_type: "503".into(),
                        device_type_name: "Cisco Unified Client Services Framework".into(),
                    },
                    DeviceConfig {
                        id: "SEP001122331018".into(),
                        device_type: "621".into(),
                        device_type_name: "Cisco 7821".into(),
                    },
                ]
            } else {
                Vec::new()
            };
            agents.push(AgentConfig {
                id: format!("{}", 1000 + n),
                login_name: format!("agent{n:02}"),
                password: DEMO_PASSWORD.into(),
                first_name: FIRST[n - 1].into(),
                last_name: LAST[n - 1].into(),
                extension: format!("{}", 2000 + n),
                team_id: Some(team.into()),
                mobile_agent_allowed: n >= 19,
                devices,
                ..AgentConfig::default()
            });
        }
        let reason =
            |id: &str, code: i64, label: &str, category, teams: &[&str]| ReasonCodeConfig {
                id: id.into(),
                code,
                label: label.into(),
                category,
                for_all: teams.is_empty(),
                teams: teams.iter().map(|t| (*t).to_owned()).collect(),
            };
        let wrap = |id: &str, label: &str| WrapUpReasonConfig {
            id: id.into(),
            label: label.into(),
            ..WrapUpReasonConfig::default()
        };
        let entry = |name: &str, property: &str| LayoutEntry {
            display_name: name.into(),
            media_property: property.into(),
            show_in_pop_over: true,
            ui_editable: false,
        };
        let contact = |id: &str, first: &str, last: &str, number: &str, what: &str| ContactConfig {
            id: id.into(),
            first_name: first.into(),
            last_name: last.into(),
            phone_number: number.into(),
            description: what.into(),
        };
        LabConfig {
            agents,
            teams: vec![
                TeamConfig {
                    id: "1".into(),
                    name: "Sales".into(),
                    supervisors: vec!["1000".into()],
                },
                TeamConfig {
                    id: "2".into(),
                    name: "Support".into(),
                    supervisors: Vec::new(),
                },
            ],
            queues: vec![
                QueueConfig {
                    id: "5001".into(),
                    name: "Sales".into(),
                    teams: vec!["1".into()],
                    agents: Vec::new(),
                    dialed_number: "8001".into(),
                },
                QueueConfig {
                    id: "5002".into(),
                    name: "Support".into(),
                    teams: vec!["2".into()],
                    agents: Vec::new(),
                    dialed_number: "8002".into(),
                },
                QueueConfig {
                    id: "5003".into(),
                    name: "Billing".into(),
                    teams: vec!["1".into(), "2".into()],
                    agents: Vec::new(),
                    dialed_number: "8003".into(),
                },
            ],
            reason_codes: vec![
                reason("1", 10, "Lunch", ReasonCategory::NotReady, &[]),
                reason("2", 11, "Break", ReasonCategory::NotReady, &[]),
                reason("3", 12, "Team Meeting", ReasonCategory::NotReady, &[]),
                reason("4", 13, "Training", ReasonCategory::NotReady, &["2"]),
                reason("5", 20, "End of Shift", ReasonCategory::Logout, &[]),
                reason("6", 21, "Personal", ReasonCategory::Logout, &[]),
            ],
            wrap_up_reasons: vec![
                wrap("1", "Sale Completed"),
                wrap("2", "Product Question"),
                wrap("3", "Complaint"),
                wrap("4", "Wrong Number"),
            ],
            layouts: vec![LayoutConfig {
                id: "1".into(),
                name: "Default Layout".into(),
                description: "Customer details for every call".into(),
                layout_type: LayoutType::Default,
                header: entry("Customer Name", "callVariable1"),
                columns: vec![
                    vec![
                        entry("Account Number", "callVariable2"),
                        entry("Reason for Call", "callVariable3"),
                        entry("Caller", "fromAddress"),
                    ],
                    vec![
                        entry("Language", "callVariable4"),
                        entry("Priority", "user.priority"),
                        entry("Queue", "queueName"),
                    ],
                ],
                teams: Vec::new(),
            }],
            phone_books: vec![
                PhoneBookConfig {
                    id: "1".into(),
                    name: "Company Directory".into(),
                    book_type: PhoneBookType::Global,
                    teams: Vec::new(),
                    contacts: vec![
                        contact("1", "Front", "Desk", "4000", "Reception"),
                        contact("2", "IT", "Helpdesk", "4100", "Internal IT support"),
                        contact("3", "Kathy", "Wong", "5054", "Billing specialist"),
                    ],
                },
                PhoneBookConfig {
                    id: "2".into(),
                    name: "Sales Partners".into(),
                    book_type: PhoneBookType::Team,
                    teams: vec!["1".into()],
                    contacts: vec![
                        contact("4", "Omar", "Reyes", "+14085550101", "Reseller, West"),
                        contact("5", "Lena", "Hart", "+14085550102", "Reseller, East"),
                    ],
                },
            ],
            extra_extensions: vec!["3019".into(), "3020".into()],
            ..LabConfig::default()
        }
    }
}

fn unique<'a>(ids: impl Iterator<Item = &'a String>, what: &str) -> Result<(), ConfigError> {
    let mut seen = BTreeSet::new();
    for id in ids {
        if !seen.insert(id.as_str()) {
            return Err(ConfigError::Invalid(format!(
                "{what} id {id} is used twice"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_lab_is_valid_and_has_the_documented_people() {
        let lab = LabConfig::demo();
        lab.validate().unwrap();
        assert_eq!(lab.agents.len(), 21);
        let supervisors: Vec<_> = lab
            .agents
            .iter()
            .filter(|a| a.has_role(Role::Supervisor))
            .collect();
        assert_eq!(supervisors.len(), 1);
        assert_eq!(supervisors[0].id, "1000");
        assert_eq!(lab.teams[0].supervisors, vec!["1000".to_owned()]);
        assert_eq!(lab.queues.len(), 3);
    }

    #[test]
    fn json_round_trip_keeps_everything() {
        let lab = LabConfig::demo();
        let text = serde_json::to_string_pretty(&lab).unwrap();
        assert_eq!(LabConfig::from_json(&text).unwrap(), lab);
    }

    #[test]
    fn a_reason_code_in_the_reserved_range_is_refused() {
        let mut lab = LabConfig::demo();
        lab.reason_codes[0].id = "9001".into();
        assert_eq!(lab.validate().unwrap_err().code(), "config_invalid");
    }

    #[test]
    fn unknown_team_references_are_refused() {
        let mut lab = LabConfig::demo();
        lab.agents[3].team_id = Some("77".into());
        assert!(lab.validate().is_err());
        let text = r#"{"flavour":"UCCX","agents":[{"id":"a"},{"id":"A"}]}"#;
        assert!(LabConfig::from_json(text).is_err());
    }
}
