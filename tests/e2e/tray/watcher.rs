//! `org.kde.StatusNotifierWatcher` as the test's tray host serves it: items register
//! with it, and an item whose owner leaves the bus is forgotten.
use std::sync::{Arc, Mutex, MutexGuard};

use futures_util::StreamExt;
use zbus::message::Header;
use zbus::object_server::SignalEmitter;
use zbus::Connection;

/// The well-known name a panel owns.
pub const WATCHER_NAME: &str = "org.kde.StatusNotifierWatcher";
const WATCHER_PATH: &str = "/StatusNotifierWatcher";
/// Where an item lives when it registers with a bus name rather than an object path.
const DEFAULT_ITEM_PATH: &str = "/StatusNotifierItem";

/// Where a registered item lives: the bus name that owns it and its object path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemAddress {
    pub bus_name: String,
    pub path: String,
}

impl ItemAddress {
    /// How the watcher lists the item: `<bus name><object path>`.
    pub fn service(&self) -> String {
        format!("{}{}", self.bus_name, self.path)
    }
}

/// The items registered so far, shared by the interface and the host.
pub type Registry = Arc<Mutex<Vec<ItemAddress>>>;

/// The registered items (a poisoned lock still holds the list).
pub fn lock(items: &Registry) -> MutexGuard<'_, Vec<ItemAddress>> {
    items
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// `org.kde.StatusNotifierWatcher`, served by the test.
struct Watcher {
    items: Registry,
}

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    async fn register_status_notifier_item(
        &self,
        service: &str,
        #[zbus(header)] header: Header<'_>,
        #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
    ) -> zbus::fdo::Result<()> {
        let sender = header
            .sender()
            .map(|name| name.to_string())
            .ok_or_else(|| zbus::fdo::Error::InvalidArgs("a call without a sender".into()))?;
        // appindicator registers its object path (the item is on the caller's connection);
        // other items register a bus name and sit at the default path.
        let address = if service.starts_with('/') {
            ItemAddress {
                bus_name: sender,
                path: service.to_owned(),
            }
        } else {
            ItemAddress {
                bus_name: service.to_owned(),
                path: DEFAULT_ITEM_PATH.to_owned(),
            }
        };
        let added = {
            let mut items = lock(&self.items);
            let new = !items.contains(&address);
            if new {
                items.push(address.clone());
            }
            new
        };
        if added {
            Self::status_notifier_item_registered(&emitter, &address.service()).await?;
        }
        Ok(())
    }

    /// The test is the host; another host registering changes nothing.
    async fn register_status_notifier_host(&self, _service: &str) {}

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        lock(&self.items).iter().map(ItemAddress::service).collect()
    }

    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }

    #[zbus(signal)]
    async fn status_notifier_item_registered(
        emitter: &SignalEmitter<'_>,
        service: &str,
    ) -> zbus::Result<()>;

    #[zbus(signal)]
    async fn status_notifier_item_unregistered(
        emitter: &SignalEmitter<'_>,
        service: &str,
    ) -> zbus::Result<()>;

    #[zbus(signal)]
    async fn status_notifier_host_registered(emitter: &SignalEmitter<'_>) -> zbus::Result<()>;

    #[zbus(signal)]
    async fn status_notifier_host_unregistered(emitter: &SignalEmitter<'_>) -> zbus::Result<()>;
}

/// Serve the watcher on the bus at `address` and take its name; the returned task forgets
/// the items whose owner leaves the bus.
pub async fn serve(
    address: &str,
    items: Registry,
) -> zbus::Result<(Connection, tokio::task::JoinHandle<()>)> {
    let watcher = Watcher {
        items: items.clone(),
    };
    let connection = zbus::connection::Builder::address(address)?
        .serve_at(WATCHER_PATH, watcher)?
        .build()
        .await?;
    // Departures are watched before the name is taken, so no item comes and goes unseen.
    let owners = zbus::fdo::DBusProxy::new(&connection)
        .await?
        .receive_name_owner_changed()
        .await?;
    let forgetting = tokio::spawn(forget_departed(connection.clone(), items, owners));
    connection.request_name(WATCHER_NAME).await?;
    let emitter = SignalEmitter::new(&connection, WATCHER_PATH)?;
    Watcher::status_notifier_host_registered(&emitter).await?;
    Ok((connection, forgetting))
}

/// Forget the items whose owner leaves the bus (the app quit or died), as a panel's
/// watcher does, with `StatusNotifierItemUnregistered`. Runs until the connection closes.
async fn forget_departed(
    connection: Connection,
    items: Registry,
    mut owners: zbus::fdo::NameOwnerChangedStream,
) {
    while let Some(change) = owners.next().await {
        let Ok(args) = change.args() else { continue };
        if args.new_owner().is_some() {
            continue;
        }
        let gone: Vec<ItemAddress> = {
            let mut items = lock(&items);
            let (gone, kept) = items
                .drain(..)
                .partition(|item| item.bus_name == args.name().as_str());
            *items = kept;
            gone
        };
        for item in gone {
            if let Ok(emitter) = SignalEmitter::new(&connection, WATCHER_PATH) {
                let _ = Watcher::status_notifier_item_unregistered(&emitter, &item.service()).await;
            }
        }
    }
}
