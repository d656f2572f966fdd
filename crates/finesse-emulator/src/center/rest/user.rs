//! PUT `/finesse/api/User/{id}`: sign in and state changes (§3.2, §3.3).
//!
//! Agent on itself (UCCE / UCCX tables of DG12.5 p42-49):
//! - signed out: READY / NOT_READY / LOGOUT → 202 + async `22 CF_INVALID_OBJECT_STATE`
//!   (real capture);
//! - LOGOUT from READY or WORK* on UCCE → 400 Invalid State (allowed on UCCX);
//! - while on a call (RESERVED, TALKING, HOLD or any call leg): the change becomes the
//!   pending state; UCCX refuses a pending READY asynchronously (265 for a queue call,
//!   33 for a non-ICD call);
//! - from WORK / WORK_READY: READY / NOT_READY end wrap-up;
//! - a NOT_READY / LOGOUT reason is required when codes exist for the category (400
//!   Parameter Missing), and must be one of the agent's codes (400 Invalid Input).
//!
//! Supervisor on an agent of a supervised team (else 401 Invalid Supervisor): READY from
//! NOT_READY / WORK*, NOT_READY from READY / WORK*, LOGOUT from any signed-in state
//! (pending while on a call); a reasonCodeId with NOT_READY → 400 Invalid Input; the
//! system supervisor codes are applied (UCCE 999, UCCX 33 / 22).
use finesse_xml::Element;

use super::lookup::CategoryFilter;
use super::{expect_root, required, RestError};
use crate::center::agents::SignIn;
use crate::center::model::{AgentState, MobileMode, Reason, Status};
use crate::center::publish::AsyncError;
use crate::center::reasons::{configured, SystemReason};
use crate::center::{ContactCenter, NodeId};
use crate::clock::SimTime;
use crate::config::{Flavour, ReasonCategory, Role};

/// Extensions are dial strings of a phone: digits and a few symbols.
pub(super) fn valid_extension(extension: &str) -> bool {
    (1..=32).contains(&extension.len())
        && extension
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "*#+".contains(c))
}

/// Numbers an agent may dial: "any ASCII", bounded.
pub(super) fn valid_dial_string(number: &str) -> bool {
    (1..=64).contains(&number.len()) && number.chars().all(|c| c.is_ascii_graphic() || c == ' ')
}

impl ContactCenter {
    pub(super) fn put_user(
        &mut self,
        now: SimTime,
        node: NodeId,
        requester: usize,
        uri_id: &str,
        body: &Element,
    ) -> Result<(), RestError> {
        let privileged = self.is_supervisor(requester) || self.is_admin(requester);
        let target = match self.agent_index(uri_id) {
            Some(t) if t == requester => t,
            Some(t) if self.is_supervisor(requester) => {
                if !self.supervises(requester, t) {
                    return Err(RestError::invalid_supervisor(uri_id));
                }
                t
            }
            Some(_) => return Err(RestError::user_mismatch(uri_id)),
            None if privileged => return Err(RestError::user_not_found(uri_id)),
            None => return Err(RestError::user_mismatch(uri_id)),
        };
        expect_root(body, "User")?;
        let requested = match required(body, "state")? {
            "LOGIN" if target == requester => return self.request_sign_in(now, node, target, body),
            "READY" => AgentState::Ready,
            "NOT_READY" => AgentState::NotReady,
            "LOGOUT" => AgentState::Logout,
            _ => return Err(RestError::invalid_user_state()),
        };
        let before = self.outbox.len();
        if target == requester {
            self.request_own_state(now, target, requested, body)?;
        } else {
            self.request_supervised_state(now, target, requested, body)?;
        }
        if self.outbox.len() == before {
            // A request that changes nothing is still answered with the current User.
            self.publish_user(target);
        }
        Ok(())
    }

    fn request_sign_in(
        &mut self,
        now: SimTime,
        node: NodeId,
        idx: usize,
        body: &Element,
    ) -> Result<(), RestError> {
        if !self.cfg.agents[idx].has_role(Role::Agent) {
            return Err(RestError::user_mismatch(&self.agent_id(idx)));
        }
        let extension = required(body, "extension")?;
        if !valid_extension(extension) {
            return Err(RestError::bad_request("Invalid extension specified"));
        }
        let mobile = match body.child("mobileAgent") {
            None => None,
            Some(m) => {
                if self.flavour() == Flavour::Uccx {
                    return Err(RestError::invalid_input(
                        "mobileAgent",
                        "Mobile Agent is not available on UCCX",
                    ));
                }
                let mode = required(m, "mode")?;
                let dial_number = required(m, "dialNumber")?;
                let mode = MobileMode::parse(mode).ok_or_else(|| {
                    RestError::invalid_input("mode", "Invalid mobile agent mode specified")
                })?;
                if !valid_dial_string(dial_number) {
                    return Err(RestError::invalid_input(
                        "dialNumber",
                        "Invalid dialNumber specified",
                    ));
                }
                Some((mode, dial_number.to_owned()))
            }
        };
        let requested_device = body.child_text("activeDeviceId").map(str::to_owned);
        // What the CTI server checks comes back asynchronously (§3.2, §8.2).
        if mobile.is_some() && !self.cfg.agents[idx].mobile_agent_allowed {
            self.publish_request_error(&AsyncError::new(
                "262",
                "CF_MOBILE_AGENT_NOT_ALLOWED",
                "Mode Not Allowed",
            ));
            return Ok(());
        }
        let known = self.cfg.agents.iter().any(|a| a.extension == extension)
            || self.cfg.extra_extensions.iter().any(|e| e == extension);
        if !known {
            self.publish_request_error(&AsyncError::unknown_device());
            return Ok(());
        }
        if self
            .agent_on_extension(extension)
            .is_some_and(|other| other != idx)
        {
            self.publish_request_error(&AsyncError::device_in_use());
            return Ok(());
        }
        let devices = &self.cfg.agents[idx].devices;
        let device = match (devices.is_empty(), requested_device) {
            (true, None) => None,
            (true, Some(_)) => {
                self.publish_request_error(&AsyncError::unknown_device());
                return Ok(());
            }
            (false, None) => devices.first().map(|d| d.id.clone()),
            (false, Some(d)) if devices.iter().any(|x| x.id == d) => Some(d),
            (false, Some(_)) => {
                self.publish_request_error(&AsyncError::unknown_device());
                return Ok(());
            }
        };
        let how = SignIn {
            extension: extension.to_owned(),
            mobile,
            device,
        };
        if self.st.agents[idx].signed_in() {
            // Forced sign-in re-authenticates and keeps the state; an idle agent may move
            // to another device.
            let idle = !self.is_busy(idx) && self.st.agents[idx].wrap_up.is_none();
            if idle {
                let rt = &mut self.st.agents[idx];
                rt.extension = Some(how.extension);
                rt.active_device = how.device;
                rt.mobile =
                    how.mobile
                        .map(|(mode, dial_number)| crate::center::model::MobileAgent {
                            mode,
                            dial_number,
                            node,
                            dial_outs: u32::from(mode == MobileMode::NailedConnection),
                        });
            }
            self.publish_user(idx);
            return Ok(());
        }
        self.sign_in(now, idx, node, how);
        Ok(())
    }

    /// The reason for an agent's own NOT_READY / LOGOUT.
    fn requested_reason(
        &self,
        idx: usize,
        category: ReasonCategory,
        body: &Element,
    ) -> Result<Option<Reason>, RestError> {
        let codes = self.visible_reason_codes(self.team_id_of(idx), CategoryFilter::Only(category));
        match body.child_text("reasonCodeId") {
            None if codes.is_empty() => Ok(None),
            None => Err(RestError::missing("reasonCodeId")),
            Some("-1") if codes.is_empty() => Ok(None),
            Some(id) => codes
                .into_iter()
                .find(|c| c.id == id)
                .map(|c| Some(configured(c)))
                .ok_or_else(|| {
                    RestError::invalid_input("reasonCodeId", "Invalid reasonCodeId specified")
                }),
        }
    }

    fn request_own_state(
        &mut self,
        now: SimTime,
        idx: usize,
        requested: AgentState,
        body: &Element,
    ) -> Result<(), RestError> {
        let reason = match requested {
            AgentState::NotReady => self.requested_reason(idx, ReasonCategory::NotReady, body)?,
            AgentState::Logout => self.requested_reason(idx, ReasonCategory::Logout, body)?,
            _ => None,
        };
        let current = self.st.agents[idx].state();
        let ucce = self.flavour() == Flavour::Ucce;
        if current == AgentState::Logout {
            self.publish_request_error(&AsyncError::invalid_object_state());
            return Ok(());
        }
        let leaves_ready_for_logout = requested == AgentState::Logout
            && matches!(
                current,
                AgentState::Ready | AgentState::Work | AgentState::WorkReady
            );
        if ucce && leaves_ready_for_logout {
            return Err(RestError::invalid_state(
                "state",
                format!("Cannot change state from {} to LOGOUT", current.as_str()),
            ));
        }
        let busy = self.is_busy(idx)
            || matches!(
                current,
                AgentState::Reserved | AgentState::Talking | AgentState::Hold
            );
        let status = Status::new(requested, reason);
        if busy {
            if requested == AgentState::Ready && !ucce {
                let icd = self
                    .live_participations(&self.agent_id(idx))
                    .iter()
                    .any(|p| p.routed);
                let error = if icd {
                    AsyncError::new("265", "CF_INVALID_AGENT_WORKMODE", "Invalid State")
                } else {
                    AsyncError::new("33", "CF_RESOURCE_BUSY", "Invalid State")
                };
                self.publish_request_error(&error);
                return Ok(());
            }
            self.set_pending(idx, Some(status));
            return Ok(());
        }
        if current.is_wrap_up() {
            self.end_wrap_up(now, idx, status);
        } else if requested == AgentState::Logout {
            self.log_out(now, idx, status.reason);
        } else {
            self.change_status(now, idx, status);
        }
        Ok(())
    }

    fn request_supervised_state(
        &mut self,
        now: SimTime,
        idx: usize,
        requested: AgentState,
        body: &Element,
    ) -> Result<(), RestError> {
        if requested == AgentState::NotReady && body.child_text("reasonCodeId").is_some() {
            return Err(RestError::invalid_input(
                "reasonCodeId",
                "A supervisor cannot specify a reason code",
            ));
        }
        let current = self.st.agents[idx].state();
        let allowed = match requested {
            AgentState::Ready | AgentState::NotReady => matches!(
                current,
                AgentState::Ready | AgentState::NotReady | AgentState::Work | AgentState::WorkReady
            ),
            _ => current != AgentState::Logout,
        };
        if !allowed || (self.is_busy(idx) && requested != AgentState::Logout) {
            return Err(RestError::invalid_state(
                "state",
                format!(
                    "A supervisor cannot change an agent from {} to {}",
                    current.as_str(),
                    requested.as_str()
                ),
            ));
        }
        let reason = match requested {
            AgentState::NotReady => Some(SystemReason::SupervisorNotReady.reason(self.flavour())),
            AgentState::Logout => Some(SystemReason::SupervisorLogout.reason(self.flavour())),
            _ => None,
        };
        self.force_status(now, idx, Status::new(requested, reason));
        Ok(())
    }
}
