//! One layer of settings: only what that layer says, each value optional.
//!
//! Files are read key by key, so one bad value costs that value (with a warning naming it),
//! never the rest of the file and never another layer.
use std::path::PathBuf;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use super::error::{Layer, SettingsWarning};
use super::model::{SavedDevice, Settings, WindowGeometry, XmppTransport};
use crate::desk::Theme;

/// What one layer (system file, user file, command line) sets. Keys are snake_case in both
/// the TOML and the JSON file. There is no password field: passwords live in the keychain.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SettingsLayer {
    #[serde(skip_serializing_if = "NodesLayer::is_empty")]
    pub nodes: NodesLayer,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub https_port: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub xmpp_transport: Option<XmppTransport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra_ca_file: Option<PathBuf>,
    /// Only the system file and the command line may set features.
    #[serde(skip_serializing_if = "FeaturesLayer::is_empty")]
    pub features: FeaturesLayer,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ringtone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume: Option<f32>,
    /// `""` means the system default output (overriding a lower layer's device).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_device: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pop_up_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_minimised: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theme: Option<Theme>,
    /// `""` means follow the OS (overriding a lower layer's language).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_user: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_extension: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_device_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shared_line_devices: Option<Vec<SavedDevice>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<WindowGeometry>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NodesLayer {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub a: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub b: Option<String>,
    /// Only the system file may lock the nodes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locked: Option<bool>,
}

impl NodesLayer {
    fn is_empty(&self) -> bool {
        *self == NodesLayer::default()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FeaturesLayer {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub screen_pop: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local_api: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global_hotkeys: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub click_to_dial: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_history: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updates: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub autostart: Option<bool>,
}

impl FeaturesLayer {
    fn is_empty(&self) -> bool {
        *self == FeaturesLayer::default()
    }
}

impl SettingsLayer {
    /// Reads a layer from a parsed file (a TOML table or a JSON object), keeping every value
    /// that reads and warning about each one that does not.
    pub(super) fn from_value(
        value: Value,
        layer: Layer,
        warnings: &mut Vec<SettingsWarning>,
    ) -> Self {
        let Value::Object(map) = value else {
            warnings.push(SettingsWarning::file_invalid(
                layer,
                "the file is not a table of settings",
            ));
            return SettingsLayer::default();
        };
        let mut fields = Fields::new(map, layer, "", warnings);
        let nodes = fields.table("nodes").map(|mut nodes| {
            let read = NodesLayer {
                a: nodes.take("a"),
                b: nodes.take("b"),
                locked: nodes.take_it_only("locked"),
            };
            nodes.finish();
            read
        });
        let features = if layer == Layer::User {
            fields.refuse_it_only("features");
            None
        } else {
            fields.table("features").map(|mut f| {
                let read = FeaturesLayer {
                    screen_pop: f.take("screen_pop"),
                    local_api: f.take("local_api"),
                    global_hotkeys: f.take("global_hotkeys"),
                    click_to_dial: f.take("click_to_dial"),
                    call_history: f.take("call_history"),
                    updates: f.take("updates"),
                    autostart: f.take("autostart"),
                };
                f.finish();
                read
            })
        };
        let read = SettingsLayer {
            nodes: nodes.unwrap_or_default(),
            https_port: fields.take("https_port"),
            xmpp_transport: fields.take("xmpp_transport"),
            extra_ca_file: fields.take("extra_ca_file"),
            features: features.unwrap_or_default(),
            ringtone: fields.take("ringtone"),
            volume: fields.take("volume"),
            output_device: fields.take("output_device"),
            pop_up_enabled: fields.take("pop_up_enabled"),
            start_minimised: fields.take("start_minimised"),
            theme: fields.take("theme"),
            language: fields.take("language"),
            last_user: fields.take("last_user"),
            last_extension: fields.take("last_extension"),
            last_device_id: fields.take("last_device_id"),
            shared_line_devices: fields.take("shared_line_devices"),
            window: fields.take("window"),
        };
        fields.finish();
        read
    }

    /// Lays this layer over `settings`. Nodes locked by a lower layer stay as they are;
    /// `locked` counts only from the system file and features only from the system file and
    /// the command line.
    pub(super) fn apply_to(&self, settings: &mut Settings, layer: Layer) {
        if !settings.nodes.locked {
            set(&mut settings.nodes.a, &self.nodes.a);
            set(&mut settings.nodes.b, &self.nodes.b);
            if layer == Layer::System {
                settings.nodes.locked = self.nodes.locked.unwrap_or(false);
            }
        }
        if layer != Layer::User {
            let (f, to) = (&self.features, &mut settings.features);
            for (value, slot) in [
                (f.screen_pop, &mut to.screen_pop),
                (f.local_api, &mut to.local_api),
                (f.global_hotkeys, &mut to.global_hotkeys),
                (f.click_to_dial, &mut to.click_to_dial),
                (f.call_history, &mut to.call_history),
                (f.updates, &mut to.updates),
                (f.autostart, &mut to.autostart),
            ] {
                if let Some(value) = value {
                    *slot = value;
                }
            }
        }
        if let Some(port) = self.https_port.filter(|port| *port != 0) {
            settings.https_port = port;
        }
        set(&mut settings.xmpp_transport, &self.xmpp_transport);
        set(&mut settings.extra_ca_file, &self.extra_ca_file);
        if let Some(ringtone) = self.ringtone.as_ref().filter(|r| !r.trim().is_empty()) {
            settings.ringtone = ringtone.clone();
        }
        if let Some(volume) = self.volume.filter(|v| v.is_finite()) {
            settings.volume = volume.clamp(0.0, 1.0);
        }
        set_or_clear(&mut settings.output_device, &self.output_device);
        if let Some(on) = self.pop_up_enabled {
            settings.pop_up_enabled = on;
        }
        if let Some(on) = self.start_minimised {
            settings.start_minimised = on;
        }
        if let Some(theme) = self.theme {
            settings.theme = theme;
        }
        set_or_clear(&mut settings.language, &self.language);
        set(&mut settings.last_user, &self.last_user);
        set(&mut settings.last_extension, &self.last_extension);
        set(&mut settings.last_device_id, &self.last_device_id);
        if let Some(devices) = &self.shared_line_devices {
            settings.shared_line_devices.clone_from(devices);
        }
        set(&mut settings.window, &self.window);
    }
}

fn set<T: Clone>(slot: &mut Option<T>, value: &Option<T>) {
    if value.is_some() {
        slot.clone_from(value);
    }
}

/// `""` clears what a lower layer set.
fn set_or_clear(slot: &mut Option<String>, value: &Option<String>) {
    if let Some(value) = value {
        *slot = Some(value.trim().to_owned()).filter(|v| !v.is_empty());
    }
}

/// The keys of one table, taken one by one; whatever is left over is unknown.
struct Fields<'w> {
    map: Map<String, Value>,
    layer: Layer,
    prefix: String,
    warnings: &'w mut Vec<SettingsWarning>,
}

impl<'w> Fields<'w> {
    fn new(
        map: Map<String, Value>,
        layer: Layer,
        prefix: &str,
        warnings: &'w mut Vec<SettingsWarning>,
    ) -> Self {
        Fields {
            map,
            layer,
            prefix: prefix.to_owned(),
            warnings,
        }
    }

    fn key(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    fn take<T: DeserializeOwned>(&mut self, name: &str) -> Option<T> {
        let value = self.map.remove(name)?;
        if value.is_null() {
            return None;
        }
        match serde_json::from_value(value) {
            Ok(read) => Some(read),
            Err(error) => {
                let key = self.key(name);
                self.warnings.push(SettingsWarning::value_invalid(
                    self.layer,
                    &key,
                    &error.to_string(),
                ));
                None
            }
        }
    }

    /// A value only IT may set: refused (with a warning) in the user's own file.
    fn take_it_only<T: DeserializeOwned>(&mut self, name: &str) -> Option<T> {
        if self.layer == Layer::User {
            self.refuse_it_only(name);
            return None;
        }
        self.take(name)
    }

    fn refuse_it_only(&mut self, name: &str) {
        if self.map.remove(name).is_some() {
            let key = self.key(name);
            self.warnings
                .push(SettingsWarning::set_by_it(self.layer, &key));
        }
    }

    /// A nested table, read with the same care; a value that is not a table is a warning.
    fn table(&mut self, name: &str) -> Option<Fields<'_>> {
        let key = self.key(name);
        match self.map.remove(name)? {
            Value::Object(map) => Some(Fields::new(
                map,
                self.layer,
                &format!("{key}."),
                self.warnings,
            )),
            Value::Null => None,
            _ => {
                self.warnings.push(SettingsWarning::value_invalid(
                    self.layer,
                    &key,
                    "expected a table",
                ));
                None
            }
        }
    }

    /// Warns about every key nobody took (a typo in the file, or a setting of a newer version).
    fn finish(self) {
        for name in self.map.keys() {
            let key = format!("{}{name}", self.prefix);
            self.warnings
                .push(SettingsWarning::unknown(self.layer, &key));
        }
    }
}
