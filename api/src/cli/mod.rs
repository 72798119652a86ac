//! The `sealgate` command line.

mod doc;
mod face;
mod models;
mod serve;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "sealgate", version, about = "SealGate: computer-vision gate for company seals")]
pub struct Cli {
    /// Configuration file (default: $SEALGATE_CONFIG, then config/sealgate.toml).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Install and check model files.
    #[command(subcommand)]
    Models(models::ModelsCommand),
    /// Face detection, verification, enrolment and evaluation.
    #[command(subcommand)]
    Face(face::FaceCommand),
    /// Page photos: read them (OCR), generate labelled sets, evaluate.
    #[command(subcommand)]
    Doc(doc::DocCommand),
    /// Run the HTTP service (embedded defaults: SQLite and local evidence in the data folder).
    Serve(serve::ServeArgs),
    /// One-time administration: the first admin.
    #[command(subcommand)]
    Admin(serve::AdminCommand),
    /// Print the service's OpenAPI document (JSON), as served at /openapi.json.
    Openapi,
    /// The hash-chained audit log: export a signed checkpoint, verify the log against one.
    #[command(subcommand)]
    Audit(serve::AuditCommand),
}

/// Parse the arguments and run; the exit code is 0 on success, 2 on error.
pub fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SEALGATE_LOG")
                .unwrap_or_else(|_| "warn,sealgate::http=info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let result = match cli.command {
        Command::Models(cmd) => models::run(cmd),
        Command::Face(cmd) => face::run(cmd, cli.config.as_deref()),
        Command::Doc(cmd) => doc::run(cmd, cli.config.as_deref()),
        Command::Serve(args) => serve::serve(args, cli.config.as_deref()),
        Command::Admin(cmd) => serve::admin(cmd, cli.config.as_deref()),
        Command::Audit(cmd) => serve::audit(cmd, cli.config.as_deref()),
        Command::Openapi => {
            let (_, api) = crate::service::routes();
            serde_json::to_string_pretty(&api).map(|s| println!("{s}")).map_err(anyhow::Error::from)
        }
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}
