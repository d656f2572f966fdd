//! GET handlers: SystemInfo, users, dialogs, and the lookups (reason codes, wrap-up
//! reasons, layouts, phone books, queues, teams).
//!
//! Who may read what: a user its own resources; a supervisor also the users (and their
//! queues) of the teams it supervises, and those teams; an administrator everything.
//! TeamResource lookups are open to members, supervisors of the team and administrators.
//! A dialog is visible to the agents whose collection holds it; any other dialog id is 404.
use finesse_xml::XmlWriter;

use super::route::Route;
use super::{query_value, RestError};
use crate::center::calls::Call;
use crate::center::reasons::{configured, visible_to_team};
use crate::center::render::directory::{
    write_contact, write_layout, write_phone_book_inline, write_phone_book_ref,
    write_wrap_up_reason,
};
use crate::center::render::write_reason_code;
use crate::center::{CallId, ContactCenter, NodeId};
use crate::clock::SimTime;
use crate::config::{
    Flavour, LayoutConfig, LayoutType, PhoneBookType, ReasonCategory, ReasonCodeConfig,
};

/// `category` of a reason-code list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CategoryFilter {
    Only(ReasonCategory),
    All,
}

impl CategoryFilter {
    fn parse(query: &[(String, String)], allow_all: bool) -> Result<CategoryFilter, RestError> {
        match query_value(query, "category") {
            None | Some("") => Err(RestError::missing("category")),
            Some("NOT_READY") => Ok(CategoryFilter::Only(ReasonCategory::NotReady)),
            Some("LOGOUT") => Ok(CategoryFilter::Only(ReasonCategory::Logout)),
            Some("ALL") if allow_all => Ok(CategoryFilter::All),
            Some(_) => Err(RestError::invalid_input(
                "category",
                "Invalid category specified",
            )),
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            CategoryFilter::Only(c) => c.as_str(),
            CategoryFilter::All => "ALL",
        }
    }

    fn matches(self, category: ReasonCategory) -> bool {
        self == CategoryFilter::All || self == CategoryFilter::Only(category)
    }
}

impl ContactCenter {
    pub(super) fn get(
        &self,
        now: SimTime,
        node: NodeId,
        route: &Route,
        requester: Option<usize>,
        query: &[(String, String)],
    ) -> Result<String, RestError> {
        let Some(requester) = requester else {
            return match route {
                Route::SystemInfo => Ok(self.system_info_xml(now, node, "SystemInfo")),
                _ => Err(RestError::unauthorized("")),
            };
        };
        match route {
            Route::SystemInfo => Ok(self.system_info_xml(now, node, "SystemInfo")),
            Route::User(id) => {
                let allow_login_name = self.cfg.flavour == Flavour::Ucce;
                let target = self.readable_user(requester, id, allow_login_name)?;
                Ok(self.user_xml(target, "User", Some(node)))
            }
            Route::Users => self.users_xml(requester),
            Route::UserDialogs(id) => {
                let target = self.readable_user(requester, id, false)?;
                if target != requester {
                    return Err(RestError::user_mismatch(id));
                }
                Ok(self.dialogs_xml(&self.agent_id(target)))
            }
            Route::Dialog(id) => {
                let call = self
                    .visible_dialog(requester, id)
                    .ok_or_else(|| RestError::dialog_unknown(id))?;
                let mut w = XmlWriter::new();
                self.write_dialog(&mut w, call, "Dialog");
                Ok(w.finish())
            }
            Route::UserReasonCodes(id) => {
                let target = self.readable_user(requester, id, false)?;
                let filter = CategoryFilter::parse(query, false)?;
                Ok(self.reason_codes_xml(self.team_id_of(target), filter))
            }
            Route::UserReasonCode(id, rc) => {
                let target = self.readable_user(requester, id, false)?;
                let code = self
                    .visible_reason_codes(self.team_id_of(target), CategoryFilter::All)
                    .into_iter()
                    .find(|c| &c.id == rc)
                    .ok_or_else(|| RestError::not_found("Invalid reasonCodeId specified", rc))?;
                let mut w = XmlWriter::new();
                write_reason_code(&mut w, "ReasonCode", &configured(code));
                Ok(w.finish())
            }
            Route::UserWrapUpReasons(id) => {
                let target = self.readable_user(requester, id, false)?;
                let uid = self.agent_id(target);
                Ok(self.wrap_up_reasons_xml(self.team_id_of(target), |w| {
                    format!("/finesse/api/User/{uid}/WrapUpReason/{w}")
                }))
            }
            Route::UserWrapUpReason(id, wid) => {
                let target = self.readable_user(requester, id, false)?;
                let team = self.team_id_of(target);
                let reason = self
                    .cfg
                    .wrap_up_reasons
                    .iter()
                    .find(|w| &w.id == wid && visible_to_team(w.for_all, &w.teams, team))
                    .ok_or_else(|| RestError::not_found("Invalid wrapUpReasonId specified", wid))?;
                let mut w = XmlWriter::new();
                let uri = format!(
                    "/finesse/api/User/{}/WrapUpReason/{}",
                    self.agent_id(target),
                    reason.id
                );
                write_wrap_up_reason(&mut w, reason, &uri);
                Ok(w.finish())
            }
            Route::UserLayout(id) => {
                let target = self.readable_user(requester, id, false)?;
                let layout = self
                    .layout_for_team(self.team_id_of(target))
                    .ok_or_else(|| {
                        RestError::not_found("No MediaPropertiesLayout is configured", id)
                    })?;
                let mut w = XmlWriter::new();
                write_layout(&mut w, layout);
                Ok(w.finish())
            }
            Route::UserLayouts(id) => {
                let target = self.readable_user(requester, id, false)?;
                Ok(self.layouts_xml(self.team_id_of(target)))
            }
            Route::UserPhoneBooks(id) => {
                let target = self.readable_user(requester, id, false)?;
                let mut w = XmlWriter::new();
                w.open("PhoneBooks");
                for book in self.visible_phone_books(self.team_id_of(target)) {
                    write_phone_book_ref(&mut w, book);
                }
                Ok(w.finish())
            }
            Route::UserQueues(id) => {
                let target = self.readable_user(requester, id, false)?;
                Ok(self.user_queues_xml(target))
            }
            Route::PhoneBook(id) | Route::PhoneBookContacts(id) => {
                let book = self
                    .cfg
                    .phone_books
                    .iter()
                    .find(|b| &b.id == id && self.may_read_phone_book(requester, b))
                    .ok_or_else(|| RestError::not_found("Invalid phoneBookId specified", id))?;
                let mut w = XmlWriter::new();
                if matches!(route, Route::PhoneBook(_)) {
                    write_phone_book_ref(&mut w, book);
                } else {
                    w.open("Contacts");
                    for contact in &book.contacts {
                        write_contact(&mut w, book, contact);
                    }
                }
                Ok(w.finish())
            }
            Route::Queue(id) => {
                let queue = self
                    .cfg
                    .queues
                    .iter()
                    .position(|q| &q.id == id)
                    .ok_or_else(|| RestError::not_found("Invalid queueId specified", id))?;
                let member = self.in_queue(requester, queue);
                if !(member || self.is_supervisor(requester) || self.is_admin(requester)) {
                    return Err(RestError::user_mismatch(id));
                }
                let mut w = XmlWriter::new();
                self.write_queue(&mut w, queue, "Queue");
                Ok(w.finish())
            }
            Route::Team(id) => {
                let team = self.cfg.teams.iter().position(|t| &t.id == id);
                let privileged = self.is_supervisor(requester) || self.is_admin(requester);
                let Some(team) = team else {
                    return Err(if privileged {
                        RestError::team_not_found(id)
                    } else {
                        RestError::user_mismatch(id)
                    });
                };
                if !(self.is_admin(requester) || self.supervised_teams(requester).contains(&team)) {
                    return Err(RestError::user_mismatch(id));
                }
                let include = query_value(query, "includeLoggedOutAgents")
                    .is_some_and(|v| v.eq_ignore_ascii_case("true"));
                Ok(self.team_xml(team, include))
            }
            Route::TeamReasonCodes(id) => {
                let team = self.readable_team(requester, id)?;
                let filter = CategoryFilter::parse(query, true)?;
                Ok(self.reason_codes_xml(Some(team), filter))
            }
            Route::TeamWrapUpReasons(id) => {
                let team = self.readable_team(requester, id)?;
                Ok(self
                    .wrap_up_reasons_xml(Some(team), |w| format!("/finesse/api/WrapUpReason/{w}")))
            }
            Route::TeamLayouts(id) => {
                let team = self.readable_team(requester, id)?;
                Ok(self.layouts_xml(Some(team)))
            }
            Route::TeamPhoneBooks(id) => {
                let team = self.readable_team(requester, id)?;
                let mut w = XmlWriter::new();
                w.open("PhoneBooks");
                for book in self.visible_phone_books(Some(team)) {
                    write_phone_book_inline(&mut w, book);
                }
                Ok(w.finish())
            }
        }
    }

    /// The user a URI names, if the requester may read it.
    pub(super) fn readable_user(
        &self,
        requester: usize,
        uri_id: &str,
        allow_login_name: bool,
    ) -> Result<usize, RestError> {
        let target = if allow_login_name {
            self.agent_index_by_name(uri_id)
        } else {
            self.agent_index(uri_id)
        };
        let privileged = self.is_supervisor(requester) || self.is_admin(requester);
        match target {
            Some(t)
                if t == requester || self.is_admin(requester) || self.supervises(requester, t) =>
            {
                Ok(t)
            }
            Some(_) => Err(RestError::user_mismatch(uri_id)),
            None if privileged => Err(RestError::user_not_found(uri_id)),
            None => Err(RestError::user_mismatch(uri_id)),
        }
    }

    /// A team id the requester may read TeamResource lookups of.
    fn readable_team(&self, requester: usize, id: &str) -> Result<&str, RestError> {
        let team = self
            .cfg
            .teams
            .iter()
            .position(|t| t.id == id)
            .ok_or_else(|| RestError::team_not_found(id))?;
        let member = self.team_id_of(requester) == Some(id);
        if member || self.is_admin(requester) || self.supervised_teams(requester).contains(&team) {
            Ok(self.cfg.teams[team].id.as_str())
        } else {
            Err(RestError::user_mismatch(id))
        }
    }

    pub(in crate::center) fn team_id_of(&self, idx: usize) -> Option<&str> {
        self.cfg.agents[idx].team_id.as_deref()
    }

    fn visible_dialog(&self, requester: usize, id: &str) -> Option<&Call> {
        let call = self.st.calls.get(&CallId(id.parse().ok()?))?;
        call.is_posted_to(&self.cfg.agents[requester].id)
            .then_some(call)
    }

    pub(in crate::center) fn dialogs_xml(&self, agent_id: &str) -> String {
        let calls: Vec<&Call> = self
            .st
            .calls
            .values()
            .filter(|c| c.is_posted_to(agent_id))
            .collect();
        let mut w = XmlWriter::new();
        if calls.is_empty() {
            w.empty_element("Dialogs", &[]);
        } else {
            w.open("Dialogs");
            for call in calls {
                self.write_dialog(&mut w, call, "Dialog");
            }
        }
        w.finish()
    }

    fn users_xml(&self, requester: usize) -> Result<String, RestError> {
        let admin = self.is_admin(requester);
        if !admin && !self.is_supervisor(requester) {
            return Err(RestError::user_mismatch("Users"));
        }
        let mut w = XmlWriter::new();
        w.open("Users");
        for idx in 0..self.cfg.agents.len() {
            if admin || idx == requester || self.supervises(requester, idx) {
                w.raw(&self.user_xml(idx, "User", None));
            }
        }
        Ok(w.finish())
    }

    /// Configured codes an agent of `team` may use (system codes are never listed).
    pub(in crate::center) fn visible_reason_codes(
        &self,
        team: Option<&str>,
        filter: CategoryFilter,
    ) -> Vec<&ReasonCodeConfig> {
        self.cfg
            .reason_codes
            .iter()
            .filter(|c| filter.matches(c.category) && visible_to_team(c.for_all, &c.teams, team))
            .collect()
    }

    fn reason_codes_xml(&self, team: Option<&str>, filter: CategoryFilter) -> String {
        let mut w = XmlWriter::new();
        w.open_with("ReasonCodes", &[("category", filter.as_str())]);
        for code in self.visible_reason_codes(team, filter) {
            write_reason_code(&mut w, "ReasonCode", &configured(code));
        }
        w.finish()
    }

    fn wrap_up_reasons_xml(&self, team: Option<&str>, uri: impl Fn(&str) -> String) -> String {
        let mut w = XmlWriter::new();
        w.open("WrapUpReasons");
        for reason in self
            .cfg
            .wrap_up_reasons
            .iter()
            .filter(|r| visible_to_team(r.for_all, &r.teams, team))
        {
            write_wrap_up_reason(&mut w, reason, &uri(&reason.id));
        }
        w.finish()
    }

    /// A CUSTOM layout assigned to the team, else the DEFAULT one.
    pub(in crate::center) fn layout_for_team(&self, team: Option<&str>) -> Option<&LayoutConfig> {
        let custom = self.cfg.layouts.iter().find(|l| {
            l.layout_type == LayoutType::Custom
                && team.is_some_and(|t| l.teams.iter().any(|x| x == t))
        });
        custom
            .or_else(|| {
                self.cfg
                    .layouts
                    .iter()
                    .find(|l| l.layout_type == LayoutType::Default)
            })
            .or_else(|| self.cfg.layouts.first())
    }

    fn layouts_xml(&self, team: Option<&str>) -> String {
        let mut w = XmlWriter::new();
        w.open("MediaPropertiesLayouts");
        for layout in self.cfg.layouts.iter().filter(|l| {
            l.layout_type == LayoutType::Default
                || team.is_some_and(|t| l.teams.iter().any(|x| x == t))
        }) {
            write_layout(&mut w, layout);
        }
        w.finish()
    }

    fn visible_phone_books<'a>(
        &'a self,
        team: Option<&'a str>,
    ) -> impl Iterator<Item = &'a crate::config::PhoneBookConfig> + 'a {
        self.cfg.phone_books.iter().filter(move |b| {
            b.book_type == PhoneBookType::Global
                || team.is_some_and(|t| b.teams.iter().any(|x| x == t))
        })
    }

    fn may_read_phone_book(&self, requester: usize, book: &crate::config::PhoneBookConfig) -> bool {
        if book.book_type == PhoneBookType::Global || self.is_admin(requester) {
            return true;
        }
        let own = self.team_id_of(requester);
        let supervised: Vec<&str> = self
            .supervised_teams(requester)
            .into_iter()
            .map(|t| self.cfg.teams[t].id.as_str())
            .collect();
        book.teams
            .iter()
            .any(|t| own == Some(t.as_str()) || supervised.contains(&t.as_str()))
    }

    /// An agent's queues; for a supervisor also the queues of its teams' members.
    fn user_queues_xml(&self, target: usize) -> String {
        let supervised = self.supervised_teams(target);
        let mut w = XmlWriter::new();
        w.open("Queues");
        for queue in 0..self.cfg.queues.len() {
            let own = self.in_queue(target, queue);
            let team_member_in = (0..self.cfg.agents.len()).any(|i| {
                self.in_queue(i, queue)
                    && self.cfg.agents[i]
                        .team_id
                        .as_ref()
                        .is_some_and(|t| supervised.iter().any(|&s| &self.cfg.teams[s].id == t))
            });
            if own || team_member_in {
                self.write_queue(&mut w, queue, "Queue");
            }
        }
        w.finish()
    }
}
