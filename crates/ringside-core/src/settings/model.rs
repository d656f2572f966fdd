//! The settings the app runs with, every value resolved.
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::desk::Theme;

/// Finesse's HTTPS port since 12.5.
pub const DEFAULT_HTTPS_PORT: u16 = 8445;
/// The bundled ring tone used until the agent picks another.
pub const DEFAULT_RINGTONE: &str = "builtin:classic";
pub const DEFAULT_VOLUME: f32 = 0.8;

/// Everything configurable, after layering defaults < system file < user file < command line.
///
/// There is no password here, on purpose: passwords live only in the OS keychain.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    pub nodes: Nodes,
    pub https_port: u16,
    /// `None`: let the client choose (WebSocket first).
    pub xmpp_transport: Option<XmppTransport>,
    /// A PEM file with the company's own CA, trusted in addition to the system roots.
    pub extra_ca_file: Option<PathBuf>,
    pub features: Features,
    /// `builtin:<name>` or a path to a sound file.
    pub ringtone: String,
    /// 0.0 – 1.0.
    pub volume: f32,
    /// `None`: the system default output.
    pub output_device: Option<String>,
    pub pop_up_enabled: bool,
    pub start_minimised: bool,
    pub theme: Theme,
    /// BCP-47 tag; `None` follows the OS.
    pub language: Option<String>,
    /// The agent id or login name last signed in with.
    pub last_user: Option<String>,
    pub last_extension: Option<String>,
    /// The phone `last_user` last signed in on, where their line is shared (multi-line).
    pub last_device_id: Option<String>,
    /// The phones sharing `last_user`'s line, as Finesse listed them; empty when it is not
    /// shared (or not known yet).
    pub shared_line_devices: Vec<SavedDevice>,
    /// Where the main window was; `None` until it has been moved or resized once.
    pub window: Option<WindowGeometry>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            nodes: Nodes::default(),
            https_port: DEFAULT_HTTPS_PORT,
            xmpp_transport: None,
            extra_ca_file: None,
            features: Features::default(),
            ringtone: DEFAULT_RINGTONE.to_owned(),
            volume: DEFAULT_VOLUME,
            output_device: None,
            pop_up_enabled: true,
            start_minimised: false,
            theme: Theme::System,
            language: None,
            last_user: None,
            last_extension: None,
            last_device_id: None,
            shared_line_devices: Vec::new(),
            window: None,
        }
    }
}

/// The Finesse nodes to sign in to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Nodes {
    /// Host (optionally `host:port`) of node A.
    pub a: Option<String>,
    /// Host of node B, for failover.
    pub b: Option<String>,
    /// Preset by IT: the sign-in screen shows them fixed and user settings cannot change them.
    pub locked: bool,
}

/// How XMPP notifications are carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum XmppTransport {
    /// RFC 7395 over the HTTPS port (Finesse 12.x).
    Websocket,
    /// TLS on the XMPP port (5223).
    Tcp,
}

/// Features IT can switch on or off. User settings never change them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Features {
    /// Open a CRM URL filled with call data on ring / answer / end.
    pub screen_pop: bool,
    /// The token-protected API on 127.0.0.1 for CRM pages and scripts.
    pub local_api: bool,
    pub global_hotkeys: bool,
    /// Ringside as the handler of `tel:` and `callto:` links.
    pub click_to_dial: bool,
    pub call_history: bool,
    /// Look for updates (IT may turn the channel off).
    pub updates: bool,
    /// Start at login.
    pub autostart: bool,
}

impl Default for Features {
    fn default() -> Self {
        Features {
            screen_pop: true,
            // Off until someone asks for it: it opens a port.
            local_api: false,
            global_hotkeys: true,
            click_to_dial: true,
            call_history: true,
            updates: true,
            autostart: false,
        }
    }
}

/// A phone of a shared line, as the settings file keeps it (no secret: Finesse lists these to
/// the agent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedDevice {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_name: Option<String>,
}

/// The main window's place and size, in logical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct WindowGeometry {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
    #[serde(default)]
    pub maximised: bool,
}
