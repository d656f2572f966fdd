//! Pub-sub events: the `<Update>` documents each change causes (§9.4, §4.6, §8.2).
use finesse_xml::XmlWriter;

use super::{Audience, CallId, ContactCenter, CtiError, NodeId, Publication};
use crate::clock::SimTime;

/// What happened to a dialog, from one agent's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DialogEvent {
    /// The dialog appears in the agent's collection.
    Post,
    /// The dialog changed.
    Put,
    /// The dialog leaves the agent's collection.
    Delete,
}

/// An asynchronous CTI error (§8.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AsyncError {
    pub error_data: String,
    pub error_message: String,
    pub error_type: String,
    /// Peripheral details, present on device errors (real UCCE capture).
    pub peripheral: Option<PeripheralError>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PeripheralError {
    pub code: String,
    pub text: String,
    pub msg: String,
}

impl AsyncError {
    pub fn new(error_data: &str, error_message: &str, error_type: &str) -> Self {
        AsyncError {
            error_data: error_data.to_owned(),
            error_message: error_message.to_owned(),
            error_type: error_type.to_owned(),
            peripheral: None,
        }
    }

    /// READY/NOT_READY/LOGOUT asked of a signed-out agent (real capture).
    pub fn invalid_object_state() -> Self {
        AsyncError::new("22", "CF_INVALID_OBJECT_STATE", "Invalid State")
    }

    /// Sign-in on an extension the phone system does not know (real UCCE 12.5 capture).
    pub fn unknown_device() -> Self {
        AsyncError {
            peripheral: Some(PeripheralError {
                code: "10125".into(),
                text: "A device target with the network target ID specified cannot be found. \
                       Verify that the device target is configured correctly."
                    .into(),
                msg: "PERERR_TELDRIVE_NODEVICETARGETFORNETTARGETID".into(),
            }),
            ..AsyncError::new("260", "CF_INVALID_LOGON_DEVICE_SPECIFIED", "Invalid Device")
        }
    }

    /// Sign-in on an extension another agent is signed in on. The CTI constant is this
    /// emulator's choice; the error type matches the other device errors.
    pub fn device_in_use() -> Self {
        AsyncError::new("261", "CF_DEVICE_IN_USE", "Invalid Device")
    }
}

impl From<CtiError> for AsyncError {
    fn from(e: CtiError) -> Self {
        AsyncError::new(&e.error_data, &e.error_message, &e.error_type)
    }
}

/// `<Update>` for a successful change: children in the order real servers send them.
fn update_document(data: &str, event: &str, request_id: &str, source: &str) -> String {
    let mut w = XmlWriter::new();
    w.open("Update").open("data").raw(data).close();
    w.text_element("event", event)
        .text_element("requestId", request_id)
        .text_element("source", source);
    w.finish()
}

/// `<Update>` for a CTI error: `data, requestId, source, event` with `put` in lower case,
/// as in the real 12.5 capture (§8.2).
fn error_document(error: &AsyncError, request_id: &str, source: &str) -> String {
    let mut w = XmlWriter::new();
    w.open("Update")
        .open("data")
        .open("apiErrors")
        .open("apiError");
    match &error.peripheral {
        Some(p) => {
            w.text_element("peripheralErrorCode", &p.code)
                .text_element("errorType", &error.error_type)
                .text_element("errorMessage", &error.error_message)
                .text_element("peripheralErrorText", &p.text)
                .text_element("peripheralErrorMsg", &p.msg)
                .text_element("errorData", &error.error_data);
        }
        None => {
            w.text_element("errorData", &error.error_data)
                .text_element("errorMessage", &error.error_message)
                .text_element("errorType", &error.error_type);
        }
    }
    w.close().close().close();
    w.text_element("requestId", request_id)
        .text_element("source", source)
        .text_element("event", "put");
    w.finish()
}

pub(crate) fn user_uri(id: &str) -> String {
    format!("/finesse/api/User/{id}")
}

pub(crate) fn dialogs_uri(id: &str) -> String {
    format!("/finesse/api/User/{id}/Dialogs")
}

pub(crate) fn dialog_uri(id: CallId) -> String {
    format!("/finesse/api/Dialog/{id}")
}

impl ContactCenter {
    /// The nodes shared-state events are published from: both when both are in service,
    /// none while neither is (Finesse sends no events while OUT_OF_SERVICE, §10.1).
    fn origins(&self) -> Vec<Option<NodeId>> {
        if let Some(node) = self.origin_override {
            return vec![Some(node)];
        }
        match (
            self.node_in_service(NodeId::A),
            self.node_in_service(NodeId::B),
        ) {
            (true, true) => vec![None],
            (true, false) => vec![Some(NodeId::A)],
            (false, true) => vec![Some(NodeId::B)],
            (false, false) => Vec::new(),
        }
    }

    /// The `requestId` for an event: the request's id on the requester's own nodes and on
    /// the User resource the request addressed; empty otherwise (§9.6).
    fn request_id_for(&self, audience_user: &str, source: &str) -> String {
        let Some(tag) = &self.tag else {
            return String::new();
        };
        let to_requester = audience_user.eq_ignore_ascii_case(&tag.requester);
        let addressed_user = source == tag.resource && source.starts_with("/finesse/api/User/");
        if to_requester || addressed_user {
            tag.request_id.clone()
        } else {
            String::new()
        }
    }

    fn push_shared(&mut self, node: String, update: String, audience: Audience) {
        for origin in self.origins() {
            self.outbox.push(Publication {
                node: node.clone(),
                update: update.clone(),
                audience: audience.clone(),
                origin,
            });
        }
    }

    /// A User PUT on the agent's own node and on its team's `Users` node.
    pub(super) fn publish_user(&mut self, idx: usize) {
        let id = self.agent_id(idx);
        let source = user_uri(&id);
        let request_id = self.request_id_for(&id, &source);
        let mobile_node = self.st.agents[idx].mobile.as_ref().map(|m| m.node);
        match mobile_node {
            // Only the node the mobile agent signed in on knows the mobile-agent details.
            Some(_) => {
                for origin in self.origins() {
                    let nodes = match origin {
                        Some(node) => vec![node],
                        None => NodeId::ALL.to_vec(),
                    };
                    for node in nodes {
                        let data = self.user_xml(idx, "user", Some(node));
                        self.outbox.push(Publication {
                            node: source.clone(),
                            update: update_document(&data, "PUT", &request_id, &source),
                            audience: Audience::User(id.clone()),
                            origin: Some(node),
                        });
                    }
                }
            }
            None => {
                let data = self.user_xml(idx, "user", None);
                let update = update_document(&data, "PUT", &request_id, &source);
                self.push_shared(source.clone(), update, Audience::User(id.clone()));
            }
        }
        if let Some(team) = self.cfg.agents[idx].team_id.clone() {
            // Team notifications carry no requestId (§9.4 sample).
            let data = self.team_user_xml(idx, "user");
            let update = update_document(&data, "PUT", "", &source);
            self.push_shared(
                format!("/finesse/api/Team/{team}/Users"),
                update,
                Audience::Subscribers,
            );
        }
    }

    /// One dialog event on an agent's Dialogs node.
    fn publish_dialog(&mut self, call: CallId, agent_id: &str, event: DialogEvent) {
        let Some(c) = self.st.calls.get(&call) else {
            return;
        };
        let collection = dialogs_uri(agent_id);
        let (data, source, verb) = match event {
            DialogEvent::Post | DialogEvent::Delete => {
                let mut w = XmlWriter::new();
                w.open("dialogs");
                self.write_dialog(&mut w, c, "Dialog");
                let verb = if event == DialogEvent::Post {
                    "POST"
                } else {
                    "DELETE"
                };
                (w.finish(), collection.clone(), verb)
            }
            DialogEvent::Put => {
                let mut w = XmlWriter::new();
                self.write_dialog(&mut w, c, "dialog");
                (w.finish(), dialog_uri(call), "PUT")
            }
        };
        let request_id = self.request_id_for(agent_id, &source);
        let update = update_document(&data, verb, &request_id, &source);
        self.push_shared(collection, update, Audience::User(agent_id.to_owned()));
    }

    /// Add the dialog to an agent's collection (POST).
    pub(super) fn post_dialog(&mut self, call: CallId, agent_id: &str) {
        if let Some(c) = self.st.calls.get_mut(&call) {
            if c.is_posted_to(agent_id) {
                return;
            }
            c.posted_to.push(agent_id.to_owned());
        }
        self.publish_dialog(call, agent_id, DialogEvent::Post);
    }

    /// Remove the dialog from an agent's collection (DELETE).
    pub(super) fn delete_dialog(&mut self, call: CallId, agent_id: &str) {
        let posted = self
            .st
            .calls
            .get(&call)
            .is_some_and(|c| c.is_posted_to(agent_id));
        if !posted {
            return;
        }
        self.publish_dialog(call, agent_id, DialogEvent::Delete);
        if let Some(c) = self.st.calls.get_mut(&call) {
            c.posted_to.retain(|a| !a.eq_ignore_ascii_case(agent_id));
        }
    }

    /// Tell every agent holding the dialog that it changed (PUT).
    pub(super) fn put_dialog_all(&mut self, call: CallId) {
        let agents = self
            .st
            .calls
            .get(&call)
            .map(|c| c.posted_to.clone())
            .unwrap_or_default();
        for agent in agents {
            self.publish_dialog(call, &agent, DialogEvent::Put);
        }
    }

    /// Tell one agent holding the dialog that it changed (PUT).
    pub(super) fn put_dialog_to(&mut self, call: CallId, agent_id: &str) {
        if self
            .st
            .calls
            .get(&call)
            .is_some_and(|c| c.is_posted_to(agent_id))
        {
            self.publish_dialog(call, agent_id, DialogEvent::Put);
        }
    }

    /// Publish a CTI error for the request being handled (§8.2).
    pub(super) fn publish_request_error(&mut self, error: &AsyncError) {
        let Some(tag) = self.tag.clone() else {
            return;
        };
        for (node, user) in &tag.errors.nodes {
            let update = error_document(error, &tag.request_id, &tag.errors.source);
            self.push_shared(node.clone(), update, Audience::User(user.clone()));
        }
    }

    /// SystemInfo of one node, from that node only, to every session on it.
    pub(super) fn publish_system_info(&mut self, now: SimTime, node: NodeId) {
        let data = self.system_info_xml(now, node, "systemInfo");
        let source = "/finesse/api/SystemInfo".to_owned();
        self.outbox.push(Publication {
            node: source.clone(),
            update: update_document(&data, "PUT", "", &source),
            audience: Audience::Everyone,
            origin: Some(node),
        });
    }

    /// Queue statistics to the queue's explicit subscribers.
    pub(super) fn publish_queue(&mut self, queue: usize) {
        let uri = format!("/finesse/api/Queue/{}", self.cfg.queues[queue].id);
        let mut w = XmlWriter::new();
        self.write_queue(&mut w, queue, "queue");
        let update = update_document(&w.finish(), "PUT", "", &uri);
        self.push_shared(uri, update, Audience::Subscribers);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_updates_put_event_last_and_lower_case() {
        let doc = error_document(
            &AsyncError::invalid_object_state(),
            "r1",
            "/finesse/api/User/1001",
        );
        assert!(doc.ends_with("<requestId>r1</requestId><source>/finesse/api/User/1001</source><event>put</event></Update>"));
        assert!(doc.contains("<apiError><errorData>22</errorData><errorMessage>CF_INVALID_OBJECT_STATE</errorMessage>"));
    }
}
