//! `sealgate doc ocr|eval-ocr|gen`.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use sealgate_pipeline::original::pdf::PdfLimits;
use serde_json::json;

use crate::compare::Route;
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
    /// Compare a photo of a page with the approved original (page images and/or PDFs, in page order):
    /// verdict (match / mismatch / review), similarity, the page it shows and every difference boxed
    /// on the photo. Exit status 0 for match, 1 for mismatch or review, 2 for errors (deny).
    Compare {
        #[arg(long = "original", required = true, num_args = 1..)]
        originals: Vec<PathBuf>,
        #[arg(long)]
        photo: PathBuf,
        #[arg(long, value_enum, default_value = "ppocr")]
        engine: Engine,
        /// `region`: register the photo to the approved page image and read only regions that differ;
        /// `text`: read the whole photo; `auto`: region when the original has page images.
        #[arg(long, value_enum, default_value = "auto")]
        path: Route,
        #[arg(long)]
        json: bool,
    },
    /// Recall of each tamper kind, false alarms and reviews on unaltered photos, seconds per page, per
    /// engine and path, over a compare set made by `sealgate doc gen-compare`.
    Eval {
        dir: PathBuf,
        #[arg(long, value_enum, value_delimiter = ',', default_value = "ppocr,tesseract")]
        engines: Vec<Engine>,
        #[arg(long, value_enum, value_delimiter = ',', default_value = "text,region")]
        paths: Vec<Route>,
        /// Only the first N photos.
        #[arg(long)]
        limit: Option<usize>,
        #[arg(long)]
        json: bool,
    },
    /// Calibrate the region path's pixel test: per photo, each approved line's score under a grid of
    /// ink levels and radii (JSON lines).
    #[command(hide = true)]
    RegionScores {
        dir: PathBuf,
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Generate a compare set: approved originals, photos of unaltered pages and of pages tampered in
    /// each way (amount digit, capital amount, date, party name, clause deleted, sentence inserted,
    /// page swapped), with a labelled manifest.
    GenCompare {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 100)]
        unaltered: usize,
        #[arg(long, default_value_t = 50)]
        per_kind: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
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
        DocCommand::Compare { originals, photo, engine, path, json } => {
            let readers = Readers::load(&config, engine == Engine::Tesseract)?;
            let files: Vec<&Path> = originals.iter().map(PathBuf::as_path).collect();
            let t = std::time::Instant::now();
            let original = readers.approve(&files, engine, &PdfLimits::DEFAULT)?;
            let approve_s = t.elapsed().as_secs_f64();
            let bytes = crate::compare::read_capped(&photo)?;
            let c = readers.compare(&original, &bytes, engine, path, &config.compare)?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&json!({
                        "verdict": c.verdict,
                        "similarity": c.similarity,
                        "page": c.page,
                        "differences": c.differences,
                        "reasons": c.reasons,
                        "path": c.path,
                        "fallback": c.fallback,
                        "engine": c.engine,
                        "rotation": c.rotation,
                        "regions_compared": c.regions_compared,
                        "regions_read": c.regions_read,
                        "lines_reread": c.lines_reread,
                        "misreadings_resolved": c.misreadings_resolved,
                        "original_pages": original.pages.len(),
                        "seconds": {"approve_original": approve_s, "compare": c.timings.total.as_secs_f64()},
                    }))?
                );
            } else {
                println!(
                    "{:?}: similarity {:.4}, page {}, {} differences ({:?} path{})",
                    c.verdict,
                    c.similarity,
                    c.page.map_or("none".to_string(), |p| (p + 1).to_string()),
                    c.differences.len(),
                    c.path,
                    c.fallback.as_deref().map_or(String::new(), |f| format!(", fell back: {f}"))
                );
                for d in &c.differences {
                    println!(
                        "  {:?}{}{} `{}` -> `{}` {:?} at {:?}",
                        d.kind,
                        if d.critical { " CRITICAL" } else { "" },
                        d.uncertain.map_or(String::new(), |u| format!(" uncertain({u:?})")),
                        d.expected,
                        d.found,
                        d.reasons,
                        d.photo_box.map(|b| [b[0][0] as i32, b[0][1] as i32, b[2][0] as i32, b[2][1] as i32])
                    );
                }
                for r in &c.reasons {
                    println!("  reason: {r}");
                }
                eprintln!("original processed in {approve_s:.2} s, compared in {:.2} s", c.timings.total.as_secs_f64());
            }
            if c.verdict != sealgate_pipeline::compare::Verdict::Match {
                std::process::exit(1);
            }
            Ok(())
        }
        DocCommand::Eval { dir, engines, paths, limit, json } => {
            let readers = Readers::load(&config, engines.contains(&Engine::Tesseract))?;
            let e = crate::compare_eval::eval_compare(&readers, &dir, &engines, &paths, limit, &config.compare)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&e)?);
            } else {
                println!("{}", crate::compare_eval::eval_compare_table(&e));
            }
            Ok(())
        }
        DocCommand::RegionScores { dir, limit } => {
            let readers = Readers::load(&config, false)?;
            let base = config.compare.region.clone();
            let mut grid = Vec::new();
            for blur_approved in [1usize, 2, 3] {
                for blur_photo in [1usize] {
                    for relative in [false, true] {
                        grid.push(sealgate_pipeline::compare::region::RegionConfig {
                            measure: sealgate_pipeline::compare::region::Measure::Correlation,
                            blur_approved,
                            blur_photo,
                            relative,
                            ..base.clone()
                        });
                    }
                }
            }
            let names: Vec<String> =
                grid.iter().map(|g| format!("{}/{}/{}", g.blur_approved, g.blur_photo, g.relative)).collect();
            println!("{}", json!({ "configs": names }));
            crate::compare_eval::region_scores(&readers, &dir, &grid, limit)
        }
        DocCommand::GenCompare { out, unaltered, per_kind, seed } => {
            let m = sealgate_datasets::documents::compare_set::generate_compare_set(
                &out,
                seed,
                unaltered,
                per_kind,
                &mut |n, total| {
                    if n % 10 == 0 || n == total {
                        eprint!("\rgenerated {n}/{total} photos");
                    }
                },
            )?;
            eprintln!();
            println!("{}", json!({"dir": out, "photos": m.cases.len(), "originals": m.originals.len(), "seed": seed}));
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
