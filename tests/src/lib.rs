//! Support code for the cross-crate tests: a fault-injecting TCP proxy and the chaos lab
//! built on it (the emulator's two nodes behind proxies, a session tuned for chaos, and the
//! comparison of the client's view with the emulator's truth).
pub mod chaos;
pub mod fault_proxy;
