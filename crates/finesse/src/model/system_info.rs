use chrono::{DateTime, Utc};
use finesse_xml::Element;
use serde::{Deserialize, Serialize};

use super::read::{self, xml_object};
use super::{parse_timestamp, wire_enum, ModelError};

wire_enum! {
    /// Whether a Finesse node can serve requests. Anything but `IN_SERVICE` is not in service.
    SystemStatus {
        InService => "IN_SERVICE",
        OutOfService => "OUT_OF_SERVICE",
    }
}

wire_enum! {
    /// The contact-center platform behind Finesse.
    DeploymentType {
        Ucce => "UCCE",
        Uccx => "UCCX",
    }
}

/// One Finesse node of the deployment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeInfo {
    pub host: String,
    pub https_port: Option<u16>,
    pub xmpp_port: Option<u16>,
    pub xmpp_secure_port: Option<u16>,
}

/// A CTI server connection as reported by 12.6 (`ctiServers/ctiServer`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CtiServer {
    pub host: String,
    pub connected_duration: Option<String>,
    pub active: Option<bool>,
}

/// `GET /finesse/api/SystemInfo` and SystemInfo notifications.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SystemInfo {
    pub uri: Option<String>,
    pub status: SystemStatus,
    pub status_reason: Option<String>,
    pub deployment_type: Option<DeploymentType>,
    /// The FQDN of the node that answered.
    pub xmpp_domain: Option<String>,
    pub xmpp_pubsub_domain: Option<String>,
    pub primary_node: Option<NodeInfo>,
    /// Absent in single-node deployments.
    pub secondary_node: Option<NodeInfo>,
    pub current_timestamp: Option<String>,
    /// Minutes east of UTC.
    pub timezone_offset: Option<i32>,
    /// `NON_SSO`, `SSO`, or a per-user mixed mode.
    pub system_auth_mode: Option<String>,
    pub peripheral_id: Option<String>,
    pub cti_version: Option<String>,
    pub cti_heartbeat_interval: Option<u32>,
    pub last_cti_heartbeat_status: Option<String>,
    /// Epoch milliseconds, as sent.
    pub last_success_cti_heartbeat_time: Option<String>,
    pub license: Option<String>,
    pub cti_m_mode: Option<String>,
    pub finesse_m_mode: Option<String>,
    pub cti_servers: Vec<CtiServer>,
}

xml_object!(SystemInfo, root = "SystemInfo");

impl SystemInfo {
    /// Reads a `<SystemInfo>`/`<systemInfo>` element; `status` is required.
    pub fn from_element(element: &Element) -> Result<Self, ModelError> {
        read::expect_root(element, "SystemInfo")?;
        Ok(SystemInfo {
            uri: read::text(element, "uri"),
            status: SystemStatus::from_wire(&read::required(element, "status", "SystemInfo")?),
            status_reason: read::text(element, "statusReason"),
            deployment_type: element
                .child_text("deploymentType")
                .map(DeploymentType::from_wire),
            xmpp_domain: read::text(element, "xmppDomain"),
            xmpp_pubsub_domain: read::text(element, "xmppPubSubDomain"),
            primary_node: element.child("primaryNode").and_then(node),
            secondary_node: element.child("secondaryNode").and_then(node),
            current_timestamp: read::text(element, "currentTimestamp"),
            timezone_offset: element.child_parse("timezoneOffset"),
            system_auth_mode: read::text(element, "systemAuthMode"),
            peripheral_id: read::text(element, "peripheralId"),
            cti_version: read::text(element, "ctiVersion"),
            cti_heartbeat_interval: element.child_parse("ctiHeartbeatInterval"),
            last_cti_heartbeat_status: read::text(element, "lastCTIHeartbeatStatus"),
            last_success_cti_heartbeat_time: read::text(element, "lastSuccessCTIHeartbeatTime"),
            license: read::text(element, "license"),
            cti_m_mode: read::text(element, "ctiMMode"),
            finesse_m_mode: read::text(element, "finesseMMode"),
            cti_servers: element
                .child("ctiServers")
                .map(|list| {
                    list.children_named("ctiServer")
                        .filter_map(cti_server)
                        .collect()
                })
                .unwrap_or_default(),
        })
    }

    /// Only `IN_SERVICE` counts as in service.
    pub fn is_in_service(&self) -> bool {
        self.status == SystemStatus::InService
    }

    /// The other node of the pair, to fail over to from `current_host`.
    ///
    /// When `current_host` names neither node (an IP address, an alias), the answering node
    /// is recognised by `xmppDomain`, as finesse.js does. `None` for a single-node deployment
    /// or when the current node cannot be placed.
    pub fn alternate_host(&self, current_host: &str) -> Option<&str> {
        let primary = self.primary_node.as_ref().map(|n| n.host.as_str());
        let secondary = self.secondary_node.as_ref().map(|n| n.host.as_str());
        let is = |host: Option<&str>, name: &str| {
            host.is_some_and(|h| h.eq_ignore_ascii_case(name.trim()))
        };
        let current = [Some(current_host), self.xmpp_domain.as_deref()]
            .into_iter()
            .flatten()
            .find(|name| is(primary, name) || is(secondary, name))?;
        if is(primary, current) {
            secondary
        } else {
            primary
        }
    }

    /// `currentTimestamp` as UTC — the server clock, for drift correction.
    pub fn current_time(&self) -> Option<DateTime<Utc>> {
        self.current_timestamp.as_deref().and_then(parse_timestamp)
    }
}

fn node(element: &Element) -> Option<NodeInfo> {
    Some(NodeInfo {
        host: read::text(element, "host")?,
        https_port: element.child_parse("httpsPort"),
        xmpp_port: element.child_parse("xmppPort"),
        xmpp_secure_port: element.child_parse("xmppSecurePort"),
    })
}

fn cti_server(element: &Element) -> Option<CtiServer> {
    Some(CtiServer {
        host: read::text(element, "host")?,
        connected_duration: read::text(element, "connectedDuration"),
        active: element.child_bool("active"),
    })
}
