//! `sealgate face detect|verify|enroll|identify|eval|bench`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Subcommand;
use sealgate_pipeline::face::{FacePipeline, FrameReport, identify, verify};
use serde_json::{Value, json};

use crate::config::Config;
use crate::face_eval;
use crate::stats::median_p99_ms;
use crate::templates;

#[derive(Debug, Subcommand)]
pub enum FaceCommand {
    /// Detect faces and report quality, liveness and every rejection reason (JSON).
    Detect { image: PathBuf },
    /// Compare the most prominent face of two photos (JSON).
    Verify { a: PathBuf, b: PathBuf },
    /// Store templates of PERSON from one or more photos in the local store.
    Enroll {
        #[arg(long)]
        id: String,
        #[arg(required = true)]
        images: Vec<PathBuf>,
    },
    /// 1:N: whom does this face belong to, among the enrolled people (JSON).
    Identify { image: PathBuf },
    /// Evaluate detection, verification and liveness on a labelled set.
    Eval {
        /// CSV `path,identity[,source]`, paths relative to its folder.
        #[arg(long)]
        labels: PathBuf,
        /// CSV `a,b,same`; without it every pair of labelled photos is scored.
        #[arg(long)]
        pairs: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Time every stage over photos (for the comparison with the Python reference).
    Bench {
        #[arg(required = true)]
        images: Vec<PathBuf>,
        #[arg(long, default_value_t = 20)]
        iters: usize,
        /// ONNX Runtime intra-op threads per session.
        #[arg(long, default_value_t = 1)]
        threads: usize,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cmd: FaceCommand, config_path: Option<&Path>) -> anyhow::Result<()> {
    let (mut config, origin) = Config::load(config_path)?;
    tracing::info!(config = %origin, "configuration loaded");
    if let FaceCommand::Bench { threads, .. } = &cmd {
        config.face.intra_threads = *threads;
    }
    let pipeline = crate::face_pipeline(&config)?;
    match cmd {
        FaceCommand::Detect { image } => print(&report_json(&image, &analyse(&pipeline, &image)?)),
        FaceCommand::Verify { a, b } => {
            let (ra, rb) = (analyse(&pipeline, &a)?, analyse(&pipeline, &b)?);
            let t = config.face.match_threshold;
            let v = match (&ra.subject, &rb.subject) {
                (Some(sa), Some(sb)) => Some(verify(&sa.embedding, std::slice::from_ref(&sb.embedding), t)),
                _ => None,
            };
            let same = v.is_some_and(|v| v.same);
            print(&json!({
                "similarity": v.map(|v| v.similarity),
                "threshold": t,
                "same": same,
                "accepted": same && ra.usable() && rb.usable(),
                "a": report_json(&a, &ra),
                "b": report_json(&b, &rb),
            }))
        }
        FaceCommand::Enroll { id, images } => {
            let mut kept = Vec::new();
            for path in &images {
                let r = analyse(&pipeline, path)?;
                match (&r.subject, r.usable()) {
                    (Some(s), true) => kept.push(s.embedding.clone()),
                    _ => anyhow::bail!("{}: not usable for enrolment: {}", path.display(), r.reason_codes().join(", ")),
                }
            }
            let path = templates::save(&templates::store_dir(), &id, kept)?;
            print(&json!({"id": id, "templates": images.len(), "store": path}))
        }
        FaceCommand::Identify { image } => {
            let r = analyse(&pipeline, &image)?;
            let gallery = templates::load_gallery(&templates::store_dir())?;
            let decision =
                r.subject.as_ref().filter(|_| r.usable()).map(|s| {
                    identify(&s.embedding, &gallery, config.face.match_threshold, config.face.identify_margin, 5)
                });
            print(&json!({
                "identification": decision.as_ref().map(|d| &d.0),
                "ranked": decision.as_ref().map(|d| &d.1),
                "enrolled": gallery.identities.len(),
                "frame": report_json(&image, &r),
            }))
        }
        FaceCommand::Eval { labels, pairs, json } => {
            let mut set = face_eval::read_labels(&labels)?;
            let pairs = pairs.map(|p| face_eval::read_pairs(&p, &mut set)).transpose()?;
            let results = face_eval::analyse(&pipeline, &set, true);
            let report = face_eval::evaluate(
                &set,
                &results,
                pairs.as_deref(),
                config.face.match_threshold,
                config.face.liveness_threshold,
            );
            if json {
                print(&serde_json::to_value(&report)?)
            } else {
                println!("{}", report.table());
                Ok(())
            }
        }
        FaceCommand::Bench { images, iters, threads, json } => bench(&pipeline, &images, iters, threads, json),
    }
}

fn analyse(pipeline: &FacePipeline, path: &Path) -> anyhow::Result<FrameReport> {
    let bytes = std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    pipeline.analyze_bytes(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

fn report_json(path: &Path, r: &FrameReport) -> Value {
    json!({
        "image": path,
        "width": r.width,
        "height": r.height,
        "faces": r.faces,
        "usable": r.usable(),
        "reasons": r.reason_codes(),
        "liveness": r.subject.as_ref().map(|s| json!({"p_real": s.liveness.p_real, "per_model": s.liveness.per_model, "live": s.live})),
        "quality": r.subject.as_ref().map(|s| &s.quality),
        "timings_ms": {
            "decode": ms(r.timings.decode), "detect": ms(r.timings.detect), "align": ms(r.timings.align),
            "quality": ms(r.timings.quality), "embed": ms(r.timings.embed), "liveness": ms(r.timings.liveness),
            "total": ms(r.timings.total()),
        },
    })
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e5).round() / 100.0
}

fn print(v: &Value) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

fn bench(pipeline: &FacePipeline, images: &[PathBuf], iters: usize, threads: usize, json: bool) -> anyhow::Result<()> {
    let frames: Vec<Vec<u8>> = images.iter().map(std::fs::read).collect::<Result<_, _>>()?;
    // Warm-up: first runs allocate and tune.
    for f in &frames {
        pipeline.analyze_bytes(f)?;
    }
    let mut stages: [Vec<Duration>; 7] = Default::default();
    for _ in 0..iters.max(1) {
        for f in &frames {
            let t = std::time::Instant::now();
            let r = pipeline.analyze_bytes(f)?;
            let wall = t.elapsed();
            let s = r.timings;
            for (v, d) in stages.iter_mut().zip([s.decode, s.detect, s.align, s.quality, s.embed, s.liveness, wall]) {
                v.push(d);
            }
        }
    }
    let names = ["decode", "detect", "align", "quality", "embed", "liveness", "frame"];
    let table: Vec<(&str, (f64, f64))> = names.iter().zip(&stages).map(|(n, v)| (*n, median_p99_ms(v))).collect();
    if json {
        let obj: serde_json::Map<String, Value> =
            table.iter().map(|(n, (m, p))| (n.to_string(), json!({"median_ms": m, "p99_ms": p}))).collect();
        print(&json!({"threads": threads, "frames": frames.len(), "iters": iters, "stages": obj}))
    } else {
        println!("{} frames x {iters} iterations, {threads} intra-op thread(s)", frames.len());
        println!(" stage     | median ms |    p99 ms");
        for (n, (m, p)) in table {
            println!(" {n:<9} | {m:9.2} | {p:9.2}");
        }
        Ok(())
    }
}
