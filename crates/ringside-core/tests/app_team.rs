//! The supervisor's Team view through the app: supervisor 1000 (extension 2000) follows team
//! 1 "Sales" (agents 1001–1010) in the emulator lab; agent 1001 is driven by a second app,
//! as a colleague at another desk would be (fake keychain and ring: see `app_support`).
//!
//! The test reads the `team` events as the UI does: it applies every diff in `seq` order on
//! top of the whole view from `get_team`, and fails if a diff goes missing.
// A test that cannot go on should stop right there, with the reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod app_support;

use std::collections::BTreeMap;

use app_support::*;
use finesse_emulator::center::{AgentState as TruthState, NodeId};
use finesse_emulator::config::LabConfig;
use finesse_emulator::net::Lab;
use ringside_core::app::{ui_events, App};
use ringside_core::desk::{
    AgentStateKind, CallAction, CallActionRequest, CallDirection, CallState, ConnectionStatus,
    StateRequest,
};
use ringside_core::team::{
    TeamAction, TeamActionRequest, TeamChoice, TeamCounts, TeamDiff, TeamHeader, TeamRow,
    TeamStateGroup, TeamViewOptions,
};
use tokio::sync::broadcast;

const END_OF_SHIFT: &str = "5";

/// The Team tab as the UI holds it, kept by applying the app's diffs.
struct TeamScreen {
    app: App,
    updates: broadcast::Receiver<TeamDiff>,
    seq: u64,
    header: TeamHeader,
    counts: TeamCounts,
    rows: BTreeMap<String, TeamRow>,
    order: Vec<String>,
    /// Every diff applied, oldest first.
    applied: Vec<TeamDiff>,
}

impl TeamScreen {
    /// Listens first, then loads the whole view, so no diff falls in between.
    async fn open(app: &App) -> TeamScreen {
        let updates = app.team_updates();
        let mut screen = TeamScreen {
            app: app.clone(),
            updates,
            seq: 0,
            header: TeamHeader::default(),
            counts: TeamCounts::default(),
            rows: BTreeMap::new(),
            order: Vec::new(),
            applied: Vec::new(),
        };
        let whole = app.get_team().await.unwrap();
        assert!(whole.reset, "get_team answers with the whole view");
        screen.apply(whole);
        screen
    }

    fn apply(&mut self, diff: TeamDiff) {
        if diff.seq <= self.seq {
            // Sent before the whole view this screen started from.
            return;
        }
        assert!(
            diff.reset || diff.seq == self.seq + 1,
            "diff {} follows {}: one went missing",
            diff.seq,
            self.seq
        );
        if diff.reset {
            self.rows.clear();
            self.order.clear();
        }
        if let Some(header) = &diff.header {
            self.header = header.clone();
        }
        for row in &diff.rows {
            self.rows.insert(row.id.clone(), row.clone());
        }
        for id in &diff.removed {
            self.rows.remove(id);
        }
        if let Some(order) = &diff.order {
            self.order = order.clone();
        }
        self.counts = diff.counts;
        self.seq = diff.seq;
        self.applied.push(diff);
    }

    /// Applies diffs until the screen satisfies `wanted`.
    async fn wait(&mut self, what: &str, wanted: impl Fn(&TeamScreen) -> bool) {
        within(what, async {
            while !wanted(self) {
                match self.updates.recv().await {
                    Ok(diff) => self.apply(diff),
                    Err(broadcast::error::RecvError::Lagged(missed)) => {
                        panic!("the test fell {missed} diffs behind")
                    }
                    Err(broadcast::error::RecvError::Closed) => panic!("the app went away"),
                }
            }
        })
        .await;
    }

    /// Applies the diffs already sent, without waiting for more.
    fn drain(&mut self) {
        loop {
            match self.updates.try_recv() {
                Ok(diff) => self.apply(diff),
                Err(broadcast::error::TryRecvError::Empty) => return,
                Err(other) => panic!("team updates: {other:?}"),
            }
        }
    }

    /// Waits until agent `id`'s row satisfies `wanted`, and returns it.
    async fn wait_row(
        &mut self,
        id: &str,
        what: &str,
        wanted: impl Fn(&TeamRow) -> bool,
    ) -> TeamRow {
        self.wait(what, |screen| screen.row(id).is_some_and(&wanted))
            .await;
        self.row(id).cloned().unwrap()
    }

    fn row(&self, id: &str) -> Option<&TeamRow> {
        self.rows.get(id)
    }

    /// The shown rows' ids, top to bottom (every shown row must be held).
    fn shown(&self) -> Vec<String> {
        for id in &self.order {
            assert!(
                self.rows.contains_key(id),
                "row {id} is ordered but unknown"
            );
        }
        self.order.clone()
    }

    async fn act(&self, agent_id: &str, action: TeamAction) -> Result<(), String> {
        let request = TeamActionRequest {
            agent_id: agent_id.to_owned(),
            action,
        };
        within("team action", self.app.team_action(request))
            .await
            .map_err(|error| error.code)
    }
}

/// An app signed in as `user` on `extension`, with what must outlive it.
struct Desk {
    app: App,
    _config_dir: tempfile::TempDir,
}

async fn signed_in(lab: &Lab, user: &str, extension: &str) -> Desk {
    let (app, _keychain, _ring, config_dir) = app_for(lab);
    within("sign in", app.sign_in(form(lab, user, PASSWORD, extension)))
        .await
        .unwrap_or_else(|e| panic!("{user} signs in: {e:?}"));
    Desk {
        app,
        _config_dir: config_dir,
    }
}

async fn supervisor(lab: &Lab) -> Desk {
    signed_in(lab, "1000", "2000").await
}

/// Agent 1001 signed in on 2001 and Ready.
async fn ready_colleague(lab: &Lab) -> Desk {
    let desk = signed_in(lab, "1001", "2001").await;
    within(
        "ready",
        desk.app.set_state(StateRequest {
            state: AgentStateKind::Ready,
            reason_id: None,
        }),
    )
    .await
    .unwrap();
    desk
}

/// Agent 1001 talking to a customer of the Sales queue.
async fn talking_colleague(lab: &Lab) -> Desk {
    let desk = ready_colleague(lab).await;
    customer_call(lab);
    let ringing = wait_desk(&desk.app, "the call ringing for 1001", |d| {
        d.calls.iter().any(|c| c.state == CallState::Ringing)
    })
    .await;
    let answer = CallActionRequest {
        call_id: ringing.calls[0].id.clone(),
        action: CallAction::Answer,
        to_address: None,
        dtmf: None,
        participant: None,
    };
    within("answer", desk.app.call_action(answer))
        .await
        .unwrap();
    desk
}

/// The supervisor's screen once team 1 is loaded.
async fn loaded_screen(app: &App) -> TeamScreen {
    let mut screen = TeamScreen::open(app).await;
    screen
        .wait("team 1 loaded", |s| {
            s.header.chosen.as_deref() == Some("1") && !s.header.loading && s.counts.total > 0
        })
        .await;
    screen
}

fn all_agents_shown() -> TeamViewOptions {
    TeamViewOptions {
        include_logged_out: true,
        ..TeamViewOptions::default()
    }
}

#[tokio::test]
async fn a_supervisor_sees_the_team_and_an_agent_going_ready() {
    let lab = start_lab().await;
    let boss = supervisor(&lab).await;
    assert!(boss.app.team_view_live(), "a supervisor's Team view is fed");
    assert_eq!(ui_events::TEAM, "team");

    let mut screen = loaded_screen(&boss.app).await;
    assert_eq!(
        screen.header.teams,
        vec![TeamChoice {
            id: "1".into(),
            name: "Sales".into()
        }]
    );
    // Only the supervisor is signed in; signed-out agents are hidden by default.
    assert_eq!(screen.counts.total, 11);
    assert_eq!(screen.counts.logged_out, 10);
    assert_eq!(screen.counts.not_ready, 1);
    assert_eq!(screen.shown(), ["1000"]);
    assert!(
        screen.row("1000").unwrap().actions.is_empty(),
        "the supervisor's own row offers nothing"
    );

    within("show everyone", boss.app.set_team_view(all_agents_shown()))
        .await
        .unwrap();
    screen
        .wait("all eleven shown", |s| s.order.len() == 11)
        .await;
    let mut ids = screen.shown();
    ids.sort();
    let expected: Vec<String> = (1000..=1010).map(|n| n.to_string()).collect();
    assert_eq!(ids, expected);
    let ada = screen.row("1001").unwrap();
    assert_eq!(ada.name, "Ada Lovelace");
    assert_eq!(ada.state, AgentStateKind::LoggedOut);

    let _colleague = ready_colleague(&lab).await;
    let ada = screen
        .wait_row("1001", "1001 shown Ready", |r| {
            r.state == AgentStateKind::Ready
        })
        .await;
    assert_eq!(ada.group, TeamStateGroup::Ready);
    assert_eq!(ada.extension.as_deref(), Some("2001"));
    assert!(ada.actions.contains(&TeamAction::MakeNotReady));
    assert!(ada.actions.contains(&TeamAction::SignOut));
    assert!(!ada.actions.contains(&TeamAction::SilentMonitor));
    assert_eq!(screen.counts.ready, 1);
    assert_eq!(screen.counts.logged_out, 9);
}

#[tokio::test]
async fn making_a_ready_agent_not_ready_shows_it_pending_then_not_ready() {
    let lab = start_lab().await;
    let boss = supervisor(&lab).await;
    let mut screen = loaded_screen(&boss.app).await;
    let colleague = ready_colleague(&lab).await;
    screen
        .wait_row("1001", "1001 Ready", |r| r.state == AgentStateKind::Ready)
        .await;

    screen.act("1001", TeamAction::MakeNotReady).await.unwrap();

    let pending = screen
        .wait_row("1001", "1001 pending", |r| r.busy.is_some())
        .await;
    assert_eq!(pending.busy, Some(TeamAction::MakeNotReady));
    assert_eq!(pending.state, AgentStateKind::Ready, "not yet confirmed");
    let done = screen
        .wait_row("1001", "1001 Not Ready", |r| {
            r.state == AgentStateKind::NotReady
        })
        .await;
    screen
        .wait_row("1001", "the spinner gone", |r| r.busy.is_none())
        .await;
    assert_eq!(done.error, None);
    assert!(done.actions.contains(&TeamAction::MakeReady));
    assert_eq!(
        lab.truth().agent("1001").unwrap().state,
        TruthState::NotReady
    );
    wait_desk(&colleague.app, "1001's own desk Not Ready", |d| {
        d.agent
            .as_ref()
            .is_some_and(|a| a.state == AgentStateKind::NotReady)
    })
    .await;
}

#[tokio::test]
async fn not_ready_is_neither_offered_nor_sent_while_the_agent_talks() {
    let lab = start_lab().await;
    let boss = supervisor(&lab).await;
    let mut screen = loaded_screen(&boss.app).await;
    let _colleague = talking_colleague(&lab).await;

    let talking = screen
        .wait_row("1001", "1001 talking", |r| {
            r.state == AgentStateKind::Talking
        })
        .await;
    assert!(!talking.actions.contains(&TeamAction::MakeNotReady));
    assert!(talking.call.is_some(), "a talking row shows its call");

    assert_eq!(
        screen.act("1001", TeamAction::MakeNotReady).await,
        Err("team_action_not_allowed".to_owned())
    );
    let sent: Vec<_> = lab
        .rest_journal()
        .into_iter()
        .filter(|r| r.user.as_deref() == Some("1000") && r.path.contains("/User/1001"))
        .collect();
    assert!(sent.is_empty(), "nothing was sent to Finesse: {sent:?}");
    assert_eq!(
        lab.truth().agent("1001").unwrap().state,
        TruthState::Talking
    );
    assert_eq!(screen.row("1001").unwrap().busy, None);
}

#[tokio::test]
async fn silent_monitoring_puts_the_monitor_call_on_the_supervisors_desk() {
    let lab = start_lab().await;
    let boss = supervisor(&lab).await;
    let mut screen = loaded_screen(&boss.app).await;
    let _colleague = talking_colleague(&lab).await;
    let talking = screen
        .wait_row("1001", "1001 offers monitoring", |r| {
            r.actions.contains(&TeamAction::SilentMonitor)
        })
        .await;
    assert_eq!(talking.state, AgentStateKind::Talking);

    screen.act("1001", TeamAction::SilentMonitor).await.unwrap();

    let desk = wait_desk(&boss.app, "the monitor call on the desk", |d| {
        d.calls.iter().any(|c| c.is_monitoring)
    })
    .await;
    let monitor = desk.calls.iter().find(|c| c.is_monitoring).unwrap();
    assert_eq!(monitor.direction, CallDirection::Monitor);
    let monitored = screen
        .wait_row("1001", "1001 marked monitored", |r| {
            r.monitored && r.busy.is_none()
        })
        .await;
    assert_eq!(monitored.error, None);
    assert!(!monitored.actions.contains(&TeamAction::SilentMonitor));
    assert!(monitored.actions.contains(&TeamAction::EndMonitoring));
    assert_eq!(monitored.state, AgentStateKind::Talking);
}

#[tokio::test]
async fn signing_out_clears_the_team_view() {
    let lab = start_lab().await;
    let boss = supervisor(&lab).await;
    let mut screen = loaded_screen(&boss.app).await;

    within("sign out", boss.app.sign_out(Some(END_OF_SHIFT.into())))
        .await
        .unwrap();

    screen
        .wait("an empty view", |s| {
            s.applied.last().is_some_and(|d| d.reset) && s.header.teams.is_empty()
        })
        .await;
    assert!(screen.rows.is_empty());
    assert_eq!(screen.header.chosen, None);
    assert_eq!(screen.counts.total, 0);
    assert!(!boss.app.team_view_live());
    let whole = boss.app.get_team().await.unwrap();
    assert!(whole.rows.is_empty());
    assert_eq!(whole.counts.total, 0);
    let error = boss.app.choose_team("1".into()).await.unwrap_err();
    assert_eq!(error.code, "not_connected");
}

#[tokio::test]
async fn a_plain_agent_gets_no_team_view() {
    let lab = start_lab().await;
    let agent = signed_in(&lab, "1001", "2001").await;
    // The team pump would start before the desk shows the User.
    let desk = wait_desk(&agent.app, "the agent on the desk", |d| d.agent.is_some()).await;
    assert!(!desk.agent.unwrap().is_supervisor);

    assert!(!agent.app.team_view_live());
    let whole = agent.app.get_team().await.unwrap();
    assert!(whole.header.unwrap().teams.is_empty());
    assert!(whole.rows.is_empty());
    let error = agent.app.choose_team("1".into()).await.unwrap_err();
    assert_eq!(error.code, "team_unknown_team");
}

#[tokio::test]
async fn the_team_view_follows_the_team_again_after_a_reconnect() {
    let lab = start_lab().await;
    let boss = supervisor(&lab).await;
    let mut screen = loaded_screen(&boss.app).await;
    let colleague = signed_in(&lab, "1001", "2001").await;
    screen
        .wait_row("1001", "1001 Not Ready", |r| {
            r.state == AgentStateKind::NotReady && r.actions.contains(&TeamAction::MakeReady)
        })
        .await;

    let connected_since = |app: &App| {
        let desk = app.desk_updates().borrow().clone();
        assert_eq!(desk.connection.status, ConnectionStatus::Connected);
        desk.connection.since
    };
    let before = [connected_since(&boss.app), connected_since(&colleague.app)];

    lab.drop_xmpp_links(NodeId::A);

    // Connected again means connected anew: a later `since` than before the drop.
    for (desk, before) in [&boss, &colleague].into_iter().zip(before) {
        wait_desk(&desk.app, "connected again", |d| {
            d.connection.status == ConnectionStatus::Connected && d.connection.since > before
        })
        .await;
    }
    within(
        "ready",
        colleague.app.set_state(StateRequest {
            state: AgentStateKind::Ready,
            reason_id: None,
        }),
    )
    .await
    .unwrap();
    let ready = screen
        .wait_row("1001", "1001 Ready after the reconnect", |r| {
            r.state == AgentStateKind::Ready
        })
        .await;
    assert!(ready.actions.contains(&TeamAction::MakeNotReady));
    assert_eq!(screen.header.chosen.as_deref(), Some("1"));
}

#[tokio::test]
async fn time_in_state_is_on_this_machines_clock_when_finesse_runs_an_hour_ahead() {
    let lab = start_lab().await;
    let hour_ms: i64 = 3_600_000;
    lab.advance_clock(std::time::Duration::from_secs(3600));
    let boss = supervisor(&lab).await;
    let mut screen = loaded_screen(&boss.app).await;

    let _colleague = ready_colleague(&lab).await;
    let ready = screen
        .wait_row("1001", "1001 Ready", |r| r.state == AgentStateKind::Ready)
        .await;

    // Finesse stamps the change an hour ahead; measured against SystemInfo's clock, it
    // happened just now here (within minutes, not an hour).
    let local_now = chrono::Utc::now().timestamp_millis();
    let since = ready.state_since.expect("Finesse gives stateChangeTime");
    assert!(
        (local_now - since).abs() < hour_ms / 6,
        "state_since {since} is {} ms from now",
        local_now - since
    );
}

#[tokio::test]
async fn a_supervisor_of_two_teams_switches_between_them() {
    let mut config = LabConfig::demo();
    for team in &mut config.teams {
        team.supervisors = vec!["1000".into()];
    }
    let lab = start_lab_with(config).await;
    let boss = supervisor(&lab).await;
    let mut screen = loaded_screen(&boss.app).await;
    let names: Vec<&str> = screen
        .header
        .teams
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(names, ["Sales", "Support"]);
    assert_eq!(screen.counts.total, 11);

    within("choose Support", boss.app.choose_team("2".into()))
        .await
        .unwrap();
    // The team's rows went out before choose_team returned.
    screen.drain();
    assert_eq!(screen.header.chosen.as_deref(), Some("2"));
    assert!(!screen.header.loading);
    assert_eq!(screen.counts.total, 10);
    assert_eq!(screen.counts.logged_out, 10);

    let error = boss.app.choose_team("3".into()).await.unwrap_err();
    assert_eq!(error.code, "team_unknown_team");

    within("back to Sales", boss.app.choose_team("1".into()))
        .await
        .unwrap();
    screen
        .wait("Sales shown again", |s| {
            s.header.chosen.as_deref() == Some("1") && !s.header.loading && s.counts.total == 11
        })
        .await;
    let _colleague = ready_colleague(&lab).await;
    screen
        .wait_row("1001", "Sales followed again", |r| {
            r.state == AgentStateKind::Ready
        })
        .await;
}
