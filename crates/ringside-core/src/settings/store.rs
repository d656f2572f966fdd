//! [`SettingsStore`]: the layers as loaded, the settings they resolve to, and the user's
//! changes written back to the user's file only.
use super::error::{Layer, SettingsError, SettingsWarning};
use super::files::{read_layer, write_atomically, Format, SettingsPaths};
use super::layer::SettingsLayer;
use super::model::{SavedDevice, Settings, WindowGeometry};
use crate::desk::{SettingsView, SignInDefaults, SignInDevice, SignInForm};

/// The settings layers of one run of the app.
#[derive(Debug, Clone, PartialEq)]
pub struct SettingsStore {
    paths: SettingsPaths,
    system: SettingsLayer,
    user: SettingsLayer,
    command_line: SettingsLayer,
    warnings: Vec<SettingsWarning>,
}

impl SettingsStore {
    /// Reads the system and user files. Never fails: a file that is missing, unreadable or
    /// invalid adds nothing (and, unless missing, a warning); so does each bad value in it.
    pub fn load(paths: SettingsPaths, command_line: SettingsLayer) -> Self {
        let mut warnings = Vec::new();
        let system = paths
            .system
            .as_deref()
            .map(|path| read_layer(path, Format::Toml, Layer::System, &mut warnings))
            .unwrap_or_default();
        let user = paths
            .user
            .as_deref()
            .map(|path| read_layer(path, Format::Json, Layer::User, &mut warnings))
            .unwrap_or_default();
        SettingsStore {
            paths,
            system,
            user,
            command_line,
            warnings,
        }
    }

    /// Built-in defaults < system file < user file < command line (nodes locked by IT win
    /// over the last two).
    pub fn settings(&self) -> Settings {
        let mut settings = self.below_user();
        self.user.apply_to(&mut settings, Layer::User);
        self.command_line
            .apply_to(&mut settings, Layer::CommandLine);
        settings
    }

    /// What reading the files found wrong, for the UI to say.
    pub fn warnings(&self) -> &[SettingsWarning] {
        &self.warnings
    }

    /// The user's own layer, as it would be saved.
    pub fn user_layer(&self) -> &SettingsLayer {
        &self.user
    }

    pub fn paths(&self) -> &SettingsPaths {
        &self.paths
    }

    /// The Settings screen's values; `builtin_ringtones` are the bundled tones on offer.
    pub fn view(&self, builtin_ringtones: Vec<String>) -> SettingsView {
        let settings = self.settings();
        SettingsView {
            ringtone: settings.ringtone,
            volume: settings.volume,
            output_device: settings.output_device,
            pop_up_enabled: settings.pop_up_enabled,
            start_minimised: settings.start_minimised,
            theme: settings.theme,
            language: settings.language,
            builtin_ringtones,
        }
    }

    /// Takes what the agent changed on the Settings screen into the user layer. A value the
    /// agent did not change keeps its layer; one changed back to what IT or the defaults say
    /// stops overriding them (so IT's later changes reach this agent again).
    pub fn apply_view(&mut self, view: &SettingsView) {
        let shown = self.settings();
        let below = self.below_user();
        let user = &mut self.user;
        if view.ringtone != shown.ringtone {
            user.ringtone = (view.ringtone != below.ringtone).then(|| view.ringtone.clone());
        }
        if view.volume != shown.volume {
            let volume = if view.volume.is_finite() {
                view.volume.clamp(0.0, 1.0)
            } else {
                below.volume
            };
            user.volume = (volume != below.volume).then_some(volume);
        }
        if view.output_device != shown.output_device {
            user.output_device = override_of(&view.output_device, &below.output_device);
        }
        if view.pop_up_enabled != shown.pop_up_enabled {
            user.pop_up_enabled =
                (view.pop_up_enabled != below.pop_up_enabled).then_some(view.pop_up_enabled);
        }
        if view.start_minimised != shown.start_minimised {
            user.start_minimised =
                (view.start_minimised != below.start_minimised).then_some(view.start_minimised);
        }
        if view.theme != shown.theme {
            user.theme = (view.theme != below.theme).then_some(view.theme);
        }
        if view.language != shown.language {
            user.language = override_of(&view.language, &below.language);
        }
    }

    /// Remembers the sign-in screen's nodes (unless IT locked them), user, extension and
    /// chosen phone for next time. The password is not taken: it goes to the keychain or
    /// nowhere.
    pub fn remember_sign_in(&mut self, form: &SignInForm) {
        if !self.below_user().nodes.locked {
            self.user.nodes.a = non_empty(&form.node_a);
            self.user.nodes.b = form.node_b.as_deref().and_then(non_empty);
        }
        self.user.last_user = non_empty(&form.user);
        self.user.last_extension = non_empty(&form.extension);
        self.user.last_device_id = form.device_id.as_deref().and_then(non_empty);
    }

    /// Remembers the phones sharing the line of the user just remembered, so the sign-in
    /// screen offers them; none forgets them (the line is not shared).
    pub fn remember_shared_line(&mut self, devices: &[SignInDevice]) {
        self.user.shared_line_devices = (!devices.is_empty()).then(|| {
            devices
                .iter()
                .map(|device| SavedDevice {
                    id: device.id.clone(),
                    type_name: device.type_name.clone(),
                })
                .collect()
        });
    }

    pub fn remember_window(&mut self, geometry: WindowGeometry) {
        self.user.window = Some(geometry);
    }

    /// What the sign-in screen starts with.
    pub fn sign_in_defaults(&self, has_saved_password: bool) -> SignInDefaults {
        let settings = self.settings();
        let devices: Vec<SignInDevice> = settings
            .shared_line_devices
            .iter()
            .map(|device| SignInDevice {
                id: device.id.clone(),
                type_name: device.type_name.clone(),
            })
            .collect();
        // Only a phone still on the list is worth pre-selecting.
        let device_id = settings
            .last_device_id
            .filter(|id| devices.iter().any(|device| &device.id == id));
        SignInDefaults {
            node_a: settings.nodes.a.unwrap_or_default(),
            node_b: settings.nodes.b,
            user: settings.last_user.unwrap_or_default(),
            extension: settings.last_extension.unwrap_or_default(),
            has_saved_password,
            demo_hint: None,
            nodes_locked: settings.nodes.locked,
            devices,
            device_id,
        }
    }

    /// Writes the user layer (and nothing else) to the user's file, atomically. Warnings
    /// about the old user file are dropped once it has been replaced.
    pub fn save(&mut self) -> Result<(), SettingsError> {
        let path = self
            .paths
            .user
            .as_deref()
            .ok_or(SettingsError::NoUserFolder)?;
        let mut json = serde_json::to_vec_pretty(&self.user)?;
        json.push(b'\n');
        write_atomically(path, &json)?;
        self.warnings.retain(|w| w.layer != Layer::User);
        Ok(())
    }

    fn below_user(&self) -> Settings {
        let mut settings = Settings::default();
        self.system.apply_to(&mut settings, Layer::System);
        settings
    }
}

/// The user-layer value for an optional text: none when it equals the layers below, `""` to
/// clear a value the layers below set.
fn override_of(chosen: &Option<String>, below: &Option<String>) -> Option<String> {
    if chosen == below {
        None
    } else {
        Some(chosen.clone().unwrap_or_default())
    }
}

fn non_empty(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}
