//! `sealgate serve`, `sealgate admin create` and `sealgate audit ...`: the service and the commands
//! an operator runs beside it on the same configuration.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Subcommand};

use crate::config::Config;
use crate::service::audit::{self, Checkpoint};
use crate::service::engines::Engines;
use crate::service::settings::ServiceConfig;
use crate::service::{self, AppState, keys, people};

/// Where the service keeps its data; each flag overrides `[service]` and the environment.
#[derive(Debug, Args)]
pub struct Store {
    /// `sqlite://PATH` or `postgres://...` (default: SQLite in the data folder).
    #[arg(long)]
    pub database_url: Option<String>,
    /// A folder or `s3://bucket/prefix` (default: the data folder's evidence/).
    #[arg(long)]
    pub evidence: Option<String>,
    /// The data folder (SQLite database, local evidence, service key).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (default: `[service] listen`).
    #[arg(long)]
    pub listen: Option<String>,
    #[command(flatten)]
    pub store: Store,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create the first admin and print their API token (once). Refused when an admin exists.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "head-office")]
        org_unit: String,
        #[command(flatten)]
        store: Store,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Sign the log's current head and write the checkpoint (JSON) to export.
    Checkpoint {
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        store: Store,
    },
    /// Walk the whole chain and check it against an exported checkpoint; exit code 2 on tampering.
    Verify {
        /// A checkpoint written by `sealgate audit checkpoint` or `POST /api/v1/audit/checkpoints`.
        #[arg(long)]
        checkpoint: PathBuf,
        #[command(flatten)]
        store: Store,
    },
}

fn service_config(config: Option<&Path>, store: &Store) -> anyhow::Result<(Config, ServiceConfig)> {
    let (config, _) = Config::load(config)?;
    let mut s = config.service.clone().with_env();
    if let Some(v) = &store.database_url {
        s.database_url = v.clone();
    }
    if let Some(v) = &store.evidence {
        s.evidence = v.clone();
    }
    if let Some(v) = &store.data_dir {
        s.data_dir = v.clone();
    }
    s.validate().map_err(anyhow::Error::msg)?;
    Ok((config, s))
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}

pub fn serve(args: ServeArgs, config: Option<&Path>) -> anyhow::Result<()> {
    let (config, mut s) = service_config(config, &args.store)?;
    if let Some(listen) = args.listen {
        s.listen = listen;
    }
    eprintln!("loading the face and page-reading models");
    let engines = Arc::new(Engines::load(config, Duration::from_secs(s.decision_timeout_s)));
    runtime()?.block_on(async move {
        let listen = s.listen.clone();
        let state = AppState::open(s, engines).await?;
        service::serve_until_signal(state, &listen).await?;
        Ok(())
    })
}

pub fn admin(cmd: AdminCommand, config: Option<&Path>) -> anyhow::Result<()> {
    match cmd {
        AdminCommand::Create { name, org_unit, store } => {
            let (config, s) = service_config(config, &store)?;
            runtime()?.block_on(async move {
                let state = AppState::open(s, Arc::new(Engines::none(config))).await?;
                let (person, token) = people::create_first_admin(&state, &name, &org_unit).await?;
                eprintln!(
                    "created admin {} ({}); their API token follows and is not shown again",
                    person.name, person.id
                );
                println!("{token}");
                Ok(())
            })
        }
    }
}

pub fn audit(cmd: AuditCommand, config: Option<&Path>) -> anyhow::Result<()> {
    match cmd {
        AuditCommand::Checkpoint { out, store } => {
            let (config, s) = service_config(config, &store)?;
            runtime()?.block_on(async move {
                let state = AppState::open(s, Arc::new(Engines::none(config))).await?;
                let cp = audit::checkpoint(&state.db, &state.key, state.clock.now_ms()).await?;
                std::fs::write(&out, serde_json::to_string_pretty(&cp)?)?;
                eprintln!("checkpoint of entry {} written to {}", cp.seq, out.display());
                Ok(())
            })
        }
        AuditCommand::Verify { checkpoint, store } => {
            let (_, s) = service_config(config, &store)?;
            let text = std::fs::read_to_string(&checkpoint)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", checkpoint.display()))?;
            let cp: Checkpoint = serde_json::from_str(&text)
                .map_err(|e| anyhow::anyhow!("{} is not a checkpoint: {e}", checkpoint.display()))?;
            // Pin the service's own key when this machine has it; else trust the exported one.
            let pinned = keys::load(&s.key_file()).ok().map(|k| k.verifying_key());
            runtime()?.block_on(async move {
                let db = service::db::Db::connect(&s.database_url()).await?;
                let report = audit::verify(&db, &cp, pinned.as_ref(), |n| eprintln!("verified {n} entries")).await;
                match report {
                    Ok(r) => {
                        println!(
                            "{}",
                            serde_json::to_string_pretty(&serde_json::json!({ "intact": true, "report": r }))?
                        );
                        Ok(())
                    }
                    Err(e) => {
                        println!(
                            "{}",
                            serde_json::to_string_pretty(&serde_json::json!({ "intact": false, "finding": e }))?
                        );
                        anyhow::bail!("audit log tampered: {e}")
                    }
                }
            })
        }
    }
}
