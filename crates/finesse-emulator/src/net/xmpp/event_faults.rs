//! Delivery faults of one node: drop or delay the next events whose pub-sub node matches a
//! pattern, and the queue of delayed events (in simulation time).
use crate::center::{NodeId, Publication};
use crate::clock::SimTime;

/// What a delivery fault does to the matching events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventFaultAction {
    /// The events are never delivered by this node.
    Drop,
    /// The events are delivered this much simulation time later.
    Delay { millis: u64 },
    /// The events are delivered now and once more this much simulation time later: a
    /// repeat that arrives after newer events (0: right behind the original).
    Duplicate { millis: u64 },
}

/// A delivery fault on one node: the next `count` events whose pub-sub node matches
/// `node_pattern` are dropped or delayed. The pattern is a glob where `*` matches any text;
/// a pattern without `*` matches any node name containing it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EventFault {
    pub node_pattern: String,
    pub count: u32,
    pub action: EventFaultAction,
}

/// The faults still armed on one node, first added first used.
#[derive(Debug, Default)]
pub struct NodeFaults {
    faults: Vec<EventFault>,
}

impl NodeFaults {
    /// Arm a fault; a fault for zero events is ignored.
    pub fn add(&mut self, fault: EventFault) {
        if fault.count > 0 {
            self.faults.push(fault);
        }
    }

    pub fn clear(&mut self) {
        self.faults.clear();
    }

    /// The action for an event on `pubsub_node`, using up one count of the first matching
    /// fault; `None`: deliver normally.
    pub fn take(&mut self, pubsub_node: &str) -> Option<EventFaultAction> {
        let index = self
            .faults
            .iter()
            .position(|f| pattern_matches(&f.node_pattern, pubsub_node))?;
        let fault = &mut self.faults[index];
        let action = fault.action;
        fault.count -= 1;
        if fault.count == 0 {
            self.faults.remove(index);
        }
        Some(action)
    }
}

#[derive(Debug)]
struct Delayed {
    due: SimTime,
    seq: u64,
    node: NodeId,
    publication: Publication,
}

/// Events held back by delay faults.
#[derive(Debug, Default)]
pub struct DelayQueue {
    items: Vec<Delayed>,
    seq: u64,
}

impl DelayQueue {
    /// Hold `publication` for `node` until `due`.
    pub fn push(&mut self, due: SimTime, node: NodeId, publication: Publication) {
        self.seq += 1;
        self.items.push(Delayed {
            due,
            seq: self.seq,
            node,
            publication,
        });
    }

    /// Remove and return what is due at `now`, in due order (ties: the order delayed).
    pub fn take_due(&mut self, now: SimTime) -> Vec<(NodeId, Publication)> {
        let (mut due, kept): (Vec<Delayed>, Vec<Delayed>) = std::mem::take(&mut self.items)
            .into_iter()
            .partition(|d| d.due <= now);
        self.items = kept;
        due.sort_by_key(|d| (d.due, d.seq));
        due.into_iter().map(|d| (d.node, d.publication)).collect()
    }

    /// When the earliest held event falls due.
    pub fn next_due(&self) -> Option<SimTime> {
        self.items.iter().map(|d| d.due).min()
    }
}

/// `*` matches any text; without `*` the pattern matches as a substring.
pub fn pattern_matches(pattern: &str, name: &str) -> bool {
    if !pattern.contains('*') {
        return name.contains(pattern);
    }
    let parts: Vec<&str> = pattern.split('*').collect();
    let Some((first, rest)) = parts.split_first() else {
        return true;
    };
    let Some(mut remaining) = name.strip_prefix(first) else {
        return false;
    };
    let Some((last, middle)) = rest.split_last() else {
        return remaining.is_empty();
    };
    for part in middle {
        match remaining.find(part) {
            Some(at) => remaining = &remaining[at + part.len()..],
            None => return false,
        }
    }
    remaining.len() >= last.len() && remaining.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::center::Audience;

    fn publication(node: &str) -> Publication {
        Publication {
            node: node.to_owned(),
            update: String::new(),
            audience: Audience::Everyone,
            origin: None,
        }
    }

    #[test]
    fn glob_patterns() {
        assert!(pattern_matches("*", "/finesse/api/User/1"));
        assert!(pattern_matches(
            "/finesse/api/Team/*/Users",
            "/finesse/api/Team/5/Users"
        ));
        assert!(!pattern_matches(
            "/finesse/api/Team/*/Users",
            "/finesse/api/Team/5"
        ));
        assert!(pattern_matches("Dialogs", "/finesse/api/User/1/Dialogs"));
        assert!(!pattern_matches(
            "/finesse/api/User/*",
            "/finesse/api/Team/1"
        ));
        assert!(pattern_matches("*Dialogs", "/finesse/api/User/1/Dialogs"));
    }

    #[test]
    fn a_fault_is_used_up_after_its_count() {
        let mut faults = NodeFaults::default();
        faults.add(EventFault {
            node_pattern: "Dialogs".into(),
            count: 2,
            action: EventFaultAction::Drop,
        });
        assert_eq!(faults.take("/finesse/api/User/1"), None);
        assert_eq!(
            faults.take("/finesse/api/User/1/Dialogs"),
            Some(EventFaultAction::Drop)
        );
        assert_eq!(
            faults.take("/finesse/api/User/2/Dialogs"),
            Some(EventFaultAction::Drop)
        );
        assert_eq!(faults.take("/finesse/api/User/3/Dialogs"), None);
    }

    #[test]
    fn delayed_events_come_out_in_due_order() {
        let mut queue = DelayQueue::default();
        queue.push(SimTime(5_000), NodeId::A, publication("late"));
        queue.push(SimTime(1_000), NodeId::B, publication("early"));
        queue.push(SimTime(1_000), NodeId::A, publication("early-too"));
        assert_eq!(queue.next_due(), Some(SimTime(1_000)));
        let due: Vec<String> = queue
            .take_due(SimTime(1_000))
            .into_iter()
            .map(|(_, p)| p.node)
            .collect();
        assert_eq!(due, ["early", "early-too"]);
        assert_eq!(queue.next_due(), Some(SimTime(5_000)));
        assert!(queue.take_due(SimTime(4_999)).is_empty());
    }
}
