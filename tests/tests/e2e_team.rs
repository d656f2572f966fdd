//! End to end: a supervisor's Team tab in the real `ringside` binary and its WebKitGTK
//! webview, on a private Xvfb desktop, driven over WebDriver, against the in-process Finesse
//! emulator. Two agents of the Sales team work at desks of their own (driven over the
//! emulator's REST API); the supervisor watches them, makes one Not Ready, listens in on the
//! other's call, barges in and leaves again. Every step saves a screenshot under
//! `target/e2e-screens/team-NN-….png`. See `tests/e2e/README.md` for what the test starts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../e2e/mod.rs"]
mod e2e;

use e2e::driver::{AppSession, PATIENCE};
use e2e::lab::E2eLab;
use e2e::wait::wait_until;
use e2e::World;
use fantoccini::Locator;
use finesse_emulator::center::{
    AgentState, CallKind, CallTruth, CtiError, DialogState, NodeId, ParticipantState,
};

const SUPERVISOR: &str = "supervisor";
const SUPERVISOR_ID: &str = "1000";
const SUPERVISOR_EXTENSION: &str = "2000";
/// Ada Lovelace and Ben Okafor, agents of the Sales team.
const ADA: &str = "1001";
const ADA_EXTENSION: &str = "2001";
const BEN: &str = "1002";
const BEN_EXTENSION: &str = "2002";
/// The team's agents, the supervisor included.
const TEAM_SIZE: usize = 11;
/// Reason code ids of the demo lab.
const BREAK: &str = "2";
const END_OF_SHIFT: &str = "5";
const ESCAPE: &str = "\u{E00C}";

/// CSS for an agent's row in the Team list.
fn row(agent: &str) -> String {
    format!("[data-testid=\"team-row\"][data-agent-id=\"{agent}\"]")
}

/// CSS for a part of an agent's row.
fn row_part(agent: &str, testid: &str) -> String {
    format!("{} [data-testid=\"{testid}\"]", row(agent))
}

const ANY_ROW: &str = "[data-testid=\"team-row\"]";

/// Wait until the row shows the agent in `state` (`ready`, `notReady`, `talking` …).
async fn wait_row_state(app: &AppSession, agent: &str, state: &str) {
    app.find_css(&format!("{}[data-state=\"{state}\"]", row(agent)))
        .await;
}

/// Wait until the counts at the top of the Team tab show these numbers per state group.
async fn wait_counts(app: &AppSession, expected: &[(&str, usize)]) {
    for (group, count) in expected {
        let number = format!(
            "[data-testid=\"team-count\"][data-group=\"{group}\"] [data-testid=\"team-count-number\"]"
        );
        let wanted = count.to_string();
        app.wait_for_text_css_where(&number, &format!("{group} = {count}"), |text| {
            text == wanted
        })
        .await;
    }
}

/// Open an agent's action menu; returns the actions it offers.
async fn open_actions(app: &AppSession, agent: &str) -> Vec<String> {
    app.click_css(&row_part(agent, "team-row-actions")).await;
    let menu = format!("[data-testid=\"team-action-menu\"][data-agent-id=\"{agent}\"]");
    app.find_css(&menu).await;
    let mut actions = Vec::new();
    for item in app
        .client()
        .find_all(Locator::Css(&format!(
            "{menu} [data-testid=\"team-action\"]"
        )))
        .await
        .unwrap()
    {
        if let Some(action) = item.attr("data-action").await.unwrap() {
            actions.push(action);
        }
    }
    actions
}

/// Close the open action menu with Escape, as a keyboard user does.
async fn close_actions(app: &AppSession) {
    app.find_css("[data-testid=\"team-action-menu\"] [data-testid=\"team-action\"]")
        .await
        .send_keys(ESCAPE)
        .await
        .unwrap();
    app.wait_gone("team-action-menu").await;
}

/// Choose an action from the open menu.
async fn choose_action(app: &AppSession, action: &str) {
    app.click_css(&format!(
        "[data-testid=\"team-action-menu\"] [data-testid=\"team-action\"][data-action=\"{action}\"]"
    ))
    .await;
    app.wait_gone("team-action-menu").await;
}

/// Open the agent's menu and choose `action`, which it must offer.
async fn act_on(app: &AppSession, agent: &str, action: &str) {
    let offered = open_actions(app, agent).await;
    assert!(
        offered.iter().any(|a| a == action),
        "agent {agent}'s menu does not offer {action}: {offered:?}"
    );
    choose_action(app, action).await;
}

/// The supervisor's monitor call on the agent at `agent_extension`, if there is one.
fn monitor_call(lab: &E2eLab, agent_extension: &str) -> Option<CallTruth> {
    lab.lab.truth().calls.into_iter().find(|call| {
        call.kind == CallKind::Monitor
            && call.participant(SUPERVISOR_EXTENSION).is_some()
            && call.participant(agent_extension).is_some()
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn supervisor_watches_the_team_and_monitors_and_barges_in_through_the_real_app() {
    let world = World::start().await;
    let lab = &world.lab;
    let app = world.launch().await;

    // 1. The supervisor signs in; only a supervisor gets the Team tab.
    app.find("sign-in").await;
    app.screenshot("team-01-sign-in").await;
    app.sign_in(&lab.node_a(), SUPERVISOR, SUPERVISOR_EXTENSION)
        .await;
    lab.wait_for_state(SUPERVISOR_ID, AgentState::NotReady);
    app.wait_attr("state-pill", "data-state", "notReady").await;
    app.wait_for_text("agent-extension", SUPERVISOR_EXTENSION)
        .await;
    app.click("tab-team").await;
    app.wait_attr("tab-team", "aria-selected", "true").await;
    app.find("team-grid").await;
    app.wait_for_text("team-name", "Sales").await;
    // Signed-out agents are hidden: the supervisor is the only one shown.
    wait_counts(&app, &[("notReady", 1), ("loggedOut", TEAM_SIZE - 1)]).await;
    app.wait_for_text("team-shown", &format!("1 of {TEAM_SIZE}"))
        .await;
    wait_row_state(&app, SUPERVISOR_ID, "notReady").await;
    app.wait_count_css(ANY_ROW, 1).await;
    assert_eq!(
        app.count_css(&row_part(SUPERVISOR_ID, "team-row-actions"))
            .await,
        0,
        "the supervisor's own row offers actions"
    );
    app.screenshot("team-02-team-tab").await;

    // 2. Two agents sign in at their desks and change state; the rows and counts follow.
    lab.agent_signs_in(ADA, ADA_EXTENSION);
    lab.agent_signs_in(BEN, BEN_EXTENSION);
    wait_row_state(&app, ADA, "notReady").await;
    wait_row_state(&app, BEN, "notReady").await;
    app.wait_for_text_css(&row_part(ADA, "team-row-name"), "Ada Lovelace")
        .await;
    app.wait_for_text_css(&row_part(ADA, "team-row-extension"), ADA_EXTENSION)
        .await;
    wait_counts(&app, &[("notReady", 3), ("loggedOut", TEAM_SIZE - 3)]).await;
    lab.agent_sets_state(ADA, AgentState::Ready, None);
    let ben = lab.agent_sets_state(BEN, AgentState::NotReady, Some(BREAK));
    assert_eq!(ben.reason_label.as_deref(), Some("Break"));
    wait_row_state(&app, ADA, "ready").await;
    app.wait_for_text_css(&row_part(BEN, "team-row-reason"), "Break")
        .await;
    wait_counts(&app, &[("ready", 1), ("notReady", 2)]).await;
    app.wait_count_css(ANY_ROW, 3).await;
    app.screenshot("team-03-agents-at-work").await;

    // Searching narrows the list to the agents that match, and clearing brings them back.
    app.fill("team-search", "Okafor").await;
    app.wait_count_css(ANY_ROW, 1).await;
    app.find_css(&row(BEN)).await;
    app.wait_for_text("team-shown", &format!("1 of {TEAM_SIZE}"))
        .await;
    app.screenshot("team-04-search").await;
    app.fill("team-search", "").await;
    app.wait_count_css(ANY_ROW, 3).await;
    app.wait_for_text("team-shown", &format!("3 of {TEAM_SIZE}"))
        .await;

    // 3. A customer call reaches Ada, the only Ready agent, who answers it.
    let caller = "+14085550123";
    let call = lab.customer_call(caller, "Chuck Smith");
    let answered = lab.agent_answers(ADA, ADA_EXTENSION);
    assert_eq!(answered, call, "the customer's call rang somewhere else");
    wait_row_state(&app, ADA, "talking").await;
    app.wait_for_text_css(&row_part(ADA, "team-row-call"), "On a call")
        .await;
    wait_counts(&app, &[("talking", 1), ("ready", 0), ("notReady", 2)]).await;
    app.screenshot("team-05-ada-talking").await;

    // 4. Ben goes Ready; the supervisor makes him Not Ready from his row's menu. Finesse
    // takes no reason from a supervisor and applies its own supervisor code.
    lab.agent_sets_state(BEN, AgentState::Ready, None);
    wait_row_state(&app, BEN, "ready").await;
    let offered = open_actions(&app, BEN).await;
    assert!(
        offered.iter().any(|a| a == "signOut"),
        "a Ready agent can be signed out: {offered:?}"
    );
    app.screenshot("team-06-ben-actions").await;
    choose_action(&app, "makeNotReady").await;
    // Finesse answers a supervisor's reasonCodeId with 400: the one accepted request
    // carried none, and Finesse applied its own code.
    let ben = lab.wait_for_state(BEN, AgentState::NotReady);
    assert_eq!(
        ben.reason_code,
        Some(999),
        "not Finesse's supervisor code: {ben:?}"
    );
    let asked: Vec<_> = lab
        .lab
        .rest_journal()
        .into_iter()
        .filter(|r| {
            r.method == "PUT"
                && r.path == format!("/finesse/api/User/{BEN}")
                && r.user.as_deref() != Some(BEN)
        })
        .collect();
    assert_eq!(asked.len(), 1, "one request from the supervisor: {asked:?}");
    assert_eq!(asked[0].status, 202, "Finesse refused it: {asked:?}");
    wait_row_state(&app, BEN, "notReady").await;
    let label = ben
        .reason_label
        .clone()
        .expect("the supervisor code's label");
    app.wait_for_text_css(&row_part(BEN, "team-row-reason"), &label)
        .await;
    wait_counts(&app, &[("ready", 0), ("notReady", 2), ("talking", 1)]).await;
    app.screenshot("team-07-ben-not-ready").await;

    // Finesse allows Not Ready only from Ready or wrap-up: the talking agent's menu does
    // not offer it (it offers listening in, the supervisor being Not Ready).
    let offered = open_actions(&app, ADA).await;
    assert!(
        !offered.iter().any(|a| a == "makeNotReady"),
        "Not Ready is offered while Ada talks: {offered:?}"
    );
    assert!(
        offered.iter().any(|a| a == "silentMonitor"),
        "listening in is not offered on Ada's call: {offered:?}"
    );
    app.screenshot("team-08-talking-agent-actions").await;
    close_actions(&app).await;

    // A request Finesse refuses (its CTI layer answers Invalid State) shows why on the row,
    // until dismissed; the agent stays as they were.
    lab.lab.fail_next_request(
        NodeId::A,
        CtiError {
            error_data: "22".into(),
            error_message: "CF_INVALID_OBJECT_STATE".into(),
            error_type: "Invalid State".into(),
        },
    );
    act_on(&app, BEN, "makeReady").await;
    app.wait_for_text_css(
        &row_part(BEN, "team-row-error"),
        "Finesse refused: the agent's state does not allow this now.",
    )
    .await;
    assert_eq!(lab.agent(BEN).state, AgentState::NotReady);
    wait_row_state(&app, BEN, "notReady").await;
    app.screenshot("team-09-refused").await;
    app.click_css(&row_part(BEN, "team-row-error-dismiss"))
        .await;
    app.wait_gone_css(&row_part(BEN, "team-row-error")).await;

    // 5. The supervisor, Not Ready, listens in on Ada's call: a monitor call between the
    // supervisor's and Ada's extensions; the customer's call itself is untouched.
    assert_eq!(lab.agent(SUPERVISOR_ID).state, AgentState::NotReady);
    act_on(&app, ADA, "silentMonitor").await;
    let found = wait_until(PATIENCE, || monitor_call(lab, ADA_EXTENSION).is_some());
    let monitor = monitor_call(lab, ADA_EXTENSION);
    assert!(found, "no monitor call: {:?}", lab.lab.truth().calls);
    let monitor = monitor.unwrap();
    assert!(
        lab.call(call)
            .is_some_and(|c| c.participant(SUPERVISOR_EXTENSION).is_none()),
        "the supervisor joined the customer's call: {:?}",
        lab.call(call)
    );
    assert_eq!(monitor.call_type, "SUPERVISOR_MONITOR");
    assert_eq!(monitor.state, DialogState::Active);
    assert_eq!(
        monitor.participant(SUPERVISOR_EXTENSION).map(|p| p.state),
        Some(ParticipantState::Active)
    );
    assert!(
        monitor
            .participant(ADA_EXTENSION)
            .is_some_and(|p| p.actions.is_empty()),
        "Ada's side of the monitor call is not passive: {monitor:?}"
    );
    app.find_css(&row_part(ADA, "team-row-monitored")).await;
    wait_row_state(&app, ADA, "talking").await;
    // On UCCE the supervisor talks while monitoring: the agent bar and their own row say so.
    lab.wait_for_state(SUPERVISOR_ID, AgentState::Talking);
    app.wait_attr("state-pill", "data-state", "talking").await;
    wait_row_state(&app, SUPERVISOR_ID, "talking").await;
    wait_counts(&app, &[("talking", 2), ("notReady", 1)]).await;
    app.screenshot("team-10-monitoring").await;
    // The supervisor's own desk shows the monitor call.
    app.click("tab-calls").await;
    app.wait_card_state(monitor.id, "active").await;
    app.wait_for_text_css(
        &format!(
            "{} [data-testid=\"call-type\"]",
            AppSession::card(monitor.id)
        ),
        "Monitoring",
    )
    .await;
    app.screenshot("team-11-monitor-call-on-the-desk").await;

    // Barge in: the monitor call gives way to the customer's call, now a conference with
    // the supervisor active in it.
    app.click("tab-team").await;
    act_on(&app, ADA, "bargeIn").await;
    lab.wait_for_call(call, "a conference with the supervisor", |c| {
        c.is_some_and(|c| {
            c.call_type == "CONFERENCE"
                && c.participant(SUPERVISOR_EXTENSION)
                    .is_some_and(|p| p.state == ParticipantState::Active)
                && c.participant(ADA_EXTENSION)
                    .is_some_and(|p| p.state == ParticipantState::Active)
        })
    });
    assert!(
        lab.call(monitor.id).is_none(),
        "the monitor call outlived the barge"
    );
    app.find_css(&row_part(ADA, "team-row-monitored")).await;
    app.wait_for_text_css(&row_part(ADA, "team-row-call"), caller)
        .await;
    let offered = open_actions(&app, ADA).await;
    assert!(
        offered.iter().any(|a| a == "endMonitoring"),
        "leaving the call is not offered after the barge: {offered:?}"
    );
    app.screenshot("team-12-barged-in").await;
    close_actions(&app).await;
    app.click("tab-calls").await;
    app.wait_card_state(call, "active").await;
    app.wait_for_text_css(
        &format!("{} [data-testid=\"call-type\"]", AppSession::card(call)),
        "Conference",
    )
    .await;
    app.wait_count_css("[data-testid=\"call-card\"]", 1).await;
    app.screenshot("team-13-conference-on-the-desk").await;

    // The supervisor leaves the call; Ada and the customer talk on.
    app.click("tab-team").await;
    act_on(&app, ADA, "endMonitoring").await;
    lab.wait_for_call(call, "Ada and the customer without the supervisor", |c| {
        c.is_some_and(|c| {
            c.state == DialogState::Active
                && c.participant(ADA_EXTENSION)
                    .is_some_and(|p| p.state == ParticipantState::Active)
                && !c
                    .participant(SUPERVISOR_EXTENSION)
                    .is_some_and(|p| p.state == ParticipantState::Active)
        })
    });
    assert_eq!(lab.agent(ADA).state, AgentState::Talking);
    app.wait_gone_css(&row_part(ADA, "team-row-monitored"))
        .await;
    wait_row_state(&app, ADA, "talking").await;
    let supervisor = lab.wait_for_agent(SUPERVISOR_ID, "off the call", |a| {
        a.state != AgentState::Talking
    });
    assert_eq!(supervisor.state, AgentState::NotReady);
    wait_row_state(&app, SUPERVISOR_ID, "notReady").await;
    wait_counts(&app, &[("talking", 1), ("notReady", 2)]).await;
    app.screenshot("team-14-left-the-call").await;
    app.click("tab-calls").await;
    app.wait_gone("call-card").await;

    // 6. The supervisor signs out with a reason.
    app.wait_attr("state-pill", "data-state", "notReady").await;
    app.click("state-switch").await;
    app.click("state-option-logout").await;
    app.click_css(&format!(
        "[data-testid=\"reason-option\"][data-value=\"{END_OF_SHIFT}\"]"
    ))
    .await;
    let supervisor = lab.wait_for_state(SUPERVISOR_ID, AgentState::Logout);
    assert_eq!(supervisor.reason_code_id.as_deref(), Some(END_OF_SHIFT));
    app.find("sign-in").await;
    app.screenshot("team-15-signed-out").await;

    app.quit(&world.driver).await;
}
