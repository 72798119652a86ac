//! `sealgate doc eval DIR`: the comparison with approved originals over a compare set made by
//! `sealgate doc gen-compare` (unaltered photos and every tamper kind), per engine and path: recall of
//! each tamper kind, false alarms and reviews on unaltered photos (with Wilson 95% intervals), and
//! seconds per page.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use sealgate_datasets::documents::compare_set::{CompareCase, load_compare_manifest};
use sealgate_datasets::documents::tamper::{TamperKind, TamperLabel};
use sealgate_pipeline::compare::{ApprovedOriginal, CompareConfig, Comparison, Verdict};
use sealgate_pipeline::original::pdf::PdfLimits;
use sealgate_pipeline::text::normalize_for_comparison;
use serde::Serialize;

use crate::compare::Route;
use crate::doc::{Engine, Readers};
use crate::stats::percentile;

/// Wilson score interval (95%) of `k` successes in `n` trials; `(0, 1)` when `n` is 0.
pub fn wilson95(k: usize, n: usize) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (z, n_f) = (1.959_964f64, n as f64);
    let p = k as f64 / n_f;
    let denom = 1.0 + z * z / n_f;
    let centre = (p + z * z / (2.0 * n_f)) / denom;
    let half = z * ((p * (1.0 - p) / n_f + z * z / (4.0 * n_f * n_f)).sqrt()) / denom;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// A count with its share and interval.
#[derive(Debug, Clone, Serialize)]
pub struct Rate {
    pub count: usize,
    pub of: usize,
    pub rate: f64,
    pub ci95: (f64, f64),
}

impl Rate {
    pub fn new(count: usize, of: usize) -> Rate {
        Rate { count, of, rate: if of == 0 { 0.0 } else { count as f64 / of as f64 }, ci95: wilson95(count, of) }
    }
}

/// Results for one tamper kind.
#[derive(Debug, Clone, Serialize)]
pub struct KindResult {
    pub kind: &'static str,
    /// `mismatch`, or `review` with a difference naming the changed text.
    pub caught: Rate,
    pub mismatch: usize,
    pub review_named: usize,
    /// A difference names the changed text (whatever the verdict).
    pub named: usize,
    /// Missed case ids, for a look.
    pub missed: Vec<String>,
}

/// Results of one engine on one path.
#[derive(Debug, Clone, Serialize)]
pub struct PathEval {
    pub engine: Engine,
    pub path: &'static str,
    pub kinds: Vec<KindResult>,
    pub critical_caught: Rate,
    pub unaltered_mismatch: Rate,
    pub unaltered_review: Rate,
    pub unaltered_match: usize,
    pub false_alarm_ids: Vec<String>,
    pub seconds_median: f64,
    pub seconds_mean: f64,
    pub seconds_p90: f64,
    pub seconds_median_unaltered: f64,
    /// Region path: photos handed to the text path, and approved lines read per photo.
    pub fallbacks: usize,
    pub regions_read_mean: f64,
    pub errors: Vec<String>,
}

/// Everything `doc eval` measured.
#[derive(Debug, Clone, Serialize)]
pub struct CompareEval {
    pub seed: u64,
    pub cases: usize,
    pub unaltered: usize,
    pub originals: usize,
    pub original_pages: usize,
    pub seconds_per_original_page: Vec<(Engine, f64)>,
    pub paths: Vec<PathEval>,
}

struct CaseResult {
    id: String,
    kind: Option<TamperKind>,
    verdict: Option<Verdict>,
    named: bool,
    time: Duration,
    fallback: bool,
    regions_read: usize,
    error: Option<String>,
}

/// True when a difference of `c` names the change of `case`: its approved or photographed text
/// overlaps the label's (comparison forms); for a swapped page, when no approved page was matched.
pub(crate) fn names_change(c: &Comparison, tamper: Option<&TamperLabel>) -> bool {
    let Some(label) = tamper else { return false };
    if label.kind == TamperKind::PageSwapped {
        return c.page.is_none() || c.differences.iter().any(|d| d.critical);
    }
    let (e, f) = (normalize_for_comparison(&label.expected), normalize_for_comparison(&label.found));
    let overlaps = |a: &str, b: &str| !a.is_empty() && !b.is_empty() && (a.contains(b) || b.contains(a));
    c.differences.iter().any(|d| {
        overlaps(&d.expected, &e)
            || overlaps(&d.found, &f)
            // A long clause read with a misread character still shares most of its text.
            || (e.chars().count() >= 6 && d.expected.chars().count() >= 4 && e.contains(&d.expected))
            || (f.chars().count() >= 6 && d.found.chars().count() >= 4 && f.contains(&d.found))
    })
}

/// Evaluate over the set in `dir` (first `limit` cases) for each engine and path.
pub fn eval_compare(
    readers: &Readers,
    dir: &Path,
    engines: &[Engine],
    routes: &[Route],
    limit: Option<usize>,
    cfg: &CompareConfig,
) -> anyhow::Result<CompareEval> {
    let manifest = load_compare_manifest(dir)?;
    let cases: Vec<&CompareCase> = manifest.cases.iter().take(limit.unwrap_or(usize::MAX)).collect();
    let mut used: Vec<usize> = cases.iter().map(|c| c.doc_id).collect();
    used.sort_unstable();
    used.dedup();
    let original_pages: usize =
        used.iter().filter_map(|&d| manifest.originals.iter().find(|o| o.doc_id == d)).map(|o| o.pages.len()).sum();
    let mut out = CompareEval {
        seed: manifest.seed,
        cases: cases.len(),
        unaltered: cases.iter().filter(|c| c.tamper.is_none()).count(),
        originals: used.len(),
        original_pages,
        seconds_per_original_page: Vec::new(),
        paths: Vec::new(),
    };
    for &engine in engines {
        // Originals, once per engine (the same engine reads both sides).
        let done = AtomicUsize::new(0);
        let t = Instant::now();
        let approved: Vec<(usize, anyhow::Result<ApprovedOriginal>)> = used
            .par_iter()
            .map(|&doc| {
                let r = manifest
                    .originals
                    .iter()
                    .find(|o| o.doc_id == doc)
                    .ok_or_else(|| anyhow::anyhow!("original {doc} missing from the manifest"))
                    .and_then(|o| {
                        let files: Vec<std::path::PathBuf> = o.pages.iter().map(|p| dir.join(p)).collect();
                        let refs: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
                        readers.approve(&refs, engine, &PdfLimits::DEFAULT)
                    });
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                eprint!("\r{engine:?}: originals {n}/{}", used.len());
                (doc, r)
            })
            .collect();
        eprintln!();
        let cpu = t.elapsed().as_secs_f64() * rayon::current_num_threads() as f64;
        out.seconds_per_original_page.push((engine, cpu / original_pages.max(1) as f64));

        for &route in routes {
            let name = match route {
                Route::Text => "text",
                Route::Region => "region",
                Route::Auto => "auto",
            };
            let done = AtomicUsize::new(0);
            let results: Vec<CaseResult> = cases
                .par_iter()
                .map(|case| {
                    let original = approved.iter().find(|(d, _)| *d == case.doc_id).map(|(_, r)| r);
                    let t = Instant::now();
                    let result = match original {
                        Some(Ok(o)) => std::fs::read(dir.join(&case.photo))
                            .map_err(anyhow::Error::from)
                            .and_then(|bytes| readers.compare(o, &bytes, engine, route, cfg)),
                        Some(Err(e)) => Err(anyhow::anyhow!("original: {e}")),
                        None => Err(anyhow::anyhow!("original {} not processed", case.doc_id)),
                    };
                    let time = t.elapsed();
                    let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                    eprint!("\r{engine:?} {name}: {n}/{} photos", cases.len());
                    match result {
                        Ok(c) => CaseResult {
                            id: case.id.clone(),
                            kind: case.tamper.as_ref().map(|l| l.kind),
                            verdict: Some(c.verdict),
                            named: names_change(&c, case.tamper.as_ref()),
                            time,
                            fallback: c.fallback.is_some(),
                            regions_read: c.regions_read,
                            error: None,
                        },
                        Err(e) => CaseResult {
                            id: case.id.clone(),
                            kind: case.tamper.as_ref().map(|l| l.kind),
                            verdict: None,
                            named: false,
                            time,
                            fallback: false,
                            regions_read: 0,
                            error: Some(format!("{}: {e}", case.id)),
                        },
                    }
                })
                .collect();
            eprintln!();
            out.paths.push(summarise(engine, name, &results));
        }
    }
    Ok(out)
}

fn summarise(engine: Engine, path: &'static str, results: &[CaseResult]) -> PathEval {
    // An error is a denial: it counts as caught for a tampered page and as a false alarm otherwise.
    let caught = |r: &CaseResult| match r.verdict {
        Some(Verdict::Mismatch) | None => true,
        Some(Verdict::Review) => r.named,
        Some(Verdict::Match) => false,
    };
    let mut kinds = Vec::new();
    let (mut all_caught, mut all_n) = (0, 0);
    for kind in TamperKind::ALL {
        let of: Vec<&CaseResult> = results.iter().filter(|r| r.kind == Some(kind)).collect();
        if of.is_empty() {
            continue;
        }
        let c = of.iter().filter(|r| caught(r)).count();
        all_caught += c;
        all_n += of.len();
        kinds.push(KindResult {
            kind: kind.name(),
            caught: Rate::new(c, of.len()),
            mismatch: of.iter().filter(|r| r.verdict == Some(Verdict::Mismatch)).count(),
            review_named: of.iter().filter(|r| r.verdict == Some(Verdict::Review) && r.named).count(),
            named: of.iter().filter(|r| r.named).count(),
            missed: of.iter().filter(|r| !caught(r)).map(|r| r.id.clone()).collect(),
        });
    }
    let unaltered: Vec<&CaseResult> = results.iter().filter(|r| r.kind.is_none()).collect();
    let mismatch = unaltered.iter().filter(|r| matches!(r.verdict, Some(Verdict::Mismatch) | None)).count();
    let review = unaltered.iter().filter(|r| r.verdict == Some(Verdict::Review)).count();
    let secs = |rs: &mut dyn Iterator<Item = &CaseResult>| {
        let mut v: Vec<f64> = rs.map(|r| r.time.as_secs_f64()).collect();
        v.sort_by(f64::total_cmp);
        v
    };
    let all = secs(&mut results.iter());
    let clean = secs(&mut unaltered.iter().copied());
    PathEval {
        engine,
        path,
        kinds,
        critical_caught: Rate::new(all_caught, all_n),
        unaltered_mismatch: Rate::new(mismatch, unaltered.len()),
        unaltered_review: Rate::new(review, unaltered.len()),
        unaltered_match: unaltered.iter().filter(|r| r.verdict == Some(Verdict::Match)).count(),
        false_alarm_ids: unaltered
            .iter()
            .filter(|r| r.verdict != Some(Verdict::Match))
            .map(|r| format!("{}:{:?}", r.id, r.verdict))
            .collect(),
        seconds_median: percentile(&all, 0.5),
        seconds_mean: all.iter().sum::<f64>() / all.len().max(1) as f64,
        seconds_p90: percentile(&all, 0.9),
        seconds_median_unaltered: percentile(&clean, 0.5),
        fallbacks: results.iter().filter(|r| r.fallback).count(),
        regions_read_mean: results.iter().map(|r| r.regions_read as f64).sum::<f64>() / results.len().max(1) as f64,
        errors: results.iter().filter_map(|r| r.error.clone()).collect(),
    }
}

/// The evaluation as tables.
pub fn eval_compare_table(e: &CompareEval) -> String {
    use std::fmt::Write;
    let pct = |r: &Rate| format!("{:6.2}% [{:5.1}, {:5.1}]", r.rate * 100.0, r.ci95.0 * 100.0, r.ci95.1 * 100.0);
    let mut o = String::new();
    let _ = writeln!(
        o,
        "seed {}: {} photos ({} unaltered), {} originals ({} pages)",
        e.seed, e.cases, e.unaltered, e.originals, e.original_pages
    );
    for (engine, s) in &e.seconds_per_original_page {
        let _ = writeln!(o, "{engine:?}: {s:.2} s per original page (processed once, when approved)");
    }
    let _ = writeln!(o, "\ncaught = mismatch, or review naming the changed text; rates with Wilson 95% intervals");
    let _ = writeln!(
        o,
        "\n engine    | path   | kind              | caught                      | mismatch | review+named | named"
    );
    let _ = writeln!(
        o,
        "-----------+--------+-------------------+-----------------------------+----------+--------------+------"
    );
    for p in &e.paths {
        for k in &p.kinds {
            let _ = writeln!(
                o,
                " {:<9} | {:<6} | {:<17} | {:>3}/{:<3} {} | {:>8} | {:>12} | {:>5}",
                format!("{:?}", p.engine).to_lowercase(),
                p.path,
                k.kind,
                k.caught.count,
                k.caught.of,
                pct(&k.caught),
                k.mismatch,
                k.review_named,
                k.named
            );
        }
        let _ = writeln!(
            o,
            " {:<9} | {:<6} | {:<17} | {:>3}/{:<3} {} |",
            format!("{:?}", p.engine).to_lowercase(),
            p.path,
            "ALL critical",
            p.critical_caught.count,
            p.critical_caught.of,
            pct(&p.critical_caught)
        );
    }
    let _ = writeln!(
        o,
        "\n engine    | path   | unaltered: mismatch         | review                      | match | s/page median | mean | p90  | unaltered median | fallbacks | lines read"
    );
    let _ = writeln!(
        o,
        "-----------+--------+-----------------------------+-----------------------------+-------+---------------+------+------+------------------+-----------+-----------"
    );
    for p in &e.paths {
        let _ = writeln!(
            o,
            " {:<9} | {:<6} | {:>3}/{:<3} {} | {:>3}/{:<3} {} | {:>5} | {:13.2} | {:4.2} | {:4.2} | {:16.2} | {:>9} | {:9.1}",
            format!("{:?}", p.engine).to_lowercase(),
            p.path,
            p.unaltered_mismatch.count,
            p.unaltered_mismatch.of,
            pct(&p.unaltered_mismatch),
            p.unaltered_review.count,
            p.unaltered_review.of,
            pct(&p.unaltered_review),
            p.unaltered_match,
            p.seconds_median,
            p.seconds_mean,
            p.seconds_p90,
            p.seconds_median_unaltered,
            p.fallbacks,
            p.regions_read_mean
        );
    }
    for p in &e.paths {
        let missed: Vec<String> =
            p.kinds.iter().filter(|k| !k.missed.is_empty()).map(|k| format!("{}: {:?}", k.kind, k.missed)).collect();
        if !missed.is_empty() || !p.false_alarm_ids.is_empty() || !p.errors.is_empty() {
            let _ = writeln!(
                o,
                "{:?}/{}: missed {}; unaltered not matched {:?}; errors {:?}",
                p.engine,
                p.path,
                missed.join("; "),
                p.false_alarm_ids,
                p.errors
            );
        }
    }
    o
}

/// Calibration of the region path's pixel test: for each photo of the set, the score of every
/// approved line under each of `configs`, with whether the line holds the tamper (in-place kinds).
/// JSON lines on stdout: `{"id", "kind", "page", "lines": [[score per config]...], "changed": [line indices]}`.
pub fn region_scores(
    readers: &Readers,
    dir: &Path,
    configs: &[sealgate_pipeline::compare::region::RegionConfig],
    limit: Option<usize>,
) -> anyhow::Result<()> {
    let manifest = load_compare_manifest(dir)?;
    let cases: Vec<&CompareCase> = manifest.cases.iter().take(limit.unwrap_or(usize::MAX)).collect();
    let mut used: Vec<usize> = cases.iter().map(|c| c.doc_id).collect();
    used.sort_unstable();
    used.dedup();
    let approved: Vec<(usize, ApprovedOriginal)> = used
        .par_iter()
        .map(|&doc| {
            let o =
                manifest.originals.iter().find(|o| o.doc_id == doc).ok_or_else(|| anyhow::anyhow!("no original"))?;
            let files: Vec<std::path::PathBuf> = o.pages.iter().map(|p| dir.join(p)).collect();
            let refs: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
            Ok((doc, readers.approve(&refs, Engine::Ppocr, &PdfLimits::DEFAULT)?))
        })
        .collect::<anyhow::Result<_>>()?;
    let lines: Vec<String> = cases
        .par_iter()
        .filter_map(|case| {
            let (_, original) = approved.iter().find(|(d, _)| *d == case.doc_id)?;
            let bytes = std::fs::read(dir.join(&case.photo)).ok()?;
            let photo = sealgate_pipeline::image::decode(&bytes, readers.limits).ok()?;
            let (page, scores) =
                sealgate_pipeline::compare::region::line_scores(original, &photo, &readers.page, configs).ok()??;
            let changed: Vec<usize> = case
                .tamper
                .as_ref()
                .map(|t| {
                    original.pages[page]
                        .lines
                        .iter()
                        .enumerate()
                        .filter(|(_, l)| l.bbox[1] < t.page_box[3] - 4.0 && l.bbox[3] > t.page_box[1] + 4.0)
                        .map(|(i, _)| i)
                        .collect()
                })
                .unwrap_or_default();
            let per_line: Vec<Vec<usize>> =
                (0..scores.first().map_or(0, |s| s.len())).map(|i| scores.iter().map(|s| s[i]).collect()).collect();
            Some(
                serde_json::json!({
                    "id": case.id, "kind": case.tamper.as_ref().map(|t| t.kind.name()), "page": page,
                    "expected_page": case.page_index, "lines": per_line, "changed": changed,
                })
                .to_string(),
            )
        })
        .collect();
    for l in lines {
        println!("{l}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_interval() {
        let (lo, hi) = wilson95(50, 50);
        assert!((lo - 0.9287).abs() < 1e-3 && (hi - 1.0).abs() < 1e-9, "{lo} {hi}");
        let (lo, hi) = wilson95(0, 100);
        assert!(lo == 0.0 && (hi - 0.0370).abs() < 1e-3, "{hi}");
        assert_eq!(wilson95(0, 0), (0.0, 1.0));
        let (lo, hi) = wilson95(5, 10);
        assert!(lo < 0.5 && hi > 0.5);
    }
}
