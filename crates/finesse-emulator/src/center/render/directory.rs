//! SystemInfo, queues, teams and the configuration lookups (reason codes, wrap-up
//! reasons, layouts, phone books).
use finesse_xml::XmlWriter;

use super::bool_text;
use crate::center::{ContactCenter, NodeId};
use crate::clock::SimTime;
use crate::config::{
    ContactConfig, Flavour, LayoutConfig, LayoutEntry, NodeConfig, PhoneBookConfig,
    WrapUpReasonConfig,
};

fn write_node(w: &mut XmlWriter, name: &str, node: &NodeConfig) {
    w.open(name)
        .text_element("host", &node.host)
        .text_element("httpsPort", &node.https_port.to_string())
        .text_element("xmppPort", &node.xmpp_port.to_string())
        .text_element("xmppSecurePort", &node.xmpp_secure_port.to_string())
        .close();
}

fn write_layout_entry(w: &mut XmlWriter, entry: &LayoutEntry) {
    w.open("entry")
        .text_element("displayName", &entry.display_name)
        .text_element("mediaProperty", &entry.media_property)
        .text_element("showInPopOver", bool_text(entry.show_in_pop_over))
        .text_element("uiEditable", bool_text(entry.ui_editable))
        .close();
}

/// A MediaPropertiesLayout (§5.3).
pub(crate) fn write_layout(w: &mut XmlWriter, layout: &LayoutConfig) {
    w.open("MediaPropertiesLayout")
        .text_element(
            "uri",
            &format!("/finesse/api/MediaPropertiesLayout/{}", layout.id),
        )
        .text_element("name", &layout.name)
        .text_element("description", &layout.description)
        .text_element("type", layout.layout_type.as_str());
    w.open("header");
    write_layout_entry(w, &layout.header);
    w.close();
    for column in &layout.columns {
        w.open("column");
        for entry in column {
            write_layout_entry(w, entry);
        }
        w.close();
    }
    w.close();
}

/// A wrap-up reason; `uri` differs between the User and TeamResource variants.
pub(crate) fn write_wrap_up_reason(w: &mut XmlWriter, reason: &WrapUpReasonConfig, uri: &str) {
    w.open("WrapUpReason")
        .text_element("uri", uri)
        .text_element("label", &reason.label)
        .text_element("forAll", bool_text(reason.for_all))
        .close();
}

pub(crate) fn write_contact(w: &mut XmlWriter, book: &PhoneBookConfig, contact: &ContactConfig) {
    w.open("Contact")
        .text_element("firstName", &contact.first_name)
        .text_element("lastName", &contact.last_name)
        .text_element("phoneNumber", &contact.phone_number)
        .text_element("description", &contact.description)
        .text_element(
            "uri",
            &format!("/finesse/api/PhoneBook/{}/Contact/{}", book.id, contact.id),
        )
        .close();
}

/// A phone book as listed by `/User/{id}/PhoneBooks` (contacts by reference).
pub(crate) fn write_phone_book_ref(w: &mut XmlWriter, book: &PhoneBookConfig) {
    w.open("PhoneBook")
        .text_element("uri", &format!("/finesse/api/PhoneBook/{}", book.id))
        .text_element("name", &book.name)
        .text_element("type", book.book_type.as_str())
        .text_element(
            "contacts",
            &format!("/finesse/api/PhoneBook/{}/Contacts", book.id),
        )
        .close();
}

/// A phone book as listed by `/TeamResource/{id}/PhoneBooks` (contacts inline).
pub(crate) fn write_phone_book_inline(w: &mut XmlWriter, book: &PhoneBookConfig) {
    w.open("PhoneBook")
        .text_element("name", &book.name)
        .text_element("type", book.book_type.as_str());
    w.open("Contacts");
    for contact in &book.contacts {
        write_contact(w, book, contact);
    }
    w.close().close();
}

impl ContactCenter {
    /// SystemInfo as node `node` reports it: `xmppDomain` is that node's host (§7).
    pub(in crate::center) fn system_info_xml(
        &self,
        now: SimTime,
        node: NodeId,
        root: &str,
    ) -> String {
        let status = &self.st.nodes[node.index()];
        let this = match node {
            NodeId::A => &self.cfg.nodes.a,
            NodeId::B => &self.cfg.nodes.b,
        };
        let last_heartbeat = if status.in_service {
            now
        } else {
            status.changed_at
        };
        let mut w = XmlWriter::new();
        w.open(root)
            .text_element("currentTimestamp", &self.timestamp(now))
            .text_element("deploymentType", self.cfg.flavour.as_str())
            .text_element(
                "lastCTIHeartbeatStatus",
                if status.in_service {
                    "success"
                } else {
                    "failure"
                },
            )
            .text_element(
                "lastSuccessCTIHeartbeatTime",
                &self.unix_ms(last_heartbeat).to_string(),
            )
            .text_element("peripheralId", &self.cfg.peripheral_id.to_string());
        write_node(&mut w, "primaryNode", &self.cfg.nodes.a);
        write_node(&mut w, "secondaryNode", &self.cfg.nodes.b);
        w.text_element(
            "status",
            if status.in_service {
                "IN_SERVICE"
            } else {
                "OUT_OF_SERVICE"
            },
        )
        .text_element("statusReason", &status.reason)
        .text_element("systemAuthMode", "NON_SSO")
        .text_element(
            "timezoneOffset",
            &self.cfg.timezone_offset_minutes.to_string(),
        )
        .text_element("uri", "/finesse/api/SystemInfo")
        .text_element("xmppDomain", &this.host)
        .text_element("xmppPubSubDomain", &format!("pubsub.{}", this.host));
        w.finish()
    }

    /// A Queue with statistics (§5.5). UCCX reports `-1` and empty strings.
    pub(in crate::center) fn write_queue(&self, w: &mut XmlWriter, queue: usize, root: &str) {
        let q = &self.cfg.queues[queue];
        w.open(root)
            .text_element("uri", &format!("/finesse/api/Queue/{}", q.id))
            .text_element("name", &q.name);
        w.open("statistics");
        if self.cfg.flavour == Flavour::Uccx {
            w.text_element("callsInQueue", "-1")
                .text_element("startTimeOfLongestCallInQueue", "");
            for name in AGENT_COUNTS {
                w.text_element(name, "-1");
            }
        } else {
            let stats = self.queue_stats(queue);
            let longest = stats
                .longest_waiting_since
                .map(|t| self.format_time(t, "%Y-%m-%dT%H:%M:%SZ"))
                .unwrap_or_default();
            w.text_element("callsInQueue", &stats.calls_in_queue.to_string())
                .text_element("startTimeOfLongestCallInQueue", &longest);
            let counts = [
                stats.agents_ready,
                stats.agents_not_ready,
                stats.agents_busy_other,
                stats.agents_logged_on,
                stats.agents_talking_inbound,
                stats.agents_talking_outbound,
                stats.agents_talking_internal,
                stats.agents_wrap_up_not_ready,
                stats.agents_wrap_up_ready,
            ];
            for (name, count) in AGENT_COUNTS.iter().zip(counts) {
                w.text_element(name, &count.to_string());
            }
        }
        w.close().close();
    }

    /// A Team with its members (§6.1); LOGOUT members only when asked for.
    pub(in crate::center) fn team_xml(&self, team: usize, include_logged_out: bool) -> String {
        let t = &self.cfg.teams[team];
        let mut w = XmlWriter::new();
        w.open("Team")
            .text_element("uri", &format!("/finesse/api/Team/{}", t.id))
            .text_element("id", &t.id)
            .text_element("name", &t.name);
        w.open("users");
        for idx in 0..self.cfg.agents.len() {
            let member = self.cfg.agents[idx].team_id.as_deref() == Some(t.id.as_str());
            if member && (include_logged_out || self.st.agents[idx].signed_in()) {
                self.write_team_user(&mut w, idx, "User");
            }
        }
        w.finish()
    }

    pub(in crate::center) fn unix_ms(&self, t: SimTime) -> i64 {
        self.epoch_unix_ms
            .saturating_add(i64::try_from(t.0).unwrap_or(i64::MAX))
    }
}

const AGENT_COUNTS: [&str; 9] = [
    "agentsReady",
    "agentsNotReady",
    "agentsBusyOther",
    "agentsLoggedOn",
    "agentsTalkingInbound",
    "agentsTalkingOutbound",
    "agentsTalkingInternal",
    "agentsWrapUpNotReady",
    "agentsWrapUpReady",
];
