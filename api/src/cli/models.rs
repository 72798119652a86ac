//! `sealgate models fetch|list`.

use std::io::{IsTerminal, Write};

use clap::Subcommand;
use sealgate_models::Manifest;
use sealgate_models::paths::Paths;
use sealgate_models::provision::{self, Progress};

#[derive(Debug, Subcommand)]
pub enum ModelsCommand {
    /// Install what is missing (ONNX Runtime wheel, face models, PP-OCR models), checking every sha256.
    Fetch,
    /// Show each model's status.
    List {
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cmd: ModelsCommand) -> anyhow::Result<()> {
    let paths = Paths::discover();
    let manifest = Manifest::embedded()?;
    match cmd {
        ModelsCommand::Fetch => fetch(&paths, &manifest),
        ModelsCommand::List { json } => list(&paths, &manifest, json),
    }
}

fn fetch(paths: &Paths, manifest: &Manifest) -> anyhow::Result<()> {
    let tty = std::io::stderr().is_terminal();
    let mut err = std::io::stderr();
    let mut last_pct = u64::MAX;
    provision::fetch(paths, manifest, &mut |p| match p {
        Progress::Begin { index, total, name, from } => {
            last_pct = u64::MAX;
            let _ = write!(err, "[{index}/{total}] {name:<16} from {from}");
            let _ = if tty { err.flush() } else { writeln!(err) };
        }
        Progress::Hashing { name, done, total } if total > 0 => {
            let pct = done * 100 / total;
            if tty && pct != last_pct {
                last_pct = pct;
                let _ = write!(err, "\r\x1b[K    {name:<16} sha256 {pct:>3}%");
                let _ = err.flush();
            }
        }
        Progress::Hashing { .. } => {}
        Progress::Refused { name, why } => {
            let _ = writeln!(err, "\n    {name}: refused: {why}");
        }
        Progress::Done { name, installed } => {
            let what = if installed { "installed, sha256 ok" } else { "present, sha256 ok" };
            let _ = writeln!(err, "{}    {name:<16} {what}", if tty { "\r\x1b[K" } else { "" });
        }
    })?;
    eprintln!("models: all {} files verified in {}", manifest.models.len() + 1, paths.models.display());
    Ok(())
}

fn list(paths: &Paths, manifest: &Manifest, json: bool) -> anyhow::Result<()> {
    let rows = provision::status(paths, manifest);
    if json {
        let v: Vec<_> = rows
            .iter()
            .map(|r| {
                serde_json::json!({"name": r.name, "path": r.path, "status": r.state.label(), "bytes": r.bytes,
                    "licence": r.licence, "source": r.source})
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!("{:<16} {:<8} {:>10}  {:<12} file", "model", "status", "bytes", "licence");
        for r in &rows {
            println!("{:<16} {:<8} {:>10}  {:<12} {}", r.name, r.state.label(), r.bytes, r.licence, r.path.display());
        }
    }
    let bad = rows.iter().filter(|r| r.state != provision::State::Ok).count();
    anyhow::ensure!(bad == 0, "{bad} model file(s) missing or corrupt: run `{}`", sealgate_models::FETCH_COMMAND);
    Ok(())
}
