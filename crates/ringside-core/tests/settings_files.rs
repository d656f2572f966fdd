//! Saving settings: only the user's file, atomically, and never a password.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use ringside_core::desk::{MobileAgentForm, SignInDevice, SignInForm, Theme};
use ringside_core::settings::{SettingsLayer, SettingsPaths, SettingsStore, WindowGeometry};

fn system_fixture(name: &str) -> Option<PathBuf> {
    Some(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/settings")
            .join(name),
    )
}

fn store_in(folder: &Path, system: &str) -> SettingsStore {
    SettingsStore::load(
        SettingsPaths {
            system: system_fixture(system),
            user: Some(folder.join("ringside").join("settings.json")),
        },
        SettingsLayer::default(),
    )
}

fn sign_in_form() -> SignInForm {
    SignInForm {
        node_a: "fin-a.example.com".to_owned(),
        node_b: Some("fin-b.example.com".to_owned()),
        user: "csmith".to_owned(),
        password: "hunter2-Secret!".to_owned(),
        extension: "1001001".to_owned(),
        mobile_agent: Some(MobileAgentForm {
            mode: "CALL_BY_CALL".to_owned(),
            dial_number: "4085551234".to_owned(),
        }),
        device_id: None,
        remember_me: true,
    }
}

#[test]
fn saved_settings_read_back_the_same() {
    let folder = tempfile::tempdir().unwrap();
    let mut store = store_in(folder.path(), "absent.toml");
    let mut view = store.view(Vec::new());
    view.theme = Theme::Dark;
    view.volume = 0.35;
    view.language = Some("de".to_owned());
    store.apply_view(&view);
    store.remember_sign_in(&sign_in_form());
    store.remember_window(WindowGeometry {
        x: 10,
        y: 20,
        width: 400,
        height: 660,
        maximised: false,
    });

    store.save().unwrap();

    let reloaded = store_in(folder.path(), "absent.toml");
    assert!(reloaded.warnings().is_empty(), "{:?}", reloaded.warnings());
    assert_eq!(reloaded.settings(), store.settings());
    assert_eq!(reloaded.user_layer(), store.user_layer());
    assert_eq!(
        reloaded.settings().nodes.b.as_deref(),
        Some("fin-b.example.com")
    );
}

#[test]
fn saving_leaves_no_temporary_file_behind_and_replaces_the_old_one() {
    let folder = tempfile::tempdir().unwrap();
    let mut store = store_in(folder.path(), "absent.toml");
    store.save().unwrap();
    let mut view = store.view(Vec::new());
    view.pop_up_enabled = false;
    store.apply_view(&view);
    store.save().unwrap();

    let files: Vec<String> = std::fs::read_dir(folder.path().join("ringside"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, vec!["settings.json"]);
    let text = std::fs::read_to_string(folder.path().join("ringside/settings.json")).unwrap();
    assert!(text.contains("\"pop_up_enabled\": false"), "{text}");
}

#[test]
fn saving_writes_only_the_user_layer() {
    let folder = tempfile::tempdir().unwrap();
    let mut store = store_in(folder.path(), "system_locked.toml");
    let mut view = store.view(Vec::new());
    view.theme = Theme::Light;
    store.apply_view(&view);
    store.remember_sign_in(&sign_in_form());
    store.save().unwrap();

    let text = std::fs::read_to_string(folder.path().join("ringside/settings.json")).unwrap();
    let saved: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(saved["theme"], "light");
    assert_eq!(saved["last_user"], "csmith");
    for from_it in [
        "https_port",
        "extra_ca_file",
        "features",
        "nodes",
        "xmpp_transport",
    ] {
        assert!(
            saved.get(from_it).is_none(),
            "{from_it} leaked into the user file: {text}"
        );
    }
    assert!(
        !text.contains("corp.example"),
        "IT's nodes are not the user's: {text}"
    );
}

#[test]
fn no_password_is_ever_written() {
    let folder = tempfile::tempdir().unwrap();
    let mut store = store_in(folder.path(), "absent.toml");
    store.remember_sign_in(&sign_in_form());
    store.save().unwrap();

    let text = std::fs::read_to_string(folder.path().join("ringside/settings.json")).unwrap();
    assert!(
        text.contains("csmith"),
        "the sign-in was remembered: {text}"
    );
    assert!(!text.contains("hunter2"), "{text}");
    assert!(!text.to_lowercase().contains("password"), "{text}");
    // Not in the resolved settings either, which the shell may log or send to the UI.
    let resolved = serde_json::to_string(&store.settings()).unwrap();
    assert!(!resolved.contains("hunter2") && !resolved.to_lowercase().contains("password"));
}

#[test]
fn saving_replaces_a_broken_user_file_and_its_warning_goes() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("ringside/settings.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "{ \"theme\": ").unwrap();

    let mut store = store_in(folder.path(), "absent.toml");
    assert_eq!(store.warnings().len(), 1);
    store.save().unwrap();

    assert!(store.warnings().is_empty());
    assert!(store_in(folder.path(), "absent.toml").warnings().is_empty());
}

#[test]
fn a_save_that_cannot_write_says_why_and_keeps_the_old_file() {
    let folder = tempfile::tempdir().unwrap();
    // A file where the settings folder should be.
    std::fs::write(folder.path().join("ringside"), "not a folder").unwrap();
    let mut store = store_in(folder.path(), "absent.toml");

    let error = store.save().unwrap_err();
    assert_eq!(error.code(), "settings_write_failed");
    assert_eq!(
        std::fs::read_to_string(folder.path().join("ringside")).unwrap(),
        "not a folder"
    );
}

#[test]
fn without_a_user_folder_saving_is_refused() {
    let mut store = SettingsStore::load(
        SettingsPaths {
            system: None,
            user: None,
        },
        SettingsLayer::default(),
    );
    assert_eq!(store.save().unwrap_err().code(), "settings_no_user_folder");
}

#[test]
fn nodes_locked_by_it_are_not_remembered_from_the_sign_in() {
    let folder = tempfile::tempdir().unwrap();
    let mut store = store_in(folder.path(), "system_locked.toml");
    store.remember_sign_in(&sign_in_form());
    assert_eq!(store.user_layer().nodes.a, None);
    assert_eq!(
        store.user_layer().last_extension.as_deref(),
        Some("1001001")
    );
}

fn desk_phone() -> SignInDevice {
    SignInDevice {
        id: "SEP00AABBCC5016".to_owned(),
        type_name: Some("Cisco 7821".to_owned()),
    }
}

fn soft_phone() -> SignInDevice {
    SignInDevice {
        id: "CSFJP5550016".to_owned(),
        type_name: None,
    }
}

#[test]
fn the_phones_of_a_shared_line_and_the_chosen_one_come_back_next_time() {
    let folder = tempfile::tempdir().unwrap();
    let mut store = store_in(folder.path(), "absent.toml");
    let mut form = sign_in_form();
    form.device_id = Some("SEP00AABBCC5016".to_owned());
    store.remember_sign_in(&form);
    store.remember_shared_line(&[soft_phone(), desk_phone()]);
    store.save().unwrap();

    let text = std::fs::read_to_string(folder.path().join("ringside/settings.json")).unwrap();
    let saved: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(saved["last_device_id"], "SEP00AABBCC5016");
    assert_eq!(
        saved["shared_line_devices"],
        serde_json::json!([
            { "id": "CSFJP5550016" },
            { "id": "SEP00AABBCC5016", "type_name": "Cisco 7821" },
        ])
    );
    let reloaded = store_in(folder.path(), "absent.toml");
    assert!(reloaded.warnings().is_empty(), "{:?}", reloaded.warnings());
    let defaults = reloaded.sign_in_defaults(false);
    assert_eq!(defaults.devices, vec![soft_phone(), desk_phone()]);
    assert_eq!(defaults.device_id.as_deref(), Some("SEP00AABBCC5016"));
}

#[test]
fn a_line_no_longer_shared_forgets_its_phones() {
    let folder = tempfile::tempdir().unwrap();
    let mut store = store_in(folder.path(), "absent.toml");
    let mut form = sign_in_form();
    form.device_id = Some("SEP00AABBCC5016".to_owned());
    store.remember_sign_in(&form);
    store.remember_shared_line(&[soft_phone(), desk_phone()]);

    form.device_id = None;
    store.remember_sign_in(&form);
    store.remember_shared_line(&[]);
    store.save().unwrap();

    let text = std::fs::read_to_string(folder.path().join("ringside/settings.json")).unwrap();
    assert!(!text.contains("device"), "{text}");
    let defaults = store_in(folder.path(), "absent.toml").sign_in_defaults(false);
    assert!(defaults.devices.is_empty());
    assert_eq!(defaults.device_id, None);
}

#[test]
fn a_remembered_phone_the_line_no_longer_has_is_not_pre_selected() {
    let folder = tempfile::tempdir().unwrap();
    let mut store = store_in(folder.path(), "absent.toml");
    let mut form = sign_in_form();
    form.device_id = Some("SEP0000DEAD0000".to_owned());
    store.remember_sign_in(&form);
    store.remember_shared_line(&[soft_phone(), desk_phone()]);

    let defaults = store.sign_in_defaults(false);
    assert_eq!(defaults.devices.len(), 2);
    assert_eq!(defaults.device_id, None);
}
