//! The command line, as clap reads it.
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Headless Cisco Finesse client: sign in, change state, act on calls, watch events as JSON
/// lines, and diagnose connectivity.
///
/// The password is read from `--password-stdin`, the `RINGSIDE_PASSWORD` environment
/// variable, or the OS keychain (service `ringside`, account `<user>@<node-a>`), in that
/// order. It is never a command-line argument.
///
/// Exit codes: 0 ok, 2 usage, 3 authentication failed, 4 unreachable, 5 refused by Finesse.
#[derive(Debug, Parser)]
#[command(name = "ringside-cli", version)]
pub struct Cli {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Machine-readable output: JSON on stdout, errors as `{code, message}` on stderr.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: CliCommand,
}

/// Where Finesse is and who signs in.
#[derive(Debug, Clone, Args)]
pub struct ConnectionArgs {
    /// Finesse node A (primary) host name.
    #[arg(long, env = "RINGSIDE_NODE_A", global = true, value_name = "HOST")]
    pub node_a: Option<String>,
    /// Finesse node B (secondary) host name.
    #[arg(long, env = "RINGSIDE_NODE_B", global = true, value_name = "HOST")]
    pub node_b: Option<String>,
    /// REST (HTTPS) port of the nodes.
    #[arg(long, default_value_t = 8445, global = true, value_name = "PORT")]
    pub https_port: u16,
    /// Use only this XMPP transport (default: WebSocket on the HTTPS port, WebSocket on
    /// 7443, then direct TLS on 5223).
    #[arg(long, value_enum, global = true)]
    pub xmpp_transport: Option<TransportKind>,
    /// Port for `--xmpp-transport` (default: the HTTPS port, 5223 or 5222).
    #[arg(long, global = true, value_name = "PORT")]
    pub xmpp_port: Option<u16>,
    /// A WebSocket URL for XMPP, e.g. `wss://fin-a.example.com:8445/ws/`.
    #[arg(long, global = true, value_name = "URL")]
    pub xmpp_url: Option<String>,
    /// A PEM file of CA certificates to trust besides the OS store.
    #[arg(long, env = "RINGSIDE_CA_FILE", global = true, value_name = "PATH")]
    pub ca_file: Option<PathBuf>,
    /// Agent ID, or (UCCE) login name.
    #[arg(long, env = "RINGSIDE_USER", global = true, value_name = "ID")]
    pub user: Option<String>,
    /// Extension (phone) to sign in on.
    #[arg(long, env = "RINGSIDE_EXTENSION", global = true)]
    pub extension: Option<String>,
    /// Read the password from the first line of standard input.
    #[arg(long, global = true)]
    pub password_stdin: bool,
    /// Seconds to wait for the connection before giving up.
    #[arg(long, default_value_t = 30, global = true, value_name = "SECONDS")]
    pub timeout: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TransportKind {
    /// RFC 7395 XMPP over a secure WebSocket.
    Websocket,
    /// XMPP over TLS from the first byte (Finesse 5223).
    Tls,
    /// XMPP upgraded with STARTTLS (Finesse 5222).
    Starttls,
}

#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Connect; with `--extension`, sign in on it.
    Login,
    /// Change the agent state.
    State {
        #[arg(value_enum)]
        state: StateArg,
        /// Reason code id (the Finesse id, not the CTI code).
        #[arg(long, value_name = "ID")]
        reason: Option<String>,
    },
    /// Act on a call.
    Call {
        #[command(subcommand)]
        action: CallAction,
    },
    /// Print the snapshot, then one JSON object per line for every event and snapshot change.
    Watch,
    /// Check DNS, TLS, REST sign-in and every XMPP transport; ends with a verdict line.
    Doctor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StateArg {
    Ready,
    NotReady,
    Logout,
}

/// Which call: needed only when several calls allow the action.
#[derive(Debug, Clone, Args)]
pub struct DialogArg {
    /// The dialog (call) id.
    #[arg(long, value_name = "ID")]
    pub dialog: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum CallAction {
    Answer(DialogArg),
    Hold(DialogArg),
    Retrieve(DialogArg),
    Drop(DialogArg),
    /// Place a call from the signed-in extension.
    Make {
        number: String,
        /// A call variable, `NAME=VALUE` (UCCE only); repeatable.
        #[arg(long = "var", value_name = "NAME=VALUE")]
        vars: Vec<String>,
    },
    /// Consult another party from the active call.
    Consult {
        number: String,
        #[command(flatten)]
        dialog: DialogArg,
    },
    /// Complete a consult transfer.
    Transfer(DialogArg),
    /// Single-step (blind) transfer.
    Sst {
        number: String,
        #[command(flatten)]
        dialog: DialogArg,
    },
    /// Complete a consult as a conference.
    Conference(DialogArg),
    /// Send DTMF digits.
    Dtmf {
        digits: String,
        #[command(flatten)]
        dialog: DialogArg,
    },
    /// Set call variables.
    UpdateData {
        /// `NAME=VALUE`; repeatable.
        #[arg(long = "var", value_name = "NAME=VALUE", required = true)]
        vars: Vec<String>,
        #[command(flatten)]
        dialog: DialogArg,
    },
    /// Set the wrap-up reason (its label).
    WrapUp {
        reason: String,
        #[command(flatten)]
        dialog: DialogArg,
    },
}
