//! Settings layering: defaults < IT's system file < the user's file < the command line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use ringside_core::desk::{SettingsView, Theme};
use ringside_core::settings::{
    Layer, SettingsLayer, SettingsPaths, SettingsStore, XmppTransport, DEFAULT_HTTPS_PORT,
    DEFAULT_RINGTONE,
};

fn fixture(name: &str) -> Option<PathBuf> {
    Some(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/settings")
            .join(name),
    )
}

fn load(system: &str, user: &str) -> SettingsStore {
    load_with(system, user, SettingsLayer::default())
}

fn load_with(system: &str, user: &str, command_line: SettingsLayer) -> SettingsStore {
    SettingsStore::load(
        SettingsPaths {
            system: fixture(system),
            user: fixture(user),
        },
        command_line,
    )
}

fn codes(store: &SettingsStore) -> Vec<(Layer, &'static str, Option<String>)> {
    store
        .warnings()
        .iter()
        .map(|w| (w.layer, w.code, w.key.clone()))
        .collect()
}

#[test]
fn built_in_defaults_apply_when_no_file_exists() {
    let store = load("absent.toml", "absent.json");
    let settings = store.settings();
    assert!(store.warnings().is_empty(), "a missing file is normal");
    assert_eq!(settings.https_port, DEFAULT_HTTPS_PORT);
    assert_eq!(settings.ringtone, DEFAULT_RINGTONE);
    assert!(settings.pop_up_enabled);
    assert_eq!(settings.theme, Theme::System);
    assert_eq!(settings.nodes.a, None);
    assert!(!settings.nodes.locked);
    assert!(!settings.features.local_api);
}

#[test]
fn the_system_file_overrides_defaults_and_the_user_file_overrides_it() {
    let store = load("system_unlocked.toml", "user.json");
    let settings = store.settings();
    assert!(store.warnings().is_empty(), "{:?}", store.warnings());

    // From IT only.
    assert_eq!(settings.https_port, 9443);
    assert_eq!(settings.output_device.as_deref(), Some("Headset (USB)"));
    // The user's own choices win over IT's presets when IT did not lock them.
    assert_eq!(settings.nodes.a.as_deref(), Some("fin-test-a.example"));
    assert_eq!(settings.nodes.b.as_deref(), Some("fin-test-b.example"));
    assert_eq!(settings.volume, 0.9);
    assert_eq!(settings.ringtone, "builtin:bell");
    assert!(!settings.pop_up_enabled);
    assert_eq!(settings.theme, Theme::Dark);
    assert_eq!(settings.language.as_deref(), Some("de"));
    assert_eq!(settings.last_user.as_deref(), Some("csmith"));
    assert_eq!(settings.window.unwrap().width, 380);
}

#[test]
fn the_command_line_overrides_the_user_file() {
    let command_line = SettingsLayer {
        volume: Some(0.1),
        theme: Some(Theme::Light),
        ..SettingsLayer::default()
    };
    let settings = load_with("system_unlocked.toml", "user.json", command_line).settings();
    assert_eq!(settings.volume, 0.1);
    assert_eq!(settings.theme, Theme::Light);
    assert_eq!(
        settings.ringtone, "builtin:bell",
        "untouched by the command line"
    );
}

#[test]
fn nodes_locked_by_it_win_over_the_user_and_the_command_line() {
    let mut command_line = SettingsLayer::default();
    command_line.nodes.a = Some("127.0.0.1:8445".to_owned());
    let store = load_with("system_locked.toml", "user.json", command_line);
    let settings = store.settings();

    assert!(settings.nodes.locked);
    assert_eq!(settings.nodes.a.as_deref(), Some("fin-a.corp.example"));
    assert_eq!(settings.nodes.b.as_deref(), Some("fin-b.corp.example"));
    assert_eq!(
        settings.extra_ca_file,
        Some(PathBuf::from("/etc/ringside/company-ca.pem"))
    );
    assert_eq!(settings.xmpp_transport, Some(XmppTransport::Websocket));
    // Only the nodes are locked: the user's volume still beats IT's preset.
    assert_eq!(settings.volume, 0.9);

    let defaults = store.sign_in_defaults(false);
    assert!(defaults.nodes_locked);
    assert_eq!(defaults.node_a, "fin-a.corp.example");
    assert_eq!(defaults.user, "csmith");
    assert_eq!(defaults.extension, "1001001");
}

#[test]
fn features_are_set_by_it_and_never_by_the_user_file() {
    let store = load("system_locked.toml", "user_bad_values.json");
    let features = store.settings().features;
    assert!(features.local_api, "IT switched it on");
    assert!(!features.updates, "IT switched it off");
    assert!(features.screen_pop, "default");
    assert!(codes(&store).contains(&(Layer::User, "set_by_it", Some("features".to_owned()))));

    // The user's file asks for local_api too, but with IT silent it stays at the default.
    let store = load("absent.toml", "user_bad_values.json");
    assert!(!store.settings().features.local_api);
}

#[test]
fn a_broken_system_file_costs_only_that_layer_and_says_so() {
    let store = load("system_broken.toml", "user.json");
    let settings = store.settings();

    let warnings = store.warnings();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].layer, Layer::System);
    assert_eq!(warnings[0].code, "file_invalid");
    assert!(
        warnings[0].message.contains("line 2"),
        "{}",
        warnings[0].message
    );
    assert_eq!(settings.https_port, DEFAULT_HTTPS_PORT);
    assert!(!settings.nodes.locked);
    // Every user setting still applies.
    assert_eq!(settings.nodes.a.as_deref(), Some("fin-test-a.example"));
    assert_eq!(settings.volume, 0.9);
}

#[test]
fn a_broken_user_file_keeps_the_system_layer() {
    let store = load("system_unlocked.toml", "user_broken.json");
    let settings = store.settings();
    assert_eq!(codes(&store), vec![(Layer::User, "file_invalid", None)]);
    assert_eq!(
        settings.volume, 0.5,
        "IT's value, the user's file being unreadable"
    );
    assert_eq!(settings.theme, Theme::System);
    assert_eq!(settings.https_port, 9443);
}

#[test]
fn an_unreadable_file_is_a_warning_not_a_crash() {
    // A folder where the file should be cannot be read as one.
    let store = SettingsStore::load(
        SettingsPaths {
            system: Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")),
            user: None,
        },
        SettingsLayer::default(),
    );
    assert_eq!(
        codes(&store),
        vec![(Layer::System, "file_unreadable", None)]
    );
    assert_eq!(store.settings().https_port, DEFAULT_HTTPS_PORT);
}

#[test]
fn one_bad_value_costs_only_that_value() {
    let store = load("absent.toml", "user_bad_values.json");
    let settings = store.settings();

    let found = codes(&store);
    assert!(found.contains(&(Layer::User, "value_invalid", Some("volume".to_owned()))));
    assert!(found.contains(&(Layer::User, "set_by_it", Some("nodes.locked".to_owned()))));
    assert_eq!(settings.theme, Theme::Dark);
    assert!(settings.start_minimised);
    assert_eq!(settings.nodes.a.as_deref(), Some("fin-home.example"));
    assert_eq!(settings.volume, ringside_core::settings::DEFAULT_VOLUME);
}

#[test]
fn typos_in_the_system_file_are_named_and_the_rest_applies() {
    let store = load("system_typos.toml", "absent.json");
    let settings = store.settings();

    let found = codes(&store);
    for expected in [
        (
            Layer::System,
            "setting_unknown",
            Some("extra_ca".to_owned()),
        ),
        (
            Layer::System,
            "value_invalid",
            Some("https_port".to_owned()),
        ),
        (
            Layer::System,
            "value_invalid",
            Some("nodes.locked".to_owned()),
        ),
        (
            Layer::System,
            "setting_unknown",
            Some("features.screen_popp".to_owned()),
        ),
    ] {
        assert!(found.contains(&expected), "{expected:?} not in {found:?}");
    }
    assert_eq!(found.len(), 4);
    assert_eq!(settings.volume, 0.4);
    assert_eq!(settings.nodes.a.as_deref(), Some("fin-a.corp.example"));
    assert!(!settings.nodes.locked, "an unreadable lock does not lock");
    assert!(!settings.features.updates);
    assert_eq!(settings.https_port, DEFAULT_HTTPS_PORT);
}

#[test]
fn the_settings_screen_shows_the_resolved_values() {
    let store = load("system_unlocked.toml", "user.json");
    let view = store.view(vec![
        "builtin:classic".to_owned(),
        "builtin:bell".to_owned(),
    ]);
    assert_eq!(view.ringtone, "builtin:bell");
    assert_eq!(view.volume, 0.9);
    assert_eq!(view.output_device.as_deref(), Some("Headset (USB)"));
    assert!(!view.pop_up_enabled);
    assert_eq!(view.theme, Theme::Dark);
    assert_eq!(view.language.as_deref(), Some("de"));
    assert_eq!(view.builtin_ringtones.len(), 2);
}

#[test]
fn saving_the_screen_records_only_what_the_agent_changed() {
    let mut store = load("system_unlocked.toml", "absent.json");
    let mut view: SettingsView = store.view(Vec::new());
    view.theme = Theme::Dark;
    store.apply_view(&view);

    let user = store.user_layer();
    assert_eq!(user.theme, Some(Theme::Dark));
    assert_eq!(user.volume, None, "IT's 0.5 was shown and left alone");
    assert_eq!(user.output_device, None);
    assert_eq!(store.settings().volume, 0.5);
}

#[test]
fn choosing_what_it_presets_again_stops_overriding_it() {
    let mut store = load("system_unlocked.toml", "absent.json");
    let mut view = store.view(Vec::new());
    view.volume = 0.7;
    view.output_device = None;
    store.apply_view(&view);
    assert_eq!(store.user_layer().volume, Some(0.7));
    // The system default output, over IT's headset: kept as an explicit "none".
    assert_eq!(store.user_layer().output_device.as_deref(), Some(""));
    assert_eq!(store.settings().output_device, None);

    let mut view = store.view(Vec::new());
    view.volume = 0.5;
    view.output_device = Some("Headset (USB)".to_owned());
    store.apply_view(&view);
    assert_eq!(store.user_layer().volume, None);
    assert_eq!(store.user_layer().output_device, None);
    assert_eq!(
        store.settings().output_device.as_deref(),
        Some("Headset (USB)")
    );
}

#[test]
fn volume_from_the_screen_is_kept_between_silent_and_full() {
    let mut store = load("absent.toml", "absent.json");
    let mut view = store.view(Vec::new());
    view.volume = 1.7;
    store.apply_view(&view);
    assert_eq!(store.settings().volume, 1.0);
}
