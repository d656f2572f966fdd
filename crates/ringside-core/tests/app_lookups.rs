//! Reason codes, wrap-up reasons, phone books, settings and alerts through the app (fake
//! keychain and ring: see `app_support`).
// A test that cannot go on should stop right there, with the reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod app_support;

use app_support::*;
use ringside_core::app::MAX_CONTACT_RESULTS;
use ringside_core::desk::{AlertLevel, CallState};

#[tokio::test]
async fn lookups_are_loaded_after_sign_in() {
    let rig = rig().await;
    let before = rig.app.get_lookups().await.unwrap();
    assert!(
        before.not_ready_reasons.is_empty(),
        "nothing before sign-in"
    );

    sign_in_agent(&rig).await;
    let lookups = within("lookups", rig.app.get_lookups()).await.unwrap();

    let labels = |reasons: &[ringside_core::desk::ReasonOption]| {
        reasons.iter().map(|r| r.label.clone()).collect::<Vec<_>>()
    };
    // Team 1 (Sales) does not see Support's "Training".
    assert_eq!(
        labels(&lookups.not_ready_reasons),
        ["Lunch", "Break", "Team Meeting"]
    );
    assert_eq!(
        labels(&lookups.logout_reasons),
        ["End of Shift", "Personal"]
    );
    assert_eq!(
        lookups.wrap_up_reasons,
        [
            "Sale Completed",
            "Product Question",
            "Complaint",
            "Wrong Number"
        ]
    );
    rig.lab.shutdown().await;
}

#[tokio::test]
async fn call_data_is_labelled_by_the_servers_layout() {
    let rig = rig().await;
    ready_agent(&rig).await;
    within("lookups", rig.app.get_lookups()).await.unwrap();
    customer_call(&rig.lab);
    let desk = wait_desk(&rig.app, "the ringing call", |d| {
        d.calls.iter().any(|c| c.state == CallState::Ringing)
    })
    .await;
    let data = &desk.calls[0].call_data;
    let name = data
        .iter()
        .find(|item| item.value == "Ada Lovelace")
        .unwrap();
    assert_eq!(name.label, "Customer Name");
    rig.lab.shutdown().await;
}

#[tokio::test]
async fn contacts_are_found_by_name_and_number() {
    let rig = rig().await;
    let error = rig.app.search_contacts("kathy".into()).await.unwrap_err();
    assert_eq!(error.code, "not_connected", "phone books need a session");
    sign_in_agent(&rig).await;

    let found = within("search", rig.app.search_contacts("KATHY".into()))
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].name, "Kathy Wong");
    assert_eq!(found[0].number, "5054");
    assert_eq!(found[0].phone_book, "Company Directory");

    let by_number = rig.app.search_contacts("555-0102".into()).await.unwrap();
    assert_eq!(
        by_number
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["Lena Hart"]
    );
    let everyone = rig.app.search_contacts(String::new()).await.unwrap();
    assert_eq!(everyone.len(), 5);
    assert!(everyone.len() <= MAX_CONTACT_RESULTS);
    rig.lab.shutdown().await;
}

#[tokio::test]
async fn settings_are_saved_and_audio_outputs_listed() {
    let rig = rig().await;
    let mut settings = rig.app.get_settings().await.unwrap();
    assert_eq!(
        settings.builtin_ringtones,
        ["builtin:classic", "builtin:digital", "builtin:soft"]
    );
    settings.output_device = Some("USB Headset".into());
    rig.app.save_settings(settings.clone()).await.unwrap();
    assert_eq!(rig.app.get_settings().await.unwrap(), settings);
    // Written to the user's file: a fresh start reads it back.
    let reloaded = settings_in(rig.config_dir.path()).view(settings.builtin_ringtones.clone());
    assert_eq!(reloaded.output_device.as_deref(), Some("USB Headset"));

    settings.volume = 1.5;
    let error = rig.app.save_settings(settings).await.unwrap_err();
    assert_eq!(error.code, "invalid_request");

    assert_eq!(
        rig.app.list_audio_outputs().await.unwrap(),
        ["default", "USB Headset"]
    );
    rig.lab.shutdown().await;
}

#[tokio::test]
async fn each_ring_warning_becomes_one_alert_once() {
    use ringside_core::ring::RingWarning;
    let rig = rig().await;
    ready_agent(&rig).await;
    let no_device = RingWarning::NoAudioDevice {
        detail: "no card".into(),
    };

    rig.ring.report(vec![no_device.clone()]);

    let desk = wait_desk(&rig.app, "the alert", |d| !d.alerts.is_empty()).await;
    let alert = desk.alerts[0].clone();
    assert_eq!(alert.code, "no_audio_device");
    assert_eq!(alert.level, AlertLevel::Warning);
    rig.app.dismiss_alert(alert.id).await.unwrap();
    wait_desk(&rig.app, "no alert", |d| d.alerts.is_empty()).await;

    // Reported again together with something new: only the new one is shown.
    rig.ring.report(vec![
        no_device,
        RingWarning::DeviceNotFound {
            name: "USB Headset".into(),
        },
    ]);
    let desk = wait_desk(&rig.app, "the new alert", |d| !d.alerts.is_empty()).await;
    let codes: Vec<&str> = desk.alerts.iter().map(|a| a.code.as_str()).collect();
    assert_eq!(codes, ["audio_device_not_found"]);
    let error = rig.app.dismiss_alert(alert.id).await.unwrap_err();
    assert_eq!(error.code, "invalid_request");
    rig.lab.shutdown().await;
}
