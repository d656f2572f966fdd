//! `ringside-cli`: see `ringside-cli --help` and [`ringside_core::cli`].
fn main() -> std::process::ExitCode {
    ringside_core::cli::main()
}
