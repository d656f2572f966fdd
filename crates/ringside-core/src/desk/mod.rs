//! The desk: the view model every surface (window, tray, pop-up, notification) reads.
//!
//! [`Desk`] holds Finesse's last word (the session's snapshot and connection state), the
//! server's lookups and the agent's local choices, and turns them into [`DeskView`] (window),
//! [`IncomingCallView`] (pop-up), [`IncomingNotification`], [`TrayView`] and the ring decision.
mod agent;
mod alerts;
mod call_data;
mod calls;
mod clock;
mod connection;
mod incoming;
mod lookups;
mod monitor_call;
mod reasons;
mod requests;
mod state;
mod tray;
mod view;
mod wrap_up;

pub use alerts::MAX_ALERTS;
pub use call_data::{short_label, SHORT_LABEL_CHARS};
pub use incoming::{IncomingNotification, MAX_POP_UP_ITEMS};
pub(crate) use monitor_call::{customer, customer_call_direction, monitored_agent};
pub use reasons::system_reason_label;
pub use requests::*;
pub use state::Desk;
pub use tray::{format_elapsed, TrayCommand, TrayIcon, TrayMenuEntry, TrayMenuItem, TrayView};
pub use view::*;
