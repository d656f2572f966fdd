//! The Dialog object, in the element order of the real UCCE capture (§4.1).
use finesse_xml::XmlWriter;

use crate::center::calls::Call;
use crate::center::ContactCenter;
use crate::config::Flavour;

impl ContactCenter {
    /// Write one dialog with root `root` (`Dialog` in REST and collections, `dialog` in a
    /// PUT notification). Participant actions are computed for the current state.
    pub(in crate::center) fn write_dialog(&self, w: &mut XmlWriter, call: &Call, root: &str) {
        w.open(root)
            .text_element(
                "associatedDialogUri",
                &call
                    .associated
                    .map(|a| format!("/finesse/api/Dialog/{a}"))
                    .unwrap_or_default(),
            )
            .text_element("fromAddress", &call.from)
            .text_element("id", &call.id.to_string());
        w.open("mediaProperties")
            .text_element("DNIS", &call.dnis)
            .text_element("callType", &call.call_type)
            .text_element("dialedNumber", &call.dialed_number)
            .text_element("outboundClassification", "");
        if let Some(queue) = call
            .queue
            .as_deref()
            .and_then(|q| self.cfg.queues.iter().find(|x| x.id == q))
        {
            w.text_element("queueName", &queue.name)
                .text_element("queueNumber", &queue.id);
        }
        if let Some(reason) = &call.wrap_up_reason {
            w.text_element("wrapUpReason", reason);
        }
        if self.cfg.flavour == Flavour::Uccx && !call.wrap_up_items.is_empty() {
            w.open("wrapUpItems");
            for item in &call.wrap_up_items {
                w.text_element("wrapUpItem", item);
            }
            w.close();
        }
        w.open("callvariables");
        let numbered = call
            .call_variables
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("callVariable{}", i + 1), v.clone()));
        for (name, value) in numbered.chain(call.ecc.iter().cloned()) {
            w.open("CallVariable")
                .text_element("name", &name)
                .text_element("value", &value)
                .close();
        }
        w.close().close();
        w.text_element("mediaType", "Voice");
        w.open("participants");
        for p in &call.participants {
            w.open("Participant").open("actions");
            for action in self.participant_actions(call, p) {
                w.text_element("action", action.as_str());
            }
            w.close();
            let address_type = if p.agent.is_some() {
                "AGENT_DEVICE"
            } else {
                ""
            };
            w.text_element("mediaAddress", &p.address)
                .text_element("mediaAddressType", address_type)
                .text_element("startTime", &self.timestamp(p.started))
                .text_element("state", p.state.as_str())
                .text_element("stateCause", p.cause.unwrap_or(""))
                .text_element("stateChangeTime", &self.timestamp(p.changed))
                .close();
        }
        w.close();
        w.text_element("state", call.state.as_str())
            .text_element("toAddress", &call.to)
            .text_element("uri", &format!("/finesse/api/Dialog/{}", call.id))
            .close();
    }
}
