//! The task that owns an established connection: it routes stanzas to events and IQ answers to
//! their callers, keeps the XEP-0199 ping going, and ends the connection exactly once.

use std::collections::HashMap;
use std::time::Duration;

use finesse_xml::Element;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::{Instant, MissedTickBehavior};

use super::client::XmppEvent;
use super::error::{DisconnectReason, XmppError};
use super::negotiate::{self, Negotiated};
use super::stanza::{self, IqType};
use super::wire::{Frame, WireReader, WireWriter};

/// How long a closing stream waits for the server to acknowledge before the socket is dropped.
const CLOSE_GRACE: Duration = Duration::from_secs(2);

/// What a successful IQ does to the list of nodes we must unsubscribe on disconnect.
#[derive(Debug)]
pub(crate) enum SubscriptionChange {
    Added(String),
    Removed(String),
}

pub(crate) enum Command {
    Iq {
        iq_type: IqType,
        to: String,
        payload: String,
        change: Option<SubscriptionChange>,
        reply: oneshot::Sender<Result<Element, XmppError>>,
    },
    ExplicitNodes {
        reply: oneshot::Sender<Vec<String>>,
    },
    Close {
        reply: oneshot::Sender<()>,
    },
}

pub(crate) struct DriverSettings {
    pub(crate) domain: String,
    pub(crate) bound_jid: String,
    pub(crate) ping_interval: Duration,
    pub(crate) ping_timeout: Duration,
    pub(crate) max_missed_pings: u32,
    pub(crate) request_timeout: Duration,
}

struct PendingRequest {
    reply: oneshot::Sender<Result<Element, XmppError>>,
    change: Option<SubscriptionChange>,
    deadline: Instant,
}

struct OutstandingPing {
    id: String,
    deadline: Instant,
}

/// What woke the driver up.
enum Wake {
    Frame(Option<Result<Frame, XmppError>>),
    Command(Option<Command>),
    PingDue,
    Deadline,
}

pub(crate) struct Driver {
    settings: DriverSettings,
    finesse_jid: String,
    writer: WireWriter,
    frames: mpsc::Receiver<Result<Frame, XmppError>>,
    reader_task: JoinHandle<()>,
    commands: mpsc::Receiver<Command>,
    events: mpsc::Sender<XmppEvent>,
    pending: HashMap<String, PendingRequest>,
    explicit_nodes: Vec<String>,
    ping: Option<OutstandingPing>,
    missed_pings: u32,
    next_id: u64,
}

impl Driver {
    pub(crate) fn spawn(
        settings: DriverSettings,
        negotiated: Negotiated,
        commands: mpsc::Receiver<Command>,
        events: mpsc::Sender<XmppEvent>,
    ) {
        let (frames_tx, frames) = mpsc::channel(64);
        let reader_task = tokio::spawn(read_frames(negotiated.reader, frames_tx));
        let driver = Driver {
            finesse_jid: format!("finesse@{}", settings.domain),
            settings,
            writer: negotiated.writer,
            frames,
            reader_task,
            commands,
            events,
            pending: HashMap::new(),
            explicit_nodes: Vec::new(),
            ping: None,
            missed_pings: 0,
            next_id: 0,
        };
        tokio::spawn(driver.run(negotiated.early));
    }

    async fn run(mut self, early: Vec<Element>) {
        let mut reason = None;
        for stanza in early {
            if let Err(r) = self.on_stanza(stanza).await {
                reason = Some(r);
                break;
            }
        }
        let interval = self.settings.ping_interval;
        let mut ticker = tokio::time::interval_at(Instant::now() + interval, interval);
        ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let reason = match reason {
            Some(r) => r,
            None => loop {
                let deadline = self.next_deadline();
                let wake = tokio::select! {
                    frame = self.frames.recv() => Wake::Frame(frame),
                    command = self.commands.recv() => Wake::Command(command),
                    _ = ticker.tick() => Wake::PingDue,
                    _ = sleep_until(deadline), if deadline.is_some() => Wake::Deadline,
                };
                let step = match wake {
                    Wake::Frame(frame) => self.on_frame(frame).await,
                    Wake::Command(Some(Command::Close { reply })) => {
                        self.close_gracefully().await;
                        reply.send(()).ok();
                        Err(DisconnectReason::ClientClosed)
                    }
                    Wake::Command(None) => {
                        // Every handle is gone: nobody can use the connection any more.
                        self.close_gracefully().await;
                        Err(DisconnectReason::ClientClosed)
                    }
                    Wake::Command(Some(command)) => self.on_command(command).await,
                    Wake::PingDue => self.ping_unless_outstanding().await,
                    Wake::Deadline => self.expire().await,
                };
                if let Err(r) = step {
                    break r;
                }
            },
        };
        self.finish(reason).await;
    }

    async fn on_frame(
        &mut self,
        frame: Option<Result<Frame, XmppError>>,
    ) -> Result<(), DisconnectReason> {
        match frame {
            Some(Ok(Frame::Stanza(stanza))) => self.on_stanza(stanza).await,
            Some(Ok(Frame::Open)) => Err(DisconnectReason::ProtocolError(
                "unexpected stream restart".into(),
            )),
            Some(Ok(Frame::Close | Frame::Eof)) | None => Err(DisconnectReason::SocketClosed),
            Some(Err(XmppError::Protocol(message))) => {
                Err(DisconnectReason::ProtocolError(message))
            }
            Some(Err(error)) => {
                tracing::info!(%error, "notification socket failed");
                Err(DisconnectReason::SocketClosed)
            }
        }
    }

    async fn on_stanza(&mut self, stanza: Element) -> Result<(), DisconnectReason> {
        if stanza.is("error") {
            return Err(stream_error_reason(&stanza));
        }
        if stanza.is("iq") {
            return self.on_iq(stanza).await;
        }
        if stanza.is("message") {
            self.emit(XmppEvent::Message(stanza)).await;
        } else if stanza.is("presence") {
            if let Some(available) = stanza::presence_availability(&stanza) {
                let from = stanza.attr("from").unwrap_or_default();
                let event = if stanza::bare_jid(from).eq_ignore_ascii_case(&self.finesse_jid) {
                    XmppEvent::FinessePresence { available }
                } else {
                    XmppEvent::Presence {
                        from: from.to_owned(),
                        available,
                    }
                };
                self.emit(event).await;
            }
        } else {
            tracing::debug!(element = %stanza.name, "ignoring unexpected top-level element");
        }
        Ok(())
    }

    async fn on_iq(&mut self, iq: Element) -> Result<(), DisconnectReason> {
        let id = iq.attr("id").unwrap_or_default().to_owned();
        match iq.attr("type") {
            Some("result" | "error") => {
                if self.ping.as_ref().is_some_and(|p| p.id == id) {
                    // Any answer, even an error, proves the server is alive.
                    self.ping = None;
                    self.missed_pings = 0;
                } else if let Some(request) = self.pending.remove(&id) {
                    self.complete(request, iq);
                }
                Ok(())
            }
            _ => negotiate::answer_request(&mut self.writer, &iq)
                .await
                .map_err(|_| DisconnectReason::SocketClosed),
        }
    }

    fn complete(&mut self, request: PendingRequest, answer: Element) {
        let outcome = if answer.attr("type") == Some("result") {
            match request.change {
                Some(SubscriptionChange::Added(node)) if !self.explicit_nodes.contains(&node) => {
                    self.explicit_nodes.push(node)
                }
                Some(SubscriptionChange::Removed(node)) => {
                    self.explicit_nodes.retain(|n| *n != node)
                }
                _ => {}
            }
            Ok(answer)
        } else {
            let (condition, text) = stanza::stanza_error(&answer);
            Err(XmppError::IqError { condition, text })
        };
        request.reply.send(outcome).ok();
    }

    async fn on_command(&mut self, command: Command) -> Result<(), DisconnectReason> {
        match command {
            Command::Iq {
                iq_type,
                to,
                payload,
                change,
                reply,
            } => {
                let id = self.next_id("req");
                if let Err(error) = self
                    .writer
                    .send(&stanza::iq(iq_type, &id, Some(&to), &payload))
                    .await
                {
                    reply.send(Err(error)).ok();
                    return Err(DisconnectReason::SocketClosed);
                }
                let deadline = Instant::now() + self.settings.request_timeout;
                self.pending.insert(
                    id,
                    PendingRequest {
                        reply,
                        change,
                        deadline,
                    },
                );
            }
            Command::ExplicitNodes { reply } => {
                reply.send(self.explicit_nodes.clone()).ok();
            }
            Command::Close { reply } => {
                reply.send(()).ok();
            }
        }
        Ok(())
    }

    async fn ping_unless_outstanding(&mut self) -> Result<(), DisconnectReason> {
        if self.ping.is_some() {
            return Ok(());
        }
        self.send_ping().await
    }

    async fn send_ping(&mut self) -> Result<(), DisconnectReason> {
        let id = self.next_id("ping");
        self.writer
            .send(&stanza::ping(&id, &self.settings.domain))
            .await
            .map_err(|_| DisconnectReason::SocketClosed)?;
        self.ping = Some(OutstandingPing {
            id,
            deadline: Instant::now() + self.settings.ping_timeout,
        });
        Ok(())
    }

    fn next_deadline(&self) -> Option<Instant> {
        let requests = self.pending.values().map(|p| p.deadline);
        self.ping.iter().map(|p| p.deadline).chain(requests).min()
    }

    async fn expire(&mut self) -> Result<(), DisconnectReason> {
        let now = Instant::now();
        let expired: Vec<String> = self
            .pending
            .iter()
            .filter(|(_, p)| p.deadline <= now)
            .map(|(id, _)| id.clone())
            .collect();
        for id in expired {
            if let Some(request) = self.pending.remove(&id) {
                request
                    .reply
                    .send(Err(XmppError::Timeout(
                        "waiting for the server's answer".into(),
                    )))
                    .ok();
            }
        }
        if self.ping.as_ref().is_some_and(|p| p.deadline <= now) {
            self.ping = None;
            self.missed_pings += 1;
            tracing::info!(missed = self.missed_pings, "notification ping unanswered");
            if self.missed_pings >= self.settings.max_missed_pings {
                return Err(DisconnectReason::PingTimeout);
            }
            // Retry at once rather than a whole interval later, so a dead link is found in
            // about interval + misses × timeout.
            self.send_ping().await?;
        }
        Ok(())
    }

    async fn emit(&mut self, event: XmppEvent) {
        // A session that dropped its receiver no longer cares; the connection keeps serving handles.
        self.events.send(event).await.ok();
    }

    fn next_id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}-{}", self.next_id)
    }

    /// Unavailable presence, stream close, a short wait for the server's close, socket close.
    async fn close_gracefully(&mut self) {
        let writer = &mut self.writer;
        let frames = &mut self.frames;
        let closing = async {
            writer.send(&stanza::unavailable_presence()).await?;
            writer.close_stream().await?;
            while let Some(Ok(Frame::Stanza(_) | Frame::Open)) = frames.recv().await {}
            Ok::<(), XmppError>(())
        };
        match tokio::time::timeout(CLOSE_GRACE, closing).await {
            Ok(Err(error)) => tracing::debug!(%error, "closing the notification stream"),
            Err(_) => tracing::debug!("the server did not acknowledge the stream close in time"),
            Ok(Ok(())) => {}
        }
        self.writer.shutdown().await;
    }

    async fn finish(mut self, reason: DisconnectReason) {
        tracing::info!(%reason, jid = %self.settings.bound_jid, "notification connection ended");
        self.commands.close();
        if reason != DisconnectReason::ClientClosed {
            let writer = &mut self.writer;
            let closing = async {
                writer.close_stream().await.ok();
                writer.shutdown().await;
            };
            tokio::time::timeout(CLOSE_GRACE, closing).await.ok();
        }
        self.reader_task.abort();
        let closed = XmppError::Closed(reason.to_string());
        for (_, request) in self.pending.drain() {
            request.reply.send(Err(closed.clone())).ok();
        }
        while let Ok(command) = self.commands.try_recv() {
            if let Command::Iq { reply, .. } = command {
                reply.send(Err(closed.clone())).ok();
            }
        }
        self.events.send(XmppEvent::Disconnected(reason)).await.ok();
    }
}

async fn read_frames(mut reader: WireReader, frames: mpsc::Sender<Result<Frame, XmppError>>) {
    loop {
        let frame = reader.recv().await;
        let more = matches!(frame, Ok(Frame::Stanza(_) | Frame::Open));
        if frames.send(frame).await.is_err() || !more {
            break;
        }
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

fn stream_error_reason(error: &Element) -> DisconnectReason {
    let condition = stanza::error_condition(error);
    if condition == "conflict" {
        return DisconnectReason::SignedInElsewhere;
    }
    match error.child_text("text") {
        Some(text) => DisconnectReason::StreamError(format!("{condition}: {text}")),
        None => DisconnectReason::StreamError(condition),
    }
}
