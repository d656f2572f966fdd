//! The User object (alphabetical element order, as a real 12.5 server sends it) and the
//! Team member summary.
use finesse_xml::XmlWriter;

use super::{write_reason_code, write_reason_summary};
use crate::center::model::AgentState;
use crate::center::{ContactCenter, NodeId};
use crate::config::Role;

impl ContactCenter {
    /// A full User document with root `root` (`User` for REST, `user` in notifications).
    /// `node` decides whether Mobile Agent details are shown (only on the sign-in node).
    pub(in crate::center) fn user_xml(
        &self,
        idx: usize,
        root: &str,
        node: Option<NodeId>,
    ) -> String {
        let cfg = &self.cfg.agents[idx];
        let rt = &self.st.agents[idx];
        let id = &cfg.id;
        let mut w = XmlWriter::new();
        w.open(root);
        if !cfg.devices.is_empty() {
            w.text_element("activeDeviceId", rt.active_device.as_deref().unwrap_or(""));
            w.open("devices");
            for device in &cfg.devices {
                w.open("device")
                    .text_element("deviceId", &device.id)
                    .text_element("deviceType", &device.device_type)
                    .text_element("deviceTypeName", &device.device_type_name)
                    .close();
            }
            w.close();
        }
        w.text_element("dialogs", &format!("/finesse/api/User/{id}/Dialogs"))
            .text_element("extension", rt.extension.as_deref().unwrap_or(""))
            .text_element("firstName", &cfg.first_name)
            .text_element("lastName", &cfg.last_name)
            .text_element("loginId", id)
            .text_element("loginName", &cfg.login_name)
            .text_element("mediaType", "1");
        if let Some(mobile) = rt.mobile.as_ref().filter(|m| node == Some(m.node)) {
            w.open("mobileAgent")
                .text_element("mode", mobile.mode.as_str())
                .text_element("dialNumber", &mobile.dial_number)
                .close();
        }
        w.text_element(
            "pendingState",
            rt.pending.as_ref().map_or("", |p| p.state.as_str()),
        );
        if let Some(reason) = &rt.status.reason {
            write_reason_code(&mut w, "reasonCode", reason);
        }
        if rt.state() != AgentState::Ready {
            w.text_element(
                "reasonCodeId",
                rt.status.reason.as_ref().map_or("-1", |r| r.id.as_str()),
            );
        }
        w.open("roles");
        for role in &cfg.roles {
            match role {
                Role::Agent => w.text_element("role", "Agent"),
                Role::Supervisor => w.text_element("role", "Supervisor"),
                // Administrators have no desktop role.
                Role::Administrator => &mut w,
            };
        }
        w.close();
        w.open("settings")
            .text_element("wrapUpOnIncoming", cfg.wrap_up_on_incoming.as_str())
            .text_element("wrapUpOnOutgoing", cfg.wrap_up_on_outgoing.as_str());
        if !cfg.devices.is_empty() {
            w.text_element("deviceSelection", "enabled");
        }
        w.close();
        if let Some(skill_target) = cfg.skill_target_id {
            w.text_element("skillTargetId", &skill_target.to_string());
        }
        w.text_element("state", rt.state().as_str()).text_element(
            "stateChangeTime",
            &rt.state_changed
                .map(|t| self.timestamp(t))
                .unwrap_or_default(),
        );
        if let Some(team) = self.team_of(idx) {
            w.text_element("teamId", &team.id)
                .text_element("teamName", &team.name);
        }
        let supervised = self.supervised_teams(idx);
        if !supervised.is_empty() {
            w.open("teams");
            for t in supervised {
                let team = &self.cfg.teams[t];
                w.open("Team")
                    .text_element("id", &team.id)
                    .text_element("name", &team.name)
                    .text_element("uri", &format!("/finesse/api/Team/{}", team.id))
                    .close();
            }
            w.close();
        }
        w.text_element("uri", &format!("/finesse/api/User/{id}"))
            .text_element("wrapUpTimer", &cfg.wrap_up_timer_seconds.to_string());
        w.finish()
    }

    /// A Team member summary (§6.1), root `User` in the Team object, `user` in a team
    /// notification.
    pub(in crate::center) fn team_user_xml(&self, idx: usize, root: &str) -> String {
        let mut w = XmlWriter::new();
        self.write_team_user(&mut w, idx, root);
        w.finish()
    }

    pub(in crate::center) fn write_team_user(&self, w: &mut XmlWriter, idx: usize, root: &str) {
        let cfg = &self.cfg.agents[idx];
        let rt = &self.st.agents[idx];
        w.open(root)
            .text_element("uri", &format!("/finesse/api/User/{}", cfg.id))
            .text_element("loginId", &cfg.id)
            .text_element("firstName", &cfg.first_name)
            .text_element("lastName", &cfg.last_name)
            .text_element("dialogs", &format!("/finesse/api/User/{}/Dialogs", cfg.id))
            .text_element("extension", rt.extension.as_deref().unwrap_or(""))
            .text_element(
                "pendingState",
                rt.pending.as_ref().map_or("", |p| p.state.as_str()),
            )
            .text_element("state", rt.state().as_str());
        if let Some(reason) = &rt.status.reason {
            write_reason_summary(w, reason);
        }
        w.text_element(
            "stateChangeTime",
            &rt.state_changed
                .map(|t| self.timestamp(t))
                .unwrap_or_default(),
        );
        w.close();
    }

    fn team_of(&self, idx: usize) -> Option<&crate::config::TeamConfig> {
        let team = self.cfg.agents[idx].team_id.as_deref()?;
        self.cfg.teams.iter().find(|t| t.id == team)
    }
}
