//! Reading lookups and supervisor/system objects: reason codes, wrap-up reasons, layouts,
//! phone books, queues, teams, SystemInfo and ApiErrors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use finesse::model::{
    AgentState, ApiError, Contact, DeploymentType, MediaPropertiesLayout, ModelError, PhoneBook,
    PhoneBookType, Queue, ReasonCategory, ReasonCode, SystemInfo, SystemStatus, Team, WrapUpReason,
};

fn fixture(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

#[test]
fn reason_codes_take_id_from_uri_and_category_from_the_list() {
    let codes = ReasonCode::list_from_xml(&fixture("reason_codes/not_ready.xml")).unwrap();
    assert_eq!(codes.len(), 3);
    assert_eq!(codes[0].id, "1");
    assert_eq!(codes[0].code, Some(12));
    assert_eq!(codes[0].label, "Lunch");
    assert!(codes[0].for_all);
    assert_eq!(codes[1].id, "16", "no <id>: the uri tail is the id");
    assert!(!codes[1].for_all);
    assert!(
        !codes[1].system_code,
        "absent systemCode means a configured code"
    );
    assert_eq!(
        codes[2].category,
        ReasonCategory::NotReady,
        "inherited from the list"
    );
}

#[test]
fn empty_reason_code_list_is_empty() {
    let codes = ReasonCode::list_from_xml(&fixture("reason_codes/logout_empty.xml")).unwrap();
    assert!(codes.is_empty());
}

#[test]
fn listed_reason_code_without_id_or_uri_is_missing_a_field() {
    let err = ReasonCode::list_from_xml(&fixture("reason_codes/missing_id.xml")).unwrap_err();
    assert_eq!(
        err,
        ModelError::MissingField {
            object: "ReasonCode",
            field: "id"
        }
    );
}

#[test]
fn wrap_up_reasons_are_identified_by_uri_tail() {
    let reasons = WrapUpReason::list_from_xml(&fixture("wrap_up_reasons/user_list.xml")).unwrap();
    assert_eq!(reasons.len(), 2);
    assert_eq!(reasons[0].id, "205");
    assert_eq!(reasons[0].label, "Product Question");
    assert!(reasons[0].for_all);
    assert_eq!(reasons[1].id, "206");
    assert!(!reasons[1].for_all);
}

#[test]
fn media_properties_layout_reads_header_and_columns_in_display_order() {
    let layout =
        MediaPropertiesLayout::from_xml(&fixture("layout/media_properties_layout.xml")).unwrap();
    assert_eq!(
        layout.uri.as_deref(),
        Some("/finesse/api/MediaPropertiesLayout/1")
    );
    assert_eq!(layout.name.as_deref(), Some("Default Layout"));
    assert_eq!(layout.layout_type.as_deref(), Some("DEFAULT"));
    assert_eq!(layout.header.len(), 1);
    assert_eq!(layout.header[0].show_in_pop_over, Some(false));
    assert_eq!(layout.columns.len(), 2);
    assert_eq!(layout.columns[0].len(), 3);
    assert_eq!(
        layout.columns[1].len(),
        3,
        "entry without mediaProperty skipped"
    );
    assert_eq!(layout.columns[0][0].ui_editable, Some(true));
    assert_eq!(layout.columns[0][1].ui_editable, None);
    let order: Vec<&str> = layout
        .entries()
        .map(|e| e.media_property.as_str())
        .collect();
    assert_eq!(
        order,
        [
            "callVariable1",
            "user.cisco.acctnum",
            "dialedNumber",
            "DNIS",
            "queueName",
            "callType",
            "user.myarray[2]"
        ]
    );
}

#[test]
fn media_properties_layout_list_is_read() {
    let layouts =
        MediaPropertiesLayout::list_from_xml(&fixture("layout/media_properties_layouts.xml"))
            .unwrap();
    assert_eq!(layouts.len(), 2);
    assert_eq!(layouts[1].name.as_deref(), Some("Collections"));
    assert_eq!(layouts[1].description, None);
    assert!(layouts[1].columns.is_empty());
}

#[test]
fn user_phone_books_link_their_contacts() {
    let books = PhoneBook::list_from_xml(&fixture("phone_books/user_variant.xml")).unwrap();
    assert_eq!(books.len(), 2);
    assert_eq!(books[0].id.as_deref(), Some("1"));
    assert_eq!(books[0].book_type, Some(PhoneBookType::Global));
    assert_eq!(
        books[0].contacts_uri.as_deref(),
        Some("/finesse/api/PhoneBook/1/Contacts")
    );
    assert!(books[0].contacts.is_empty());
    assert_eq!(books[1].book_type, Some(PhoneBookType::Team));
}

#[test]
fn team_resource_phone_books_embed_their_contacts() {
    let books =
        PhoneBook::list_from_xml(&fixture("phone_books/team_resource_variant.xml")).unwrap();
    assert_eq!(books[0].contacts_uri, None);
    assert_eq!(books[0].contacts.len(), 2);
    let kathy = &books[0].contacts[0];
    assert_eq!(kathy.full_name(), "Kathy Wong");
    assert_eq!(kathy.phone_number, "5054");
    assert_eq!(kathy.id.as_deref(), Some("1"));
    assert_eq!(
        books[0].contacts[1].full_name(),
        "+18005550100",
        "nameless contact"
    );
    assert_eq!(books[1].id, None);
    assert_eq!(books[1].name, "Team Escalations");
    assert!(books[1].contacts.is_empty());
}

#[test]
fn contacts_list_is_read_in_any_element_order() {
    let contacts = Contact::list_from_xml(&fixture("phone_books/contacts.xml")).unwrap();
    assert_eq!(contacts.len(), 2);
    assert_eq!(contacts[1].first_name.as_deref(), Some("Omar"));
    assert_eq!(contacts[1].description.as_deref(), Some("Night desk"));
    assert_eq!(contacts[1].id.as_deref(), Some("3"));
}

#[test]
fn queue_statistics_read_and_minus_one_means_unavailable() {
    let queues = Queue::list_from_xml(&fixture("queues/user_queues.xml")).unwrap();
    let sales = &queues[0];
    assert_eq!(sales.id, "1234");
    assert_eq!(sales.name.as_deref(), Some("Sales"));
    let s = &sales.statistics;
    assert_eq!(s.calls_in_queue, Some(3));
    assert_eq!(s.agents_ready, Some(1));
    assert_eq!(s.agents_not_ready, Some(2));
    assert_eq!(s.agents_busy_other, Some(0));
    assert_eq!(s.agents_logged_on, Some(1));
    assert_eq!(s.agents_talking_inbound, Some(3));
    assert_eq!(s.agents_talking_outbound, Some(4));
    assert_eq!(s.agents_talking_internal, Some(5));
    assert_eq!(s.agents_wrap_up_not_ready, Some(6));
    assert_eq!(s.agents_wrap_up_ready, Some(7));
    assert_eq!(
        sales
            .start_time_of_longest_call_in_queue()
            .unwrap()
            .to_rfc3339(),
        "2012-02-15T17:58:21+00:00"
    );
    let unassigned = &queues[1].statistics;
    assert_eq!(unassigned.calls_in_queue, None);
    assert_eq!(unassigned.agents_wrap_up_ready, None);
    assert_eq!(unassigned.start_time_of_longest_call_in_queue, None);
}

#[test]
fn single_queue_document_is_read() {
    let queue = Queue::from_xml(&fixture("queues/single_queue.xml")).unwrap();
    assert_eq!(queue.id, "1400");
    assert_eq!(queue.statistics.agents_logged_on, Some(4));
    assert_eq!(queue.statistics.calls_in_queue, Some(0));
    assert_eq!(queue.statistics.agents_ready, None);
}

#[test]
fn team_members_read_both_reason_code_spellings() {
    let team = Team::from_xml(&fixture("team/team.xml")).unwrap();
    assert_eq!(team.id, "34");
    assert_eq!(team.name.as_deref(), Some("My Team"));
    assert_eq!(team.users.len(), 3);
    let jack = team.member("1235").unwrap();
    assert_eq!(jack.full_name(), "Jack Brawn");
    assert_eq!(jack.state, AgentState::NotReady);
    assert_eq!(jack.reason_code.as_ref().unwrap().label, "Lunch Break");
    assert_eq!(jack.extension.as_deref(), Some("1001002"));
    assert_eq!(
        jack.dialogs_uri.as_deref(),
        Some("/finesse/api/User/1235/Dialogs")
    );
    assert!(jack.state_changed_at().is_some());
    let mei = team.member("1236").unwrap();
    assert_eq!(mei.pending_state, Some(AgentState::NotReady));
    assert_eq!(mei.media_state.as_deref(), Some("BUSY"));
    let sam = team.member("1237").unwrap();
    assert_eq!(sam.state, AgentState::Logout);
    assert_eq!(sam.extension, None);
    assert_eq!(sam.reason_code_id, None);
    let system = sam.reason_code.as_ref().expect("upper-case ReasonCode");
    assert_eq!(system.code, Some(50002));
    assert_eq!(system.category, ReasonCategory::Logout);
    assert!(system.system_code);
    assert_eq!(system.id, "", "a system code may carry no id");
}

#[test]
fn ucce_12_6_system_info_reads_nodes_and_cti_servers() {
    let info = SystemInfo::from_xml(&fixture("system_info/ucce_12_6.xml")).unwrap();
    assert!(info.is_in_service());
    assert_eq!(info.deployment_type, Some(DeploymentType::Ucce));
    assert_eq!(info.xmpp_domain.as_deref(), Some("fin-a.example.com"));
    assert_eq!(
        info.xmpp_pubsub_domain.as_deref(),
        Some("pubsub.fin-a.example.com")
    );
    let primary = info.primary_node.as_ref().unwrap();
    assert_eq!(primary.host, "fin-a.example.com");
    assert_eq!(primary.https_port, Some(8445));
    assert_eq!(primary.xmpp_port, Some(5222));
    assert_eq!(primary.xmpp_secure_port, Some(5223));
    assert_eq!(info.timezone_offset, Some(330));
    assert_eq!(info.system_auth_mode.as_deref(), Some("NON_SSO"));
    assert_eq!(info.peripheral_id.as_deref(), Some("5000"));
    assert_eq!(info.cti_version.as_deref(), Some("23"));
    assert_eq!(info.cti_heartbeat_interval, Some(2));
    assert_eq!(info.status_reason, None);
    assert_eq!(info.cti_servers.len(), 2);
    assert_eq!(info.cti_servers[0].active, Some(true));
    assert_eq!(
        info.current_time().unwrap().to_rfc3339(),
        "2022-05-05T07:34:07.188+00:00"
    );
    assert_eq!(
        info.alternate_host("fin-a.example.com"),
        Some("fin-b.example.com")
    );
    assert_eq!(
        info.alternate_host("FIN-B.example.com"),
        Some("fin-a.example.com")
    );
    assert_eq!(
        info.alternate_host("10.0.0.5"),
        Some("fin-b.example.com"),
        "unknown host: placed by xmppDomain"
    );
}

#[test]
fn uccx_12_5_system_info_from_the_secondary_node() {
    let info = SystemInfo::from_xml(&fixture("system_info/uccx_12_5_secondary.xml")).unwrap();
    assert_eq!(info.deployment_type, Some(DeploymentType::Uccx));
    assert_eq!(info.primary_node.as_ref().unwrap().https_port, None);
    assert_eq!(info.timezone_offset, Some(-300));
    assert_eq!(
        info.alternate_host("192.0.2.10"),
        Some("ccx-pub.example.com")
    );
}

#[test]
fn single_node_out_of_service_has_no_alternate() {
    let info =
        SystemInfo::from_xml(&fixture("system_info/single_node_out_of_service.xml")).unwrap();
    assert_eq!(info.status, SystemStatus::OutOfService);
    assert!(!info.is_in_service());
    assert_eq!(
        info.status_reason.as_deref(),
        Some("CTI server connection lost")
    );
    assert_eq!(info.secondary_node, None, "empty host means no node");
    assert_eq!(info.alternate_host("fin-solo.example.com"), None);
}

#[test]
fn unknown_status_is_not_in_service() {
    let info = SystemInfo::from_xml(&fixture("system_info/partial_outage.xml")).unwrap();
    assert_eq!(info.status, SystemStatus::Other("PARTIAL_SERVICE".into()));
    assert!(!info.is_in_service());
    assert_eq!(
        info.deployment_type,
        Some(DeploymentType::Other("PCCE".into()))
    );
    assert_eq!(info.alternate_host("anything"), None);
}

#[test]
fn http_api_errors_read_in_any_element_order() {
    for (path, error_type, message, data) in [
        (
            "api_errors/authorization_failure.xml",
            "Authorization Failure",
            Some("UNAUTHORIZED"),
            Some("jsmith"),
        ),
        (
            "api_errors/invalid_input_data_first.xml",
            "Invalid Input",
            Some("Invalid State specified for user"),
            Some("state"),
        ),
        (
            "api_errors/out_of_service.xml",
            "Service Unavailable",
            Some("SERVER_OUT_OF_SERVICE"),
            None,
        ),
        (
            "api_errors/user_not_found.xml",
            "User Not Found",
            Some("UNKNOWN_USER"),
            Some("4023"),
        ),
    ] {
        let errors = ApiError::list_from_xml(&fixture(path)).unwrap();
        assert_eq!(errors.len(), 1, "{path}");
        assert_eq!(errors[0].error_type.as_deref(), Some(error_type), "{path}");
        assert_eq!(errors[0].error_message.as_deref(), message, "{path}");
        assert_eq!(errors[0].error_data.as_deref(), data, "{path}");
    }
}

#[test]
fn several_http_api_errors_are_all_kept() {
    let errors =
        ApiError::list_from_xml(&fixture("api_errors/two_errors_message_first.xml")).unwrap();
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].error_type.as_deref(), Some("Parameter Missing"));
    assert_eq!(errors[1].error_type.as_deref(), Some("Invalid Destination"));
    assert_eq!(
        errors[1].to_string(),
        "Invalid Destination: toAddress and fromAddress cannot be the same: fromAddress"
    );
}

#[test]
fn api_errors_with_a_foreign_root_are_rejected() {
    let err = ApiError::list_from_xml(&fixture("team/team.xml")).unwrap_err();
    assert_eq!(err.code(), "unexpected_root");
}
