//! `sealgate doc ocr|eval-ocr|gen`.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use sealgate_pipeline::original::pdf::PdfLimits;
use serde_json::json;

use crate::compare::Route;
use crate::config::Config;
use crate::doc::{Engine, Readers, eval_ocr, eval_table};

/// What `doc eval` evaluates on an inspect set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Stage {
    /// Every post-stamp check on the photos as taken.
    All,
    /// The seal stage alone.
    Seals,
}

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
    /// Inspect the photos of a stamping session (after stamping): each photo's verdict (the most serious
    /// of ok, blank, inserted, duplicate, wrong_seal, extra_impression, review) with every finding, its
    /// reason and boxes, and a session summary. Exit status 0 when every photo is ok, 1 otherwise, 2
    /// for errors (deny).
    Inspect {
        #[arg(long = "original", required = true, num_args = 1..)]
        originals: Vec<PathBuf>,
        /// Photos in the order they were taken.
        #[arg(long, required = true, num_args = 1..)]
        photos: Vec<PathBuf>,
        /// The granted seal's registered impression (印模), an image.
        #[arg(long)]
        seal: Option<PathBuf>,
        /// Impressions authorised for the whole session.
        #[arg(long)]
        authorized: Option<usize>,
        /// Where impressions are expected: x,y,w,h in approved-page pixels.
        #[arg(long, value_parser = parse_region)]
        region: Option<[f32; 4]>,
        #[arg(long, value_enum, default_value = "ppocr")]
        engine: Engine,
        #[arg(long)]
        json: bool,
    },
    /// Over a compare set (`sealgate doc gen-compare`): recall of each tamper kind, false alarms and
    /// reviews on unaltered photos, seconds per page, per engine and path. Over an inspect set
    /// (`sealgate doc gen-inspect`): the post-stamp checks' figures (blank, inserted, impression count,
    /// wrong seal, partial) with the first engine.
    Eval {
        dir: PathBuf,
        #[arg(long, value_enum, value_delimiter = ',', default_value = "ppocr,tesseract")]
        engines: Vec<Engine>,
        #[arg(long, value_enum, value_delimiter = ',', default_value = "text,region")]
        paths: Vec<Route>,
        /// Only the first N photos.
        #[arg(long)]
        limit: Option<usize>,
        /// On an inspect set, `seals` evaluates the seal stage alone (photos flattened by the
        /// generator's homography, no OCR): seconds, for calibrating the seal settings.
        #[arg(long, value_enum, default_value = "all")]
        stage: Stage,
        #[arg(long)]
        json: bool,
    },
    /// Generate an inspect set: approved originals and their seal templates, photos of stamped pages of
    /// every kind (blank variants, little-text pages, approved pages, near copies, unrelated pages,
    /// wrong seals, partial, double and missing impressions), with a labelled manifest.
    GenInspect {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 100)]
        per_kind: usize,
        #[arg(long, default_value_t = 20261130)]
        seed: u64,
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
        DocCommand::Inspect { originals, photos, seal, authorized, region, engine, json } => {
            let readers = Readers::load(&config, engine == Engine::Tesseract)?;
            let files: Vec<&Path> = originals.iter().map(PathBuf::as_path).collect();
            let original = readers.approve(&files, engine, &PdfLimits::DEFAULT)?;
            let template = seal.as_deref().map(|p| readers.seal_template(p, &config.inspect)).transpose()?;
            let mut shots = Vec::with_capacity(photos.len());
            for p in &photos {
                shots.push((p.display().to_string(), crate::compare::read_capped(p)?));
            }
            let session =
                crate::inspect::Session { original: &original, template: template.as_ref(), region, authorized };
            let t = std::time::Instant::now();
            let i = readers.inspect(&session, &shots, engine, &config.compare, &config.inspect)?;
            let seconds = t.elapsed().as_secs_f64();
            if json {
                let photos: Vec<_> = i
                    .photos
                    .iter()
                    .zip(&i.checks)
                    .map(|(r, c)| {
                        json!({
                            "photo": r.photo,
                            "verdict": r.verdict,
                            "flags": r.flags,
                            "boxes": r.boxes,
                            "page": r.page,
                            "impressions": c.impressions,
                            "blank": c.blank,
                            "comparison": c.comparison.as_ref().map(|c| json!({
                                "verdict": c.verdict, "similarity": c.similarity, "page": c.page,
                                "differences": c.differences, "reasons": c.reasons,
                            })),
                            "seconds": {
                                "normalise": c.timings.normalise.as_secs_f64(),
                                "read": c.timings.read.as_secs_f64(),
                                "compare": c.timings.compare.as_secs_f64(),
                                "checks": c.timings.checks.as_secs_f64(),
                            },
                        })
                    })
                    .collect();
                println!(
                    "{}",
                    serde_json::to_string_pretty(&json!({"photos": photos, "session": i.session, "seconds": seconds}))?
                );
            } else {
                for r in &i.photos {
                    println!(
                        "{}: {:?} (page {})",
                        r.photo,
                        r.verdict,
                        r.page.map_or("none".into(), |p| (p + 1).to_string())
                    );
                    for f in &r.flags {
                        println!("  {:?} -> {:?}: {}", f.kind, f.verdict, f.reason);
                    }
                }
                let s = &i.session;
                println!(
                    "session: {:?}; {} photos of {} approved pages; not approved {:?}; over-stamped {:?}; missing {:?}; out of order {:?}; {} impressions{}",
                    s.verdict,
                    s.photos,
                    s.approved_pages,
                    s.pages.not_approved,
                    s.pages.over_stamped,
                    s.pages.missing,
                    s.pages.out_of_order,
                    s.impressions,
                    s.authorized.map_or(String::new(), |a| format!(" ({a} authorised)"))
                );
                eprintln!("inspected in {seconds:.2} s");
            }
            if i.photos.iter().any(|r| r.verdict != sealgate_pipeline::inspect::PhotoVerdict::Ok) {
                std::process::exit(1);
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
                        "changes_confirmed": c.changes_confirmed,
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
        DocCommand::Eval { dir, stage: Stage::Seals, json, .. } => {
            let e = crate::seal_eval::eval_seals(&dir, &config.inspect)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&e)?);
            } else {
                println!("{}", crate::seal_eval::eval_seals_table(&e));
            }
            Ok(())
        }
        DocCommand::Eval { dir, engines, paths: _, limit, json, .. } if dir.join("templates").is_dir() => {
            let engine = engines.first().copied().unwrap_or(Engine::Ppocr);
            let readers = Readers::load(&config, engine == Engine::Tesseract)?;
            let e = crate::inspect_eval::eval_inspect(&readers, &dir, engine, limit, &config.compare, &config.inspect)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&e)?);
            } else {
                println!("{}", crate::inspect_eval::eval_inspect_table(&e));
            }
            Ok(())
        }
        DocCommand::GenInspect { out, per_kind, seed } => {
            let counts = sealgate_datasets::documents::inspect_set::InspectCounts::per_kind(per_kind);
            let m = sealgate_datasets::documents::inspect_set::generate_inspect_set(&out, seed, &counts, |n, of| {
                eprint!("\rgenerated {n}/{of}")
            })?;
            eprintln!();
            println!("{} photos, {} documents written to {}", m.cases.len(), m.docs.len(), out.display());
            Ok(())
        }
        DocCommand::Eval { dir, engines, paths, limit, json, .. } => {
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

/// `x,y,w,h` (approved-page pixels) as `[x0, y0, x1, y1]`.
fn parse_region(s: &str) -> Result<[f32; 4], String> {
    let v: Vec<f32> =
        s.split(',').map(|p| p.trim().parse::<f32>().map_err(|e| format!("`{p}`: {e}"))).collect::<Result<_, _>>()?;
    match v[..] {
        [x, y, w, h] if v.iter().all(|n| n.is_finite()) && w > 0.0 && h > 0.0 => Ok([x, y, x + w, y + h]),
        _ => Err(format!("expected x,y,w,h with a positive width and height, not `{s}`")),
    }
}
