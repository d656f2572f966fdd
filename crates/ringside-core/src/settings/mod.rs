//! Layered settings: built-in defaults < the system-wide file IT places < the user's own
//! settings < the command line.
//!
//! - System file (TOML, read only): `/etc/ringside/config.toml` on Linux,
//!   `%PROGRAMDATA%\Ringside\config.toml` on Windows,
//!   `/Library/Application Support/Ringside/config.toml` on macOS. It presets the Finesse
//!   nodes (optionally `locked`), the HTTPS port, the XMPP transport, the company CA file and
//!   which features are on.
//! - User file (JSON): `<config dir>/ringside/settings.json`, the only file Ringside writes.
//!
//! Both use the same snake_case keys:
//!
//! ```toml
//! https_port = 8445
//! extra_ca_file = "/etc/ringside/company-ca.pem"
//!
//! [nodes]
//! a = "fin-a.example.com"
//! b = "fin-b.example.com"
//! locked = true
//!
//! [features]
//! updates = false
//! ```
//!
//! A broken file or value never stops the app: it is left out with a [`SettingsWarning`].
//! No setting holds a password; passwords live only in the OS keychain.
mod error;
mod files;
mod layer;
mod model;
mod store;

pub use error::{Layer, SettingsError, SettingsWarning};
pub use files::SettingsPaths;
pub use layer::{FeaturesLayer, NodesLayer, SettingsLayer};
pub use model::{
    Features, Nodes, SavedDevice, Settings, WindowGeometry, XmppTransport, DEFAULT_HTTPS_PORT,
    DEFAULT_RINGTONE, DEFAULT_VOLUME,
};
pub use store::SettingsStore;
