//! `sealgate doc ocr|eval-ocr|gen`.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use serde_json::json;

use crate::config::Config;
use crate::doc::{Engine, Readers, eval_ocr, eval_table};

#[derive(Debug, Subcommand)]
pub enum DocCommand {
    /// Read a page photo: text, lines with boxes (page and photo pixels) and confidence, orientation, timing.
    Ocr {
        image: PathBuf,
        #[arg(long, value_enum, default_value = "ppocr")]
        engine: Engine,
        #[arg(long)]
        json: bool,
    },
    /// CER (clean renders, photos, under seals), orientation accuracy and speed per engine over a set
    /// made by `sealgate doc gen`.
    EvalOcr {
        dir: PathBuf,
        #[arg(long, value_enum, value_delimiter = ',', default_value = "ppocr,tesseract")]
        engines: Vec<Engine>,
        /// Only the first N photos.
        #[arg(long)]
        limit: Option<usize>,
        /// Photos only: skip the clean renders and the red-ink ablation (for timing comparisons).
        #[arg(long)]
        photos_only: bool,
        #[arg(long)]
        json: bool,
    },
    /// Generate a labelled set of Chinese business documents and camera photos of them.
    Gen {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 200)]
        photos: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value_t = 0.34)]
        rotated_share: f32,
        #[arg(long, default_value_t = 0.34)]
        sealed_share: f32,
    },
}

pub fn run(cmd: DocCommand, config_path: Option<&Path>) -> anyhow::Result<()> {
    let (config, _) = Config::load(config_path)?;
    match cmd {
        DocCommand::Ocr { image, engine, json } => {
            let readers = Readers::load(&config, engine == Engine::Tesseract)?;
            let bytes = std::fs::read(&image).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", image.display()))?;
            let Some(r) = readers.read_photo_bytes(&bytes, engine, &readers.page)? else {
                if json {
                    println!("{}", json!({"page": false, "reason": "no page found in the photo"}));
                } else {
                    println!("no page found in the photo");
                }
                return Ok(());
            };
            if json {
                println!("{}", serde_json::to_string_pretty(&json!({"page": true, "reading": r}))?);
            } else {
                println!("{}", r.text);
                eprintln!(
                    "engine {}, rotation {} deg, {} lines, page {:?}, ocr {:.2} s",
                    r.engine,
                    r.rotation,
                    r.lines.len(),
                    r.page_timings,
                    r.ocr_time.as_secs_f64()
                );
            }
            Ok(())
        }
        DocCommand::EvalOcr { dir, engines, limit, photos_only, json } => {
            let readers = Readers::load(&config, engines.contains(&Engine::Tesseract))?;
            let manifest = sealgate_datasets::documents::load_manifest(&dir)?;
            let take = limit.unwrap_or(usize::MAX);
            let sealed = manifest.photos.iter().take(take).filter(|e| e.sealed).count();
            let rotated = manifest.photos.iter().take(take).filter(|e| e.rotation != 0).count();
            let evals = engines
                .iter()
                .map(|&e| eval_ocr(&readers, &dir, e, limit, photos_only))
                .collect::<anyhow::Result<Vec<_>>>()?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&json!({"sealed": sealed, "rotated": rotated, "engines": evals}))?
                );
            } else {
                println!("{}", eval_table(&evals, sealed, rotated));
            }
            Ok(())
        }
        DocCommand::Gen { out, photos, seed, rotated_share, sealed_share } => {
            let m = sealgate_datasets::documents::generate_set(
                &out,
                seed,
                photos,
                rotated_share,
                sealed_share,
                &mut |n, total| {
                    if n % 10 == 0 || n == total {
                        eprint!("\rgenerated {n}/{total} photos");
                    }
                },
            )?;
            eprintln!();
            let rotated = m.photos.iter().filter(|e| e.rotation != 0).count();
            let sealed = m.photos.iter().filter(|e| e.sealed).count();
            println!(
                "{}",
                json!({"dir": out, "photos": m.photos.len(), "rotated": rotated, "sealed": sealed, "seed": seed})
            );
            Ok(())
        }
    }
}
