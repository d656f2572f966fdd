//! Explicit XEP-0060 subscriptions of one node (Team and Queue nodes, §9.5). Like Openfire's,
//! they outlive the session that made them: a client should unsubscribe before leaving.
use super::stanza::SubscriptionView;

/// Why a subscription request was refused (XEP-0060 §6.1.3, §6.2.3).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubscriptionError {
    #[error("the jid is neither the requester's full nor bare JID")]
    InvalidJid,
    #[error("the node name is missing or not a Finesse node")]
    NodeIdRequired,
    #[error("no such subscription")]
    NotSubscribed,
}

impl SubscriptionError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            SubscriptionError::InvalidJid => "pubsub_invalid_jid",
            SubscriptionError::NodeIdRequired => "pubsub_nodeid_required",
            SubscriptionError::NotSubscribed => "pubsub_not_subscribed",
        }
    }
}

/// Local part and domain compare without case; the resource is kept as is (RFC 7622).
pub fn jid_key(jid: &str) -> String {
    match jid.split_once('/') {
        Some((bare, resource)) => format!("{}/{}", bare.to_lowercase(), resource),
        None => jid.to_lowercase(),
    }
}

#[derive(Debug, Clone)]
struct Subscription {
    pubsub_node: String,
    /// As the subscriber wrote it (reported back unchanged).
    jid: String,
    jid_key: String,
    subid: String,
}

impl Subscription {
    fn view(&self) -> SubscriptionView {
        SubscriptionView {
            node: self.pubsub_node.clone(),
            jid: self.jid.clone(),
            subid: self.subid.clone(),
        }
    }
}

/// The subscriptions of one node.
#[derive(Debug, Default)]
pub struct Subscriptions {
    list: Vec<Subscription>,
}

impl Subscriptions {
    /// Subscribe `jid` to `pubsub_node`; subscribing twice returns the existing subscription.
    pub fn subscribe(
        &mut self,
        pubsub_node: &str,
        jid: &str,
    ) -> Result<SubscriptionView, SubscriptionError> {
        if !pubsub_node.starts_with("/finesse/api/") {
            return Err(SubscriptionError::NodeIdRequired);
        }
        let key = jid_key(jid);
        if let Some(existing) = self
            .list
            .iter()
            .find(|s| s.pubsub_node == pubsub_node && s.jid_key == key)
        {
            return Ok(existing.view());
        }
        let subscription = Subscription {
            pubsub_node: pubsub_node.to_owned(),
            jid: jid.to_owned(),
            jid_key: key,
            subid: uuid::Uuid::new_v4().simple().to_string(),
        };
        let view = subscription.view();
        self.list.push(subscription);
        Ok(view)
    }

    /// Remove the subscription of `jid` to `pubsub_node` (only the one with `subid`, if given).
    pub fn unsubscribe(
        &mut self,
        pubsub_node: &str,
        jid: &str,
        subid: Option<&str>,
    ) -> Result<(), SubscriptionError> {
        let key = jid_key(jid);
        let before = self.list.len();
        self.list.retain(|s| {
            !(s.pubsub_node == pubsub_node
                && s.jid_key == key
                && subid.is_none_or(|id| id == s.subid))
        });
        if self.list.len() == before {
            return Err(SubscriptionError::NotSubscribed);
        }
        Ok(())
    }

    /// The subscriptions held by any of these JIDs (keys as from [`jid_key`]).
    pub fn held_by(&self, full_key: &str, bare_key: &str) -> Vec<SubscriptionView> {
        self.list
            .iter()
            .filter(|s| s.jid_key == full_key || s.jid_key == bare_key)
            .map(Subscription::view)
            .collect()
    }

    /// The JID keys subscribed to `pubsub_node`.
    pub fn subscribers(&self, pubsub_node: &str) -> Vec<String> {
        self.list
            .iter()
            .filter(|s| s.pubsub_node == pubsub_node)
            .map(|s| s.jid_key.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscribing_twice_keeps_one_subscription() {
        let mut subs = Subscriptions::default();
        let first = subs
            .subscribe("/finesse/api/Team/1/Users", "1000@Fin-A.lab/tray")
            .unwrap();
        let again = subs
            .subscribe("/finesse/api/Team/1/Users", "1000@fin-a.lab/tray")
            .unwrap();
        assert_eq!(first, again);
        assert_eq!(
            subs.subscribers("/finesse/api/Team/1/Users"),
            ["1000@fin-a.lab/tray"]
        );
        assert_eq!(first.jid, "1000@Fin-A.lab/tray", "reported as written");
    }

    #[test]
    fn unsubscribe_by_subid_only_removes_that_one() {
        let mut subs = Subscriptions::default();
        let sub = subs
            .subscribe("/finesse/api/Queue/5001", "1000@fin-a.lab")
            .unwrap();
        assert_eq!(
            subs.unsubscribe("/finesse/api/Queue/5001", "1000@fin-a.lab", Some("other")),
            Err(SubscriptionError::NotSubscribed)
        );
        subs.unsubscribe(
            "/finesse/api/Queue/5001",
            "1000@fin-a.lab",
            Some(&sub.subid),
        )
        .unwrap();
        assert!(subs
            .held_by("1000@fin-a.lab/x", "1000@fin-a.lab")
            .is_empty());
    }

    #[test]
    fn resources_keep_their_case() {
        assert_eq!(jid_key("Agent@Fin-A.Lab/Tray"), "agent@fin-a.lab/Tray");
    }

    #[test]
    fn only_finesse_nodes_can_be_subscribed() {
        let mut subs = Subscriptions::default();
        assert_eq!(
            subs.subscribe("", "a@b"),
            Err(SubscriptionError::NodeIdRequired)
        );
        assert_eq!(
            subs.subscribe("princely.musings", "a@b"),
            Err(SubscriptionError::NodeIdRequired)
        );
    }
}
