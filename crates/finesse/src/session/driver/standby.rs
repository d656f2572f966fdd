//! The standby connection: a second, presence-only XMPP connection to the node the
//! session left (see the machine's `standby` module for why). The driver opens and closes
//! it on the machine's word, drains its events and reports when it ends.
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::perform;
use crate::session::io::LinkLoss;
use crate::xmpp::{XmppClient, XmppConfig, XmppEvent, XmppHandle};

/// How the standby's connect attempt ended.
pub(super) enum StandbyOutcome {
    Up {
        generation: u64,
        handle: XmppHandle,
        events: mpsc::Receiver<XmppEvent>,
    },
    Failed {
        generation: u64,
        failure: crate::session::io::LinkFailure,
    },
}

/// The standby connection's handle, events and connect in flight.
#[derive(Default)]
pub(super) struct StandbyLink {
    handle: Option<XmppHandle>,
    events: Option<mpsc::Receiver<XmppEvent>>,
    /// Grows with every connect and disconnect, so a late result is recognised.
    generation: u64,
    connecting: Option<JoinHandle<()>>,
    /// The polite close of the last standby, still under way.
    closing: Option<JoinHandle<()>>,
}

impl StandbyLink {
    /// Replaces any standby with a new connection attempt; the result comes back through
    /// `report`.
    pub fn connect(
        &mut self,
        config: XmppConfig,
        report: impl FnOnce(StandbyOutcome) + Send + 'static,
    ) {
        self.disconnect();
        let generation = self.generation;
        self.connecting = Some(tokio::spawn(async move {
            let outcome = match XmppClient::connect(config).await {
                Ok((handle, events)) => StandbyOutcome::Up {
                    generation,
                    handle,
                    events,
                },
                Err(error) => StandbyOutcome::Failed {
                    generation,
                    failure: perform::link_failure(&error),
                },
            };
            report(outcome);
        }));
    }

    /// Closes the standby politely (in the background) and forgets any attempt.
    pub fn disconnect(&mut self) {
        self.generation += 1;
        if let Some(task) = self.connecting.take() {
            task.abort();
        }
        self.events = None;
        if let Some(handle) = self.handle.take() {
            self.closing = Some(tokio::spawn(async move { handle.disconnect().await }));
        }
    }

    /// Closes the standby and waits (at most `grace`) until it said goodbye.
    pub async fn close(&mut self, grace: std::time::Duration) {
        self.disconnect();
        if let Some(closing) = self.closing.take() {
            if tokio::time::timeout(grace, closing).await.is_err() {
                tracing::warn!("closing the standby connection took too long");
            }
        }
    }

    /// Takes a connect result; `Some(result)` for the machine when it is the current one.
    pub fn settle(
        &mut self,
        outcome: StandbyOutcome,
    ) -> Option<Result<(), crate::session::io::LinkFailure>> {
        match outcome {
            StandbyOutcome::Up {
                generation,
                handle,
                events,
            } => {
                if generation != self.generation {
                    tokio::spawn(async move { handle.disconnect().await });
                    return None;
                }
                self.connecting = None;
                self.handle = Some(handle);
                self.events = Some(events);
                Some(Ok(()))
            }
            StandbyOutcome::Failed {
                generation,
                failure,
            } => (generation == self.generation).then(|| {
                self.connecting = None;
                Err(failure)
            }),
        }
    }

    /// Waits for the standby to end (its other events are dropped); pending without one.
    pub async fn ended(&mut self) -> LinkLoss {
        let Some(events) = self.events.as_mut() else {
            return std::future::pending().await;
        };
        let loss = loop {
            match events.recv().await {
                Some(XmppEvent::Disconnected(reason)) => break perform::link_loss(reason),
                Some(_) => {}
                None => break LinkLoss::SocketClosed,
            }
        };
        self.events = None;
        self.handle = None;
        loss
    }
}
