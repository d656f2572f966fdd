use chrono::{DateTime, Utc};
use finesse_xml::Element;
use serde::{Deserialize, Serialize};

use super::read::{self, xml_object};
use super::{parse_timestamp, ModelError};

/// Live queue (skill group) statistics. UCCE only.
///
/// Finesse reports `-1` when a figure is unavailable (UCCX, or a queue not assigned to the
/// user); that reads as `None`, the same as an absent figure, so a `Some` is always a real count.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueStatistics {
    pub calls_in_queue: Option<i64>,
    pub start_time_of_longest_call_in_queue: Option<String>,
    pub agents_ready: Option<i64>,
    pub agents_not_ready: Option<i64>,
    pub agents_busy_other: Option<i64>,
    pub agents_logged_on: Option<i64>,
    pub agents_talking_inbound: Option<i64>,
    pub agents_talking_outbound: Option<i64>,
    pub agents_talking_internal: Option<i64>,
    pub agents_wrap_up_not_ready: Option<i64>,
    pub agents_wrap_up_ready: Option<i64>,
}

/// A queue the user (or a supervised team) belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Queue {
    /// The tail of `<uri>` (or `<id>` when sent).
    pub id: String,
    pub uri: String,
    pub name: Option<String>,
    pub statistics: QueueStatistics,
}

xml_object!(Queue, root = "Queue", list = "Queues");

impl Queue {
    /// Reads a `<Queue>` element; it needs a uri or id to be told apart from other queues.
    pub fn from_element(element: &Element) -> Result<Self, ModelError> {
        read::expect_root(element, "Queue")?;
        let id = read::id_or_uri_tail(element).ok_or(ModelError::missing("Queue", "uri"))?;
        Ok(Queue {
            uri: read::text(element, "uri").unwrap_or_else(|| format!("/finesse/api/Queue/{id}")),
            id,
            name: read::text(element, "name"),
            statistics: element
                .child("statistics")
                .map(statistics)
                .unwrap_or_default(),
        })
    }

    /// When the call waiting longest entered the queue.
    pub fn start_time_of_longest_call_in_queue(&self) -> Option<DateTime<Utc>> {
        self.statistics
            .start_time_of_longest_call_in_queue
            .as_deref()
            .and_then(parse_timestamp)
    }
}

fn statistics(element: &Element) -> QueueStatistics {
    let figure = |name: &str| element.child_parse::<i64>(name).filter(|n| *n >= 0);
    QueueStatistics {
        calls_in_queue: figure("callsInQueue"),
        start_time_of_longest_call_in_queue: read::text(element, "startTimeOfLongestCallInQueue"),
        agents_ready: figure("agentsReady"),
        agents_not_ready: figure("agentsNotReady"),
        agents_busy_other: figure("agentsBusyOther"),
        agents_logged_on: figure("agentsLoggedOn"),
        agents_talking_inbound: figure("agentsTalkingInbound"),
        agents_talking_outbound: figure("agentsTalkingOutbound"),
        agents_talking_internal: figure("agentsTalkingInternal"),
        agents_wrap_up_not_ready: figure("agentsWrapUpNotReady"),
        agents_wrap_up_ready: figure("agentsWrapUpReady"),
    }
}
