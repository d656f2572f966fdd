//! The desktop's half of the tray, played by the test on its private session bus: what a
//! Linux panel does with a tray app.
//!
//! On Linux the app's tray icon (Tauri → `tray-icon` → libayatana-appindicator3) is a
//! StatusNotifierItem: it registers with whoever owns `org.kde.StatusNotifierWatcher`, and
//! exports its menu with libdbusmenu (`com.canonical.dbusmenu`). [`TrayHost`] owns the
//! watcher name and serves that interface, so the app registers with it; [`TrayItem`] reads
//! the item's properties and menu and clicks menu items the way a panel does
//! (`AboutToShow`, then `Event(id, "clicked", …)`).
//!
//! The host must be on the bus before the app starts: without a watcher appindicator falls
//! back to an XEmbed icon that nothing on the test's display could show.
//!
//! What the app exports (seen on this bus): the item at
//! `/org/ayatana/NotificationItem/tray_icon_tray_app_ringside` with `IconName` the absolute
//! path of a PNG that `tray-icon` writes under `$XDG_RUNTIME_DIR/tray-icon/` (a new file per
//! change), no `IconPixmap` and no `ToolTip` at all (`tray-icon` drops tooltips on Linux),
//! and the menu at `…/Menu`. dbusmenu ids are numbers that change whenever the app rebuilds the
//! menu, so items are found by their labels, as a person finds them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt;
use std::path::{Path, PathBuf};

use zbus::zvariant::{OwnedValue, Value};
use zbus::Connection;

mod icon;
mod menu;
mod watcher;

pub use icon::{app_tray_icon, Pixels};
pub use menu::MenuNode;
use menu::RawLayout;
pub use watcher::ItemAddress;
use watcher::{lock, Registry, WATCHER_NAME};

use super::desktop::Desktop;
use super::driver::PATIENCE;
use super::wait::Deadline;

const ITEM_INTERFACE: &str = "org.kde.StatusNotifierItem";
const MENU_INTERFACE: &str = "com.canonical.dbusmenu";
const PROPERTIES_INTERFACE: &str = "org.freedesktop.DBus.Properties";

/// The panel: owns the watcher name on the desktop's bus and keeps the list of items,
/// dropping an item when its owner leaves the bus (the app quit or died).
pub struct TrayHost {
    connection: Connection,
    items: Registry,
    forgetting: tokio::task::JoinHandle<()>,
}

impl TrayHost {
    /// Take the watcher name on `desktop`'s session bus. Call it before the app starts.
    pub async fn start(desktop: &Desktop) -> TrayHost {
        let address = desktop
            .env()
            .get("DBUS_SESSION_BUS_ADDRESS")
            .expect("the desktop has a session bus")
            .clone();
        let items = Registry::default();
        let (connection, forgetting) = watcher::serve(&address, items.clone())
            .await
            .unwrap_or_else(|e| panic!("the tray host could not serve {WATCHER_NAME}: {e}"));
        TrayHost {
            connection,
            items,
            forgetting,
        }
    }

    /// The items registered now.
    pub fn items(&self) -> Vec<ItemAddress> {
        lock(&self.items).clone()
    }

    /// Wait until an item has registered (the app put its icon up); panics after
    /// [`PATIENCE`]. The test's desktop runs one tray app.
    pub async fn wait_for_item(&self) -> TrayItem {
        let deadline = Deadline::after(PATIENCE);
        loop {
            if let Some(address) = self.items().into_iter().next() {
                return TrayItem {
                    connection: self.connection.clone(),
                    address,
                };
            }
            assert!(
                deadline.next_look().await,
                "no tray item registered with the test's {WATCHER_NAME}"
            );
        }
    }

    /// Wait until no item is registered (its app left the bus).
    pub async fn wait_until_empty(&self) {
        let deadline = Deadline::after(PATIENCE);
        while !self.items().is_empty() {
            assert!(
                deadline.next_look().await,
                "the tray still lists {:?}",
                self.items()
            );
        }
    }
}

impl Drop for TrayHost {
    fn drop(&mut self) {
        self.forgetting.abort();
    }
}

/// One app's tray icon, as the panel reads it.
#[derive(Clone)]
pub struct TrayItem {
    connection: Connection,
    address: ItemAddress,
}

impl fmt::Debug for TrayItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TrayItem({})", self.address.service())
    }
}

/// Where a dbusmenu item is in the layout.
struct Located {
    id: i32,
    /// The submenus a panel opens on the way (the root, id 0, first).
    parents: Vec<i32>,
}

impl TrayItem {
    /// Where the item lives on the bus.
    pub fn address(&self) -> &ItemAddress {
        &self.address
    }

    async fn property(&self, name: &str) -> zbus::Result<OwnedValue> {
        let reply = self
            .connection
            .call_method(
                Some(self.address.bus_name.as_str()),
                self.address.path.as_str(),
                Some(PROPERTIES_INTERFACE),
                "Get",
                &(ITEM_INTERFACE, name),
            )
            .await?;
        reply.body().deserialize::<OwnedValue>()
    }

    /// A string (or object path) property of the item; empty if it has none.
    pub async fn text_property(&self, name: &str) -> String {
        match self.property(name).await {
            Ok(value) => match &*value {
                Value::Str(text) => text.to_string(),
                Value::ObjectPath(path) => path.to_string(),
                other => format!("{other:?}"),
            },
            Err(_) => String::new(),
        }
    }

    /// `Active`, `Passive` or `NeedsAttention`.
    pub async fn status(&self) -> String {
        self.text_property("Status").await
    }

    /// The object path of the item's dbusmenu.
    pub async fn menu_path(&self) -> String {
        self.text_property("Menu").await
    }

    /// The `ToolTip` property's title and text, if the item exports one.
    pub async fn tooltip(&self) -> Option<(String, String)> {
        let value = self.property("ToolTip").await.ok()?;
        let Value::Structure(tooltip) = &*value else {
            return None;
        };
        let text = |index: usize| match tooltip.fields().get(index) {
            Some(Value::Str(text)) => text.to_string(),
            _ => String::new(),
        };
        Some((text(2), text(3)))
    }

    /// The largest picture of the item's `IconPixmap`, if it sends pixels rather than
    /// naming a file.
    pub async fn icon_pixmap(&self) -> Option<Pixels> {
        let value = self.property("IconPixmap").await.ok()?;
        let Value::Array(pictures) = &*value else {
            return None;
        };
        pictures
            .inner()
            .iter()
            .filter_map(|picture| match picture {
                Value::Structure(picture) => match picture.fields() {
                    [Value::I32(width), Value::I32(height), Value::Array(bytes)] => {
                        let argb: Vec<u8> = bytes
                            .inner()
                            .iter()
                            .filter_map(|byte| match byte {
                                Value::U8(byte) => Some(*byte),
                                _ => None,
                            })
                            .collect();
                        Pixels::from_argb(*width, *height, &argb)
                    }
                    _ => None,
                },
                _ => None,
            })
            .max_by_key(|pixels| pixels.width * pixels.height)
    }

    /// The icon file the panel would draw: `IconName` as an absolute path, or looked up in
    /// `IconThemePath`.
    pub async fn icon_file(&self) -> Option<PathBuf> {
        let name = self.text_property("IconName").await;
        if name.is_empty() {
            return None;
        }
        let path = PathBuf::from(&name);
        if path.is_absolute() {
            return Some(path);
        }
        let theme = self.text_property("IconThemePath").await;
        Some(Path::new(&theme).join(format!("{name}.png")))
    }

    /// The icon's pixels (RGBA), as the panel would draw them: the `IconName` file, else
    /// the `IconPixmap`. `None` while there is no readable picture (the app replaces its
    /// icon file on every change).
    pub async fn icon_pixels(&self) -> Option<Pixels> {
        match self.icon_file().await {
            Some(file) => Pixels::read(&file),
            None => self.icon_pixmap().await,
        }
    }

    /// Wait until the item shows the app's `icons/tray-<stem>.png`.
    pub async fn wait_for_icon(&self, stem: &str) {
        let expected = Pixels::read(&app_tray_icon(stem))
            .unwrap_or_else(|| panic!("no readable icons/tray-{stem}.png"));
        let deadline = Deadline::after(PATIENCE);
        while self.icon_pixels().await.as_ref() != Some(&expected) {
            let shown = self.icon_file().await;
            assert!(
                deadline.next_look().await,
                "the tray icon never became tray-{stem}.png; it shows {shown:?}"
            );
        }
    }

    /// The whole menu as the panel reads it (`GetLayout` from the root, all levels).
    pub async fn menu(&self) -> zbus::Result<MenuNode> {
        let path = self.menu_path().await;
        let reply = self
            .connection
            .call_method(
                Some(self.address.bus_name.as_str()),
                path.as_str(),
                Some(MENU_INTERFACE),
                "GetLayout",
                &(0i32, -1i32, Vec::<String>::new()),
            )
            .await?;
        let (_revision, layout): (u32, RawLayout) = reply.body().deserialize()?;
        MenuNode::from_layout(&layout).map_err(zbus::Error::Failure)
    }

    /// Re-read the menu until `condition` holds; returns that menu. Panics after
    /// [`PATIENCE`] with `what` and the last menu seen.
    pub async fn wait_for_menu(
        &self,
        what: &str,
        condition: impl Fn(&MenuNode) -> bool,
    ) -> MenuNode {
        let deadline = Deadline::after(PATIENCE);
        loop {
            let menu = self.menu().await;
            if let Ok(menu) = &menu {
                if condition(menu) {
                    return menu.clone();
                }
            }
            if !deadline.next_look().await {
                match menu {
                    Ok(menu) => panic!("the tray menu never {what}; it reads:\n{menu}"),
                    Err(e) => panic!("the tray menu never {what}; it cannot be read: {e}"),
                }
            }
        }
    }

    fn locate(menu: &MenuNode, labels: &[&str]) -> Option<Located> {
        let mut parents = vec![menu.id];
        let mut node = menu;
        for (depth, label) in labels.iter().enumerate() {
            node = node.item(label)?;
            if depth + 1 < labels.len() {
                parents.push(node.id);
            }
        }
        (node.enabled && node.children.is_empty()).then_some(Located {
            id: node.id,
            parents,
        })
    }

    /// Click a menu item the way a panel does: open the menus on the way (`AboutToShow`),
    /// then send `Event(id, "clicked", 0, 0)`. `labels` is the path through submenus, e.g.
    /// `["Not Ready", "Lunch"]`. Waits until the item is there and enabled.
    pub async fn click(&self, labels: &[&str]) {
        let deadline = Deadline::after(PATIENCE);
        loop {
            let menu = self.menu().await;
            let located = menu.as_ref().ok().and_then(|m| Self::locate(m, labels));
            if let Some(located) = located {
                match self.send_click(&located).await {
                    Ok(()) => return,
                    // The menu was rebuilt between reading and clicking: read it again.
                    Err(_stale) => {}
                }
            }
            if !deadline.next_look().await {
                match menu {
                    Ok(menu) => {
                        panic!("no enabled tray menu item {labels:?}; the menu reads:\n{menu}")
                    }
                    Err(e) => panic!("no tray menu item {labels:?}: the menu cannot be read: {e}"),
                }
            }
        }
    }

    async fn send_click(&self, located: &Located) -> zbus::Result<()> {
        let path = self.menu_path().await;
        for parent in &located.parents {
            self.call_menu(&path, "AboutToShow", parent).await?;
        }
        let timestamp = 0u32;
        self.call_menu(
            &path,
            "Event",
            &(located.id, "clicked", Value::I32(0), timestamp),
        )
        .await
    }

    async fn call_menu<B>(&self, path: &str, method: &str, body: &B) -> zbus::Result<()>
    where
        B: zbus::export::serde::Serialize + zbus::zvariant::DynamicType,
    {
        self.connection
            .call_method(
                Some(self.address.bus_name.as_str()),
                path,
                Some(MENU_INTERFACE),
                method,
                body,
            )
            .await
            .map(drop)
    }
}
