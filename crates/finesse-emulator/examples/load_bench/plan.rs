//! The benchmark's contact center: N agents in teams of T, each team with one supervisor,
//! teams spread over Q queues. The parent (clients) and the child (emulator) build the same
//! plan from the same flags, so the parent knows every login without asking the child.
use finesse_emulator::config::{
    AgentConfig, LabConfig, PhoneBookType, QueueConfig, Role, TeamConfig, WrapUpMode,
};

/// Every bench user's password.
pub const PASSWORD: &str = "bench-pass";

/// The server-side wrap-up limit. Agents end wrap-up themselves (READY over REST) long
/// before it, as a desktop user would; the timer is only a safety net.
const WRAP_UP_TIMER_SECONDS: u32 = 120;

/// Sign-in details of one bench user.
#[derive(Debug, Clone)]
pub struct Login {
    pub id: String,
    pub password: String,
    pub extension: String,
}

/// A supervisor and the pub-sub nodes its desktop subscribes to.
#[derive(Debug, Clone)]
pub struct SupervisorPlan {
    pub login: Login,
    pub nodes: Vec<String>,
}

/// The size of the simulated contact center.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub agents: usize,
    pub team_size: usize,
    pub queues: usize,
}

/// Who works in the bench lab, and the lab configuration itself.
#[derive(Debug, Clone)]
pub struct Plan {
    pub agents: Vec<Login>,
    pub supervisors: Vec<SupervisorPlan>,
    pub queue_ids: Vec<String>,
    pub config: LabConfig,
}

fn agent_id(n: usize) -> String {
    format!("{}", 100_000 + n)
}

fn team_id(t: usize) -> String {
    format!("{}", t + 1)
}

fn queue_id(q: usize) -> String {
    format!("{}", 5001 + q)
}

impl Plan {
    /// The lab for `shape`. Reason codes, wrap-up reasons, layouts and the global phone
    /// book come from the demo lab, so events carry realistic payloads; team-specific
    /// demo items are left out because the demo's teams do not exist here.
    pub fn new(shape: Shape) -> Plan {
        let team_size = shape.team_size.max(1);
        let teams = shape.agents.div_ceil(team_size).max(1);
        let queues = shape.queues.clamp(1, teams);
        let mut config = LabConfig::demo();
        config.reason_codes.retain(|r| r.for_all);
        config.wrap_up_reasons.retain(|r| r.for_all);
        config.layouts.retain(|l| l.teams.is_empty());
        config
            .phone_books
            .retain(|p| p.book_type == PhoneBookType::Global);
        config.extra_extensions.clear();

        let mut agents = Vec::with_capacity(shape.agents);
        let mut agent_configs = Vec::with_capacity(shape.agents + teams);
        for n in 1..=shape.agents {
            let id = agent_id(n);
            let extension = format!("{}", 200_000 + n);
            agent_configs.push(AgentConfig {
                id: id.clone(),
                login_name: format!("agent{n:05}"),
                password: PASSWORD.into(),
                first_name: "Bench".into(),
                last_name: format!("Agent {n}"),
                extension: extension.clone(),
                team_id: Some(team_id((n - 1) / team_size)),
                wrap_up_on_incoming: WrapUpMode::Optional,
                wrap_up_timer_seconds: WRAP_UP_TIMER_SECONDS,
                ..AgentConfig::default()
            });
            agents.push(Login {
                id,
                password: PASSWORD.into(),
                extension,
            });
        }

        let queue_ids: Vec<String> = (0..queues).map(queue_id).collect();
        let mut team_configs = Vec::with_capacity(teams);
        let mut supervisors = Vec::with_capacity(teams);
        for t in 0..teams {
            // Supervisors are not team members: they watch, they are never routed calls.
            let id = format!("{}", 900_000 + t + 1);
            agent_configs.push(AgentConfig {
                id: id.clone(),
                login_name: format!("supervisor{:03}", t + 1),
                password: PASSWORD.into(),
                first_name: "Bench".into(),
                last_name: format!("Supervisor {}", t + 1),
                extension: format!("{}", 300_000 + t + 1),
                team_id: None,
                roles: vec![Role::Agent, Role::Supervisor],
                ..AgentConfig::default()
            });
            team_configs.push(TeamConfig {
                id: team_id(t),
                name: format!("Bench team {}", t + 1),
                supervisors: vec![id.clone()],
            });
            supervisors.push(SupervisorPlan {
                login: Login {
                    id,
                    password: PASSWORD.into(),
                    extension: format!("{}", 300_000 + t + 1),
                },
                nodes: vec![
                    format!("/finesse/api/Team/{}/Users", team_id(t)),
                    format!("/finesse/api/Queue/{}", queue_ids[t % queues]),
                ],
            });
        }
        config.agents = agent_configs;
        config.teams = team_configs;
        config.queues = (0..queues)
            .map(|q| QueueConfig {
                id: queue_id(q),
                name: format!("Bench queue {}", q + 1),
                teams: (0..teams)
                    .filter(|t| t % queues == q)
                    .map(team_id)
                    .collect(),
                agents: Vec::new(),
                dialed_number: format!("{}", 8001 + q),
            })
            .collect();
        Plan {
            agents,
            supervisors,
            queue_ids,
            config,
        }
    }
}
