//! A TCP proxy that breaks the network on demand, between a client and one emulator node.
//!
//! Every byte passes through two pumps per connection (client → server, server → client).
//! The [`FaultMode`] is shared by all connections, old and new, and can change at any
//! moment:
//!
//! - [`FaultMode::Pass`]: bytes flow.
//! - [`FaultMode::Drop`]: every connection is reset at once and new ones are reset as soon
//!   as they are accepted — a node that went away.
//! - [`FaultMode::BlackHole`]: connections stay open but nothing moves either way, and new
//!   connections are accepted but never reach the server — a network that silently eats
//!   packets. What was held back is delivered if the mode returns to `Pass`, as TCP's
//!   retransmissions would.
//! - [`FaultMode::Delay`]: every chunk arrives that much later (order kept).
//! - [`FaultMode::HalfOpen`]: one direction stops, the other flows.
//!
//! The proxy knows nothing of TLS or XMPP: it moves bytes, so the client's TLS still ends at
//! the emulator and certificates stay valid as long as the proxy listens on an address the
//! node's certificate names (the node's own IP, another port).
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// Which way bytes go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    ClientToServer,
    ServerToClient,
}

/// What the network does right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultMode {
    Pass,
    Drop,
    BlackHole,
    Delay(Duration),
    /// `stopped` no longer delivers; the other direction does.
    HalfOpen {
        stopped: Direction,
    },
}

impl FaultMode {
    fn lets_through(self, direction: Direction) -> bool {
        match self {
            FaultMode::Pass | FaultMode::Delay(_) => true,
            FaultMode::Drop | FaultMode::BlackHole => false,
            FaultMode::HalfOpen { stopped } => stopped != direction,
        }
    }

    fn delay(self) -> Duration {
        match self {
            FaultMode::Delay(by) => by,
            _ => Duration::ZERO,
        }
    }

    /// A stable snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            FaultMode::Pass => "pass",
            FaultMode::Drop => "drop",
            FaultMode::BlackHole => "black_hole",
            FaultMode::Delay(_) => "delay",
            FaultMode::HalfOpen {
                stopped: Direction::ClientToServer,
            } => "half_open_client_to_server",
            FaultMode::HalfOpen {
                stopped: Direction::ServerToClient,
            } => "half_open_server_to_client",
        }
    }
}

/// Counters of what the proxy saw.
#[derive(Debug, Default)]
struct Counters {
    accepted: AtomicU64,
    open: AtomicU64,
    reset: AtomicU64,
}

/// A running proxy. Dropping it stops accepting and resets every connection.
#[derive(Debug)]
pub struct FaultProxy {
    local: SocketAddr,
    upstream: SocketAddr,
    mode: Arc<watch::Sender<FaultMode>>,
    counters: Arc<Counters>,
    accept_loop: JoinHandle<()>,
}

impl FaultProxy {
    /// Listens on `listen` (port 0: any free port) and forwards to `upstream`, in `Pass`.
    pub async fn start(listen: SocketAddr, upstream: SocketAddr) -> std::io::Result<FaultProxy> {
        let listener = bind(listen)?;
        let local = listener.local_addr()?;
        let (mode, _) = watch::channel(FaultMode::Pass);
        let mode = Arc::new(mode);
        let counters = Arc::new(Counters::default());
        let accept_loop = tokio::spawn(accept(listener, upstream, mode.clone(), counters.clone()));
        Ok(FaultProxy {
            local,
            upstream,
            mode,
            counters,
            accept_loop,
        })
    }

    /// Where clients connect.
    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }

    pub fn upstream(&self) -> SocketAddr {
        self.upstream
    }

    /// Changes the network's behaviour for every connection, from the next byte on.
    pub fn set_mode(&self, mode: FaultMode) {
        tracing::info!(proxy = %self.local, mode = mode.name(), "fault proxy mode");
        self.mode.send_replace(mode);
    }

    pub fn mode(&self) -> FaultMode {
        *self.mode.borrow()
    }

    /// Connections accepted so far.
    pub fn accepted(&self) -> u64 {
        self.counters.accepted.load(Ordering::Relaxed)
    }

    /// Connections open right now.
    pub fn open_connections(&self) -> u64 {
        self.counters.open.load(Ordering::Relaxed)
    }

    /// Connections reset by `Drop` (or a dead upstream).
    pub fn resets(&self) -> u64 {
        self.counters.reset.load(Ordering::Relaxed)
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.accept_loop.abort();
        self.mode.send_replace(FaultMode::Drop);
    }
}

/// Binds with address reuse, so a proxy can take a port another one just gave up.
fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = match addr {
        SocketAddr::V4(_) => TcpSocket::new_v4()?,
        SocketAddr::V6(_) => TcpSocket::new_v6()?,
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(256)
}

async fn accept(
    listener: TcpListener,
    upstream: SocketAddr,
    mode: Arc<watch::Sender<FaultMode>>,
    counters: Arc<Counters>,
) {
    loop {
        let Ok((client, _)) = listener.accept().await else {
            continue;
        };
        counters.accepted.fetch_add(1, Ordering::Relaxed);
        let modes = mode.subscribe();
        let counters = counters.clone();
        tokio::spawn(async move {
            counters.open.fetch_add(1, Ordering::Relaxed);
            let reset = serve(client, upstream, modes).await;
            counters.open.fetch_sub(1, Ordering::Relaxed);
            if reset {
                counters.reset.fetch_add(1, Ordering::Relaxed);
            }
        });
    }
}

/// Resets a socket: a zero linger turns the close into an RST, like a vanished peer.
fn reset(stream: TcpStream) {
    let _ = stream.set_zero_linger();
    drop(stream);
}

/// Waits until `direction` may flow; `false` when the mode turned to `Drop` (or the proxy
/// went away).
async fn until_open(modes: &mut watch::Receiver<FaultMode>, direction: Direction) -> bool {
    loop {
        let mode = *modes.borrow_and_update();
        if mode == FaultMode::Drop {
            return false;
        }
        if mode.lets_through(direction) {
            return true;
        }
        if modes.changed().await.is_err() {
            return false;
        }
    }
}

async fn until_dropped(modes: &mut watch::Receiver<FaultMode>) {
    loop {
        if *modes.borrow_and_update() == FaultMode::Drop {
            return;
        }
        if modes.changed().await.is_err() {
            return;
        }
    }
}

/// One proxied connection; `true` when it ended by a reset.
async fn serve(
    client: TcpStream,
    upstream: SocketAddr,
    mut modes: watch::Receiver<FaultMode>,
) -> bool {
    // Nothing reaches the server until the client may speak: a black hole eats the SYN too.
    let server = tokio::select! {
        open = until_open(&mut modes, Direction::ClientToServer) => {
            if !open {
                reset(client);
                return true;
            }
            match TcpStream::connect(upstream).await {
                Ok(server) => server,
                Err(_) => {
                    reset(client);
                    return true;
                }
            }
        }
        // The client gave up while held back.
        () = client_gone(&client) => return false,
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let dropped = {
        let to_server = pump(
            &mut client_read,
            &mut server_write,
            Direction::ClientToServer,
            modes.clone(),
        );
        let to_client = pump(
            &mut server_read,
            &mut client_write,
            Direction::ServerToClient,
            modes.clone(),
        );
        tokio::select! {
            _ = async { tokio::join!(to_server, to_client) } => false,
            () = until_dropped(&mut modes) => true,
        }
    };
    if dropped {
        if let Ok(client) = client_read.reunite(client_write) {
            reset(client);
        }
        if let Ok(server) = server_read.reunite(server_write) {
            reset(server);
        }
    }
    dropped
}

/// Resolves when the client closes (or resets) a connection not yet forwarded.
async fn client_gone(client: &TcpStream) {
    let mut probe = [0u8; 1];
    loop {
        match client.peek(&mut probe).await {
            Ok(0) | Err(_) => return,
            // Data is waiting for the server; keep holding it.
            Ok(_) => std::future::pending::<()>().await,
        }
    }
}

/// A chunk read from one side, with when it was read.
enum Chunk {
    Data(Vec<u8>, Instant),
    End,
}

/// Moves one direction: a reader that never waits for the network, and a writer that
/// delivers each chunk when the mode lets it through and its delay has passed.
async fn pump(
    from: &mut OwnedReadHalf,
    to: &mut OwnedWriteHalf,
    direction: Direction,
    mut modes: watch::Receiver<FaultMode>,
) {
    let (tx, mut rx) = mpsc::unbounded_channel::<Chunk>();
    let reader = async move {
        let mut buffer = vec![0u8; 16 * 1024];
        loop {
            match from.read(&mut buffer).await {
                Ok(0) | Err(_) => {
                    let _ = tx.send(Chunk::End);
                    return;
                }
                Ok(n) => {
                    if tx
                        .send(Chunk::Data(buffer[..n].to_vec(), Instant::now()))
                        .is_err()
                    {
                        return;
                    }
                }
            }
        }
    };
    let writer = async move {
        while let Some(chunk) = rx.recv().await {
            if !until_open(&mut modes, direction).await {
                return;
            }
            match chunk {
                Chunk::Data(bytes, read_at) => {
                    let due = read_at + modes.borrow().delay();
                    tokio::time::sleep_until(due).await;
                    // The mode may have closed the way while this chunk waited.
                    if !until_open(&mut modes, direction).await {
                        return;
                    }
                    if to.write_all(&bytes).await.is_err() {
                        return;
                    }
                }
                Chunk::End => {
                    let _ = to.shutdown().await;
                    return;
                }
            }
        }
    };
    tokio::join!(reader, writer);
}
