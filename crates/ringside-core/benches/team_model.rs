//! How much team traffic the supervisor's Team model takes: a team of 2,000 agents, a
//! seeded stream of random state changes.
//!
//! - `absorb_update`: one team member update applied to the board (the O(1) path).
//! - `decode_and_absorb`: the XMPP stanza decoded, classified and applied — what one team
//!   notification costs end to end in the core.
//! - `diff_at_500_per_s/*`: building one diff after 250 ms of 500 changes/s (125 changes),
//!   sorted by name (order rarely moves) and by time in state (every change moves a row).
//!
//! After criterion, `figure:` lines summarise a simulated minute at 500 changes/s.
//! Run with `cargo bench -p ringside-core --bench team_model`.
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use finesse::model::{AgentState, Team, TeamMember};
use finesse::notification::{FinesseEvent, Notification};
use finesse::session::SessionEvent;
use ringside_core::team::{
    SortDirection, TeamBoard, TeamPolicy, TeamSort, TeamSortColumn, TeamViewOptions,
};

const TEAM_ID: &str = "2001";
const AGENTS: usize = 2_000;
const CHANGES_PER_SECOND: usize = 500;
const INTERVAL_MS: i64 = 250;
const TEAM_XML: &str = include_str!("../tests/fixtures/team/first_line.xml");
const STANZA: &str = include_str!("../tests/fixtures/team/update_chris_talking.xml");
/// 2024-03-05T09:05:00Z, where the fixtures' clocks stand.
const START_MS: i64 = 1_709_629_500_000;

const STATES: [AgentState; 7] = [
    AgentState::Ready,
    AgentState::NotReady,
    AgentState::Reserved,
    AgentState::Talking,
    AgentState::Hold,
    AgentState::Work,
    AgentState::WorkReady,
];

/// A small seeded generator (xorshift64*), so every run replays the same stream.
struct Stream(u64);

impl Stream {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// 2,000 agents cloned from a real-shaped Team fixture member.
fn big_team() -> Result<Team, finesse::model::ModelError> {
    let mut team = Team::from_xml(TEAM_XML)?;
    let template = team.users[0].clone();
    let first = [
        "Ana", "Chris", "Dana", "Ivo", "Kim", "Lee", "Mia", "Omar", "Raj", "Zoe",
    ];
    let last = [
        "Adams", "Berg", "Chen", "Haddad", "Novak", "Okafor", "Park", "Ruiz", "Vo",
    ];
    team.users = (0..AGENTS)
        .map(|i| {
            let id = format!("{}", 2_000_000 + i);
            let mut member = template.clone();
            member.uri = format!("/finesse/api/User/{id}");
            member.first_name = Some(first[i % first.len()].to_owned());
            member.last_name = Some(format!("{} {}", last[i % last.len()], i / 90));
            member.extension = Some(format!("{}", 5_000 + i));
            member.state = STATES[i % STATES.len()].clone();
            member.state_change_time = Some(stamp(START_MS - 600_000 + i as i64 * 300));
            member.login_id = id;
            member
        })
        .collect();
    Ok(team)
}

fn stamp(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|at| at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
        .unwrap_or_default()
}

/// The next change: a random agent moves to a random other state, stamped `at_ms`.
fn change(stream: &mut Stream, team: &Team, at_ms: i64) -> TeamMember {
    let mut member = team.users[stream.below(AGENTS)].clone();
    let state = STATES[stream.below(STATES.len())].clone();
    member.state = if state == member.state {
        AgentState::NotReady
    } else {
        state
    };
    member.state_change_time = Some(stamp(at_ms));
    member
}

fn board_for(team: &Team, column: TeamSortColumn) -> TeamBoard {
    let mut board = TeamBoard::new(TeamPolicy::default());
    board.set_teams(&[finesse::model::TeamRef {
        id: TEAM_ID.to_owned(),
        name: Some("Bench".to_owned()),
        uri: None,
    }]);
    board.set_view(TeamViewOptions {
        sort: TeamSort {
            column,
            direction: SortDirection::Ascending,
        },
        include_logged_out: true,
        ..TeamViewOptions::default()
    });
    board.load_team(team, START_MS);
    board.resync(START_MS);
    board
}

fn absorb(c: &mut Criterion, team: &Team) {
    let mut group = c.benchmark_group("team_model");
    group
        .throughput(Throughput::Elements(1))
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));

    let mut board = board_for(team, TeamSortColumn::Name);
    let mut stream = Stream(0x5eed_2000);
    let mut clock = START_MS;
    group.bench_function("absorb_update", |b| {
        b.iter_custom(|iters| {
            let updates: Vec<TeamMember> = (0..iters)
                .map(|_| {
                    clock += 2;
                    change(&mut stream, team, clock)
                })
                .collect();
            let start = Instant::now();
            for member in updates {
                black_box(board.apply_member(TEAM_ID, member, clock));
            }
            start.elapsed()
        })
    });

    let stanzas: Vec<String> = (0..512)
        .map(|i| {
            let id = format!("{}", 2_000_000 + (i * 37) % AGENTS);
            STANZA
                .replace("1001001", &id)
                .replace("09:05:10.000Z", &format!("09:05:{:02}.{:03}Z", i % 60, i))
        })
        .collect();
    let mut next = 0usize;
    group.bench_function("decode_and_absorb", |b| {
        b.iter(|| {
            next = (next + 1) % stanzas.len();
            let event = Notification::from_message_xml(&stanzas[next])
                .ok()
                .flatten()
                .and_then(|n| n.classify().ok());
            if let Some(FinesseEvent::TeamMemberUpdated { team_id, member }) = event {
                black_box(
                    board.apply_event(SessionEvent::TeamMemberChanged { team_id, member }, clock),
                );
            }
        })
    });
    group.finish();
}

fn diffs(c: &mut Criterion, team: &Team) {
    let per_diff = CHANGES_PER_SECOND * INTERVAL_MS as usize / 1_000;
    let mut group = c.benchmark_group("team_model/diff_at_500_per_s");
    group
        .throughput(Throughput::Elements(1))
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for (label, column) in [
        ("by_name", TeamSortColumn::Name),
        ("by_time_in_state", TeamSortColumn::TimeInState),
    ] {
        let mut board = board_for(team, column);
        let mut stream = Stream(0x5eed_0500);
        let mut clock = START_MS;
        group.bench_function(label, |b| {
            b.iter_custom(|iters| {
                let mut spent = Duration::ZERO;
                for _ in 0..iters {
                    for k in 0..per_diff {
                        let at = clock + k as i64 * 2;
                        board.apply_member(TEAM_ID, change(&mut stream, team, at), at);
                    }
                    clock += INTERVAL_MS;
                    let start = Instant::now();
                    black_box(board.take_diff(clock));
                    spent += start.elapsed();
                }
                spent
            })
        });
    }
    group.finish();
}

/// A simulated minute at 500 changes/s, one diff every 250 ms: what it costs and weighs.
fn figures(team: &Team) {
    let seconds = 60;
    let mut board = board_for(team, TeamSortColumn::TimeInState);
    let mut stream = Stream(0x5eed_0060);
    let per_diff = CHANGES_PER_SECOND * INTERVAL_MS as usize / 1_000;
    let mut absorb = Duration::ZERO;
    let mut diff_times = Vec::new();
    let (mut rows, mut bytes, mut orders) = (0usize, 0usize, 0usize);
    let mut clock = START_MS;
    let ticks = seconds * 1_000 / INTERVAL_MS as usize;
    for _ in 0..ticks {
        let updates: Vec<TeamMember> = (0..per_diff)
            .map(|k| change(&mut stream, team, clock + k as i64 * 2))
            .collect();
        let start = Instant::now();
        for member in updates {
            board.apply_member(TEAM_ID, member, clock);
        }
        absorb += start.elapsed();
        clock += INTERVAL_MS;
        let start = Instant::now();
        let diff = board.take_diff(clock);
        diff_times.push(start.elapsed());
        if let Some(diff) = diff {
            rows += diff.rows.len();
            orders += usize::from(diff.order.is_some());
            bytes += serde_json::to_vec(&diff).map(|v| v.len()).unwrap_or(0);
        }
    }
    diff_times.sort();
    let pct = |p: usize| diff_times[(diff_times.len() * p / 100).min(diff_times.len() - 1)];
    let updates = ticks * per_diff;
    let cpu = absorb + diff_times.iter().sum::<Duration>();
    println!(
        "figure: team model, {AGENTS} agents at {CHANGES_PER_SECOND} changes/s, one diff per {INTERVAL_MS} ms, sorted by time in state"
    );
    println!(
        "figure:   absorb {:.2} µs per update ({:.0} updates/s on one core)",
        absorb.as_secs_f64() * 1e6 / updates as f64,
        updates as f64 / absorb.as_secs_f64()
    );
    println!(
        "figure:   diff build p50 {:.0} µs, p99 {:.0} µs, max {:.0} µs",
        pct(50).as_secs_f64() * 1e6,
        pct(99).as_secs_f64() * 1e6,
        diff_times.last().map_or(0.0, |d| d.as_secs_f64() * 1e6)
    );
    println!(
        "figure:   per diff {:.0} rows, order sent in {:.0}% of diffs, {:.1} KiB JSON ({:.0} KiB/s to the UI)",
        rows as f64 / ticks as f64,
        orders as f64 * 100.0 / ticks as f64,
        bytes as f64 / ticks as f64 / 1024.0,
        bytes as f64 / seconds as f64 / 1024.0
    );
    println!(
        "figure:   core CPU {:.2}% of one core; event-to-diff lag at most {INTERVAL_MS} ms + build time",
        cpu.as_secs_f64() * 100.0 / seconds as f64
    );
}

fn main() {
    let team = match big_team() {
        Ok(team) => team,
        Err(error) => {
            eprintln!("the team fixture does not parse: {error}");
            std::process::exit(1);
        }
    };
    let mut criterion = Criterion::default().configure_from_args();
    absorb(&mut criterion, &team);
    diffs(&mut criterion, &team);
    criterion.final_summary();
    figures(&team);
}
