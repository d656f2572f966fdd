//! The tray icon, its tooltip and its menu.
//!
//! Tray clicks are not delivered on Linux, so the menu carries everything: the state switch
//! (with a reason submenu), open, sign out, quit. Menu item ids are [`TrayCommand`] ids, so the
//! shell turns a click back into a command with [`TrayCommand::from_id`].
use std::collections::BTreeMap;

use serde::Serialize;

use finesse::model::{AgentState, ReasonCategory, ReasonCode};
use finesse::session::ConnectionState;

use super::agent::allowed_states;
use super::requests::StateRequest;
use super::state::Desk;
use super::view::{AgentStateKind, AgentView};

/// Which icon the tray shows (the icon files are named by [`TrayIcon::file_stem`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum TrayIcon {
    Ready,
    NotReady,
    Ringing,
    Talking,
    WrapUp,
    /// Not connected, or not signed in.
    Offline,
}

impl TrayIcon {
    /// `icons/tray/<stem>.png`.
    pub fn file_stem(self) -> &'static str {
        match self {
            TrayIcon::Ready => "ready",
            TrayIcon::NotReady => "not-ready",
            TrayIcon::Ringing => "ringing",
            TrayIcon::Talking => "talking",
            TrayIcon::WrapUp => "wrap-up",
            TrayIcon::Offline => "offline",
        }
    }
}

/// Everything the tray shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrayView {
    pub icon: TrayIcon,
    /// E.g. `Ready — 00:42`.
    pub tooltip: String,
    pub menu: Vec<TrayMenuEntry>,
}

/// One line of the tray menu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum TrayMenuEntry {
    Item(TrayMenuItem),
    Submenu {
        label: String,
        enabled: bool,
        items: Vec<TrayMenuItem>,
    },
    /// Information only (never clickable).
    Label {
        text: String,
    },
    Separator,
}

/// A clickable menu item; `id` is a [`TrayCommand::id`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrayMenuItem {
    pub id: String,
    pub label: String,
    pub enabled: bool,
    /// The agent's current state (and reason).
    pub checked: bool,
}

/// What a tray menu item asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrayCommand {
    Ready,
    NotReady {
        reason_id: Option<String>,
    },
    Logout {
        reason_id: Option<String>,
    },
    /// Show the main window.
    Open,
    /// Leave a session that cannot reach Finesse (no request is sent).
    SignOut,
    Quit,
}

impl TrayCommand {
    /// The menu item id: `ready`, `not-ready[:<reasonId>]`, `logout[:<reasonId>]`, `open`,
    /// `sign-out`, `quit`.
    pub fn id(&self) -> String {
        let with_reason = |base: &str, reason: &Option<String>| match reason {
            Some(id) => format!("{base}:{id}"),
            None => base.to_owned(),
        };
        match self {
            TrayCommand::Ready => "ready".to_owned(),
            TrayCommand::NotReady { reason_id } => with_reason("not-ready", reason_id),
            TrayCommand::Logout { reason_id } => with_reason("logout", reason_id),
            TrayCommand::Open => "open".to_owned(),
            TrayCommand::SignOut => "sign-out".to_owned(),
            TrayCommand::Quit => "quit".to_owned(),
        }
    }

    /// Reads a menu item id back; `None` for an id this menu never makes.
    pub fn from_id(id: &str) -> Option<TrayCommand> {
        let (base, reason_id) = match id.split_once(':') {
            Some((base, reason)) if !reason.is_empty() => (base, Some(reason.to_owned())),
            Some(_) => return None,
            None => (id, None),
        };
        Some(match (base, reason_id) {
            ("ready", None) => TrayCommand::Ready,
            ("not-ready", reason_id) => TrayCommand::NotReady { reason_id },
            ("logout", reason_id) => TrayCommand::Logout { reason_id },
            ("open", None) => TrayCommand::Open,
            ("sign-out", None) => TrayCommand::SignOut,
            ("quit", None) => TrayCommand::Quit,
            _ => return None,
        })
    }

    /// The state change this item asks for, if it is a state switch entry.
    pub fn state_request(&self) -> Option<StateRequest> {
        let (state, reason_id) = match self {
            TrayCommand::Ready => (AgentStateKind::Ready, None),
            TrayCommand::NotReady { reason_id } => (AgentStateKind::NotReady, reason_id.clone()),
            TrayCommand::Logout { reason_id } => (AgentStateKind::LoggedOut, reason_id.clone()),
            _ => return None,
        };
        Some(StateRequest { state, reason_id })
    }
}

impl Desk {
    /// The tray icon, tooltip and menu at `now_ms`.
    pub fn tray(&self, now_ms: i64) -> TrayView {
        let agent = self
            .view(now_ms)
            .agent
            .filter(|_| self.connection.is_connected());
        let signed_in = agent
            .as_ref()
            .filter(|a| !matches!(a.state, AgentStateKind::LoggedOut | AgentStateKind::Unknown));
        let icon = match signed_in {
            None => TrayIcon::Offline,
            Some(_) if self.should_ring() => TrayIcon::Ringing,
            Some(agent) => icon_for(agent.state),
        };
        let tooltip = match (&agent, icon) {
            (_, TrayIcon::Ringing) => match self.ringing_card() {
                Some(call) if !call.other_party.is_empty() => {
                    format!("Incoming call — {}", call.other_party)
                }
                _ => "Incoming call".to_owned(),
            },
            (Some(agent), TrayIcon::Offline) if self.connection.is_connected() => {
                agent.state.label().to_owned()
            }
            (_, TrayIcon::Offline) => format!("Offline — {}", offline_reason(&self.connection)),
            (Some(agent), _) => state_line(agent, now_ms),
            (None, _) => "Offline".to_owned(),
        };
        TrayView {
            icon,
            tooltip,
            menu: self.tray_menu(agent.as_ref()),
        }
    }

    fn tray_menu(&self, agent: Option<&AgentView>) -> Vec<TrayMenuEntry> {
        let user = self.snapshot.user.as_ref().filter(|_| agent.is_some());
        let allowed = user
            .map(|u| allowed_states(&u.state, self.deployment()))
            .unwrap_or_default();
        let current = agent.map(|a| (a.state, a.reason.as_ref().and_then(|r| r.id.clone())));
        let is_current = |state: AgentStateKind, reason: Option<&str>| {
            current
                .as_ref()
                .is_some_and(|(s, r)| *s == state && (reason.is_none() || r.as_deref() == reason))
        };

        let mut menu = vec![TrayMenuEntry::Item(TrayMenuItem {
            id: TrayCommand::Ready.id(),
            label: "Ready".to_owned(),
            enabled: allowed.contains(&AgentStateKind::Ready),
            checked: is_current(AgentStateKind::Ready, None),
        })];
        for (state, category, label) in [
            (
                AgentStateKind::NotReady,
                ReasonCategory::NotReady,
                "Not Ready",
            ),
            (
                AgentStateKind::LoggedOut,
                ReasonCategory::Logout,
                "Sign out",
            ),
        ] {
            if state == AgentStateKind::LoggedOut && agent.is_none() && self.session_to_leave() {
                // Finesse cannot be asked now (reconnecting, out of service): signing out
                // leaves the session here, with no reason to choose.
                menu.push(TrayMenuEntry::Item(TrayMenuItem {
                    id: TrayCommand::SignOut.id(),
                    label: label.to_owned(),
                    enabled: true,
                    checked: false,
                }));
                continue;
            }
            let enabled = allowed.contains(&state);
            let reasons = self.lookups.list(&category).unwrap_or_default();
            let command = |reason_id: Option<String>| match state {
                AgentStateKind::NotReady => TrayCommand::NotReady { reason_id },
                _ => TrayCommand::Logout { reason_id },
            };
            if reasons.is_empty() {
                menu.push(TrayMenuEntry::Item(TrayMenuItem {
                    id: command(None).id(),
                    label: label.to_owned(),
                    enabled,
                    checked: is_current(state, None),
                }));
                continue;
            }
            let items = reasons
                .iter()
                .map(|rc: &ReasonCode| TrayMenuItem {
                    id: command(Some(rc.id.clone())).id(),
                    label: rc.label.clone(),
                    enabled,
                    checked: is_current(state, Some(&rc.id)),
                })
                .collect();
            menu.push(TrayMenuEntry::Submenu {
                label: label.to_owned(),
                enabled,
                items,
            });
        }
        menu.push(TrayMenuEntry::Separator);
        if let Some(text) = self.team_counts() {
            menu.push(TrayMenuEntry::Label { text });
            menu.push(TrayMenuEntry::Separator);
        }
        for (command, label) in [
            (TrayCommand::Open, "Open Ringside"),
            (TrayCommand::Quit, "Quit"),
        ] {
            menu.push(TrayMenuEntry::Item(TrayMenuItem {
                id: command.id(),
                label: label.to_owned(),
                enabled: true,
                checked: false,
            }));
        }
        menu
    }

    /// A signed-in session that cannot reach Finesse right now.
    fn session_to_leave(&self) -> bool {
        !matches!(self.connection, ConnectionState::Disconnected)
            && !self.connection.is_connected()
            && self.snapshot.user.is_some()
    }

    /// `Team: 3 ready · 2 not ready · 1 talking` for a supervisor with a team loaded.
    fn team_counts(&self) -> Option<String> {
        let user = self.snapshot.user.as_ref()?;
        if !user.is_supervisor() || self.snapshot.teams.is_empty() {
            return None;
        }
        // An agent in two supervised teams counts once.
        let members: BTreeMap<&str, &AgentState> = self
            .snapshot
            .teams
            .values()
            .flat_map(|team| team.users.iter())
            .map(|member| (member.login_id.as_str(), &member.state))
            .collect();
        let count = |pred: fn(&AgentState) -> bool| members.values().filter(|s| pred(s)).count();
        let ready = count(|s| *s == AgentState::Ready);
        let not_ready = count(|s| *s == AgentState::NotReady);
        let talking = count(|s| matches!(s, AgentState::Talking | AgentState::Hold));
        Some(format!(
            "Team: {ready} ready · {not_ready} not ready · {talking} talking"
        ))
    }
}

fn icon_for(state: AgentStateKind) -> TrayIcon {
    match state {
        AgentStateKind::Ready => TrayIcon::Ready,
        AgentStateKind::NotReady => TrayIcon::NotReady,
        AgentStateKind::Reserved => TrayIcon::Ringing,
        AgentStateKind::Talking | AgentStateKind::Hold => TrayIcon::Talking,
        AgentStateKind::Work | AgentStateKind::WorkReady => TrayIcon::WrapUp,
        AgentStateKind::LoggedOut | AgentStateKind::Unknown => TrayIcon::Offline,
    }
}

/// `Not Ready (Lunch) — 12:03`.
fn state_line(agent: &AgentView, now_ms: i64) -> String {
    let mut line = agent.state.label().to_owned();
    if let Some(reason) = &agent.reason {
        line.push_str(&format!(" ({})", reason.label));
    }
    if let Some(since) = agent.state_since {
        line.push_str(" — ");
        line.push_str(&format_elapsed(now_ms.saturating_sub(since)));
    }
    line
}

/// `00:42`, `12:03`, `1:02:03`.
pub fn format_elapsed(ms: i64) -> String {
    let seconds = ms.max(0) / 1000;
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes:02}:{seconds:02}")
    }
}

fn offline_reason(connection: &ConnectionState) -> String {
    match connection {
        ConnectionState::Disconnected => "signed out".to_owned(),
        ConnectionState::Connecting { node, .. } => format!("connecting to {node}"),
        ConnectionState::Connected { .. } => "signing in".to_owned(),
        ConnectionState::Reconnecting { node, .. } => format!("reconnecting to {node}"),
        ConnectionState::OutOfService { .. } => "Finesse is out of service".to_owned(),
        ConnectionState::SignedInElsewhere => "signed in elsewhere".to_owned(),
        ConnectionState::Failed { .. } => "connection failed".to_owned(),
    }
}
