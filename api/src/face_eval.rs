//! `sealgate face eval`: detection rate, verification error rates over a threshold sweep, the threshold
//! that reaches FMR <= 1e-3, liveness pass rate and per-stage timing, over a labelled photo set.
//!
//! Each photo contributes its most prominent face; quality gates are reported, not applied; a photo
//! where no face is found (or that fails to decode) scores -1 against everything, so it counts as a
//! non-match: against the result on genuine pairs.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use rayon::prelude::*;
use sealgate_pipeline::face::{Embedding, FacePipeline, StageTimings, cosine};
use serde::Serialize;

pub use sealgate_datasets::faces::{Labelled, read_labels, read_pairs};

use crate::stats::median_p99_ms;

/// What the pipeline made of one photo.
#[derive(Debug, Clone)]
pub struct PhotoResult {
    pub faces: usize,
    pub embedding: Option<Embedding>,
    pub p_real: Option<f32>,
    pub reasons: Vec<&'static str>,
    pub timings: StageTimings,
    pub error: Option<String>,
}

/// Analyse every photo in parallel, printing progress to stderr.
pub fn analyse(pipeline: &FacePipeline, labels: &[Labelled], show_progress: bool) -> Vec<PhotoResult> {
    let done = AtomicUsize::new(0);
    let results = labels
        .par_iter()
        .map(|l| {
            let r = match std::fs::read(&l.path)
                .map_err(|e| e.to_string())
                .and_then(|b| pipeline.analyze_bytes(&b).map_err(|e| e.to_string()))
            {
                Ok(rep) => PhotoResult {
                    faces: rep.faces.len(),
                    p_real: rep.subject.as_ref().map(|s| s.liveness.p_real),
                    embedding: rep.subject.map(|s| s.embedding),
                    reasons: rep.rejections.iter().map(|r| r.code()).collect(),
                    timings: rep.timings,
                    error: None,
                },
                Err(e) => PhotoResult {
                    faces: 0,
                    embedding: None,
                    p_real: None,
                    reasons: vec![],
                    timings: StageTimings::default(),
                    error: Some(format!("{}: {e}", l.path.display())),
                },
            };
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if show_progress && (n.is_multiple_of(10) || n == labels.len()) {
                eprint!("\ranalysed {n}/{} photos", labels.len());
            }
            r
        })
        .collect();
    if show_progress {
        eprintln!();
    }
    results
}

/// Error rates at one threshold.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SweepRow {
    pub threshold: f32,
    pub fmr: f64,
    pub fnmr: f64,
    pub accuracy: f64,
    pub false_matches: usize,
    pub false_non_matches: usize,
}

/// Median and p99 of one stage, milliseconds.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Timing {
    pub median_ms: f64,
    pub p99_ms: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct LivenessSummary {
    pub threshold: f32,
    pub scored: usize,
    pub passed: usize,
    pub pass_rate: f64,
    pub p_real_min: Option<f32>,
    pub p_real_median: Option<f32>,
    /// Share of faces passing at other thresholds, for calibration.
    pub sweep: Vec<(f32, f64)>,
}

/// The whole evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    pub images: usize,
    pub faces_detected: usize,
    pub exactly_one_face: usize,
    pub detection_rate: f64,
    pub errors: Vec<String>,
    pub pairs: usize,
    pub genuine_pairs: usize,
    pub impostor_pairs: usize,
    /// The shipped threshold and the rates at it.
    pub threshold: f32,
    pub fmr: f64,
    pub fnmr: f64,
    pub accuracy: f64,
    pub false_matches: usize,
    pub false_non_matches: usize,
    /// Lowest threshold at which FMR <= 1e-3, and FNMR there.
    pub threshold_at_fmr_1e3: Option<f32>,
    pub fnmr_at_fmr_1e3: Option<f64>,
    pub genuine_min: Option<f32>,
    pub impostor_max: Option<f32>,
    pub sweep: Vec<SweepRow>,
    pub liveness: LivenessSummary,
    pub quality_reasons: BTreeMap<String, usize>,
    pub timings: BTreeMap<String, Timing>,
}

/// Score pairs (or every pair when `pairs` is `None`) and summarise.
pub fn evaluate(
    labels: &[Labelled],
    results: &[PhotoResult],
    pairs: Option<&[(usize, usize, bool)]>,
    threshold: f32,
    liveness_threshold: f32,
) -> EvalReport {
    let all_pairs: Vec<(usize, usize, bool)> = match pairs {
        Some(p) => p.to_vec(),
        None => (0..labels.len())
            .flat_map(|i| (i + 1..labels.len()).map(move |j| (i, j)))
            .map(|(i, j)| (i, j, labels[i].identity == labels[j].identity))
            .collect(),
    };
    let score = |i: usize, j: usize| match (&results[i].embedding, &results[j].embedding) {
        (Some(a), Some(b)) => cosine(a, b),
        _ => -1.0,
    };
    let (mut genuine, mut impostor) = (Vec::new(), Vec::new());
    for &(i, j, same) in &all_pairs {
        if same { genuine.push(score(i, j)) } else { impostor.push(score(i, j)) }
    }
    let row = |t: f32| rates(&genuine, &impostor, t);
    let mut sweep: Vec<SweepRow> = (4..=16).map(|k| row(k as f32 * 0.05)).collect();
    sweep.push(row(threshold));
    sweep.sort_by(|a, b| a.threshold.total_cmp(&b.threshold));
    sweep.dedup_by(|a, b| (a.threshold - b.threshold).abs() < 1e-6);
    let at = row(threshold);
    let t3 = threshold_for_fmr(&impostor, 1e-3);

    let scored: Vec<f32> = results.iter().filter_map(|r| r.p_real).collect();
    let mut sorted = scored.clone();
    sorted.sort_by(f32::total_cmp);
    let passed = scored.iter().filter(|&&p| p >= liveness_threshold).count();

    let mut quality_reasons = BTreeMap::new();
    for r in results {
        for code in &r.reasons {
            *quality_reasons.entry(code.to_string()).or_insert(0) += 1;
        }
    }
    let stage = |f: fn(&StageTimings) -> Duration| {
        let v: Vec<Duration> = results.iter().filter(|r| r.error.is_none()).map(|r| f(&r.timings)).collect();
        let (median_ms, p99_ms) = median_p99_ms(&v);
        Timing { median_ms, p99_ms }
    };
    let timings = BTreeMap::from([
        ("1_decode".to_string(), stage(|t| t.decode)),
        ("2_detect".to_string(), stage(|t| t.detect)),
        ("3_align".to_string(), stage(|t| t.align)),
        ("4_quality".to_string(), stage(|t| t.quality)),
        ("5_embed".to_string(), stage(|t| t.embed)),
        ("6_liveness".to_string(), stage(|t| t.liveness)),
        ("7_frame".to_string(), stage(|t| t.total())),
    ]);
    let detected = results.iter().filter(|r| r.faces > 0).count();
    EvalReport {
        images: labels.len(),
        faces_detected: detected,
        exactly_one_face: results.iter().filter(|r| r.faces == 1).count(),
        detection_rate: ratio(detected, labels.len()),
        errors: results.iter().filter_map(|r| r.error.clone()).collect(),
        pairs: all_pairs.len(),
        genuine_pairs: genuine.len(),
        impostor_pairs: impostor.len(),
        threshold,
        fmr: at.fmr,
        fnmr: at.fnmr,
        accuracy: at.accuracy,
        false_matches: at.false_matches,
        false_non_matches: at.false_non_matches,
        threshold_at_fmr_1e3: t3,
        fnmr_at_fmr_1e3: t3.map(|t| row(t).fnmr),
        genuine_min: genuine.iter().copied().reduce(f32::min),
        impostor_max: impostor.iter().copied().reduce(f32::max),
        sweep,
        liveness: LivenessSummary {
            threshold: liveness_threshold,
            scored: scored.len(),
            passed,
            pass_rate: ratio(passed, scored.len()),
            p_real_min: sorted.first().copied(),
            p_real_median: sorted.get(sorted.len() / 2).copied(),
            sweep: [0.2f32, 0.3, 0.4, 0.5, 0.6, 0.7]
                .iter()
                .map(|&t| (t, ratio(scored.iter().filter(|&&p| p >= t).count(), scored.len())))
                .collect(),
        },
        quality_reasons,
        timings,
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

fn rates(genuine: &[f32], impostor: &[f32], t: f32) -> SweepRow {
    let false_matches = impostor.iter().filter(|&&s| s >= t).count();
    let false_non_matches = genuine.iter().filter(|&&s| s < t).count();
    let total = genuine.len() + impostor.len();
    SweepRow {
        threshold: t,
        fmr: ratio(false_matches, impostor.len()),
        fnmr: ratio(false_non_matches, genuine.len()),
        accuracy: ratio(total - false_matches - false_non_matches, total),
        false_matches,
        false_non_matches,
    }
}

/// The lowest threshold whose FMR is at most `target`: just above the (k+1)-th highest impostor
/// score, where k = floor(target * impostors) false matches are allowed.
fn threshold_for_fmr(impostor: &[f32], target: f64) -> Option<f32> {
    if impostor.is_empty() {
        return None;
    }
    let mut s = impostor.to_vec();
    s.sort_by(|a, b| b.total_cmp(a));
    let allowed = (target * s.len() as f64).floor() as usize;
    s.get(allowed).map(|&v| v + 1e-4).or(Some(f32::MIN))
}

impl EvalReport {
    /// The report as a text table.
    pub fn table(&self) -> String {
        use std::fmt::Write;
        let mut o = String::new();
        let _ = writeln!(
            o,
            "images {}  faces detected {} ({:.1}%)  exactly one face {}  errors {}",
            self.images,
            self.faces_detected,
            self.detection_rate * 100.0,
            self.exactly_one_face,
            self.errors.len()
        );
        let _ = writeln!(
            o,
            "pairs {} (genuine {}, impostor {})  genuine min {}  impostor max {}",
            self.pairs,
            self.genuine_pairs,
            self.impostor_pairs,
            fmt_opt(self.genuine_min),
            fmt_opt(self.impostor_max)
        );
        let _ = writeln!(o, "\n threshold |      FMR |     FNMR | accuracy | false matches | false non-matches");
        let _ = writeln!(o, "-----------+----------+----------+----------+---------------+------------------");
        for r in &self.sweep {
            let mark = if (r.threshold - self.threshold).abs() < 1e-6 { " <- shipped" } else { "" };
            let _ = writeln!(
                o,
                "    {:.4} | {:8.5} | {:8.5} | {:8.5} | {:13} | {:17}{mark}",
                r.threshold, r.fmr, r.fnmr, r.accuracy, r.false_matches, r.false_non_matches
            );
        }
        match (self.threshold_at_fmr_1e3, self.fnmr_at_fmr_1e3) {
            (Some(t), Some(f)) => {
                let _ = writeln!(o, "\nthreshold reaching FMR <= 1e-3: {t:.4} (FNMR there {f:.5})");
            }
            _ => {
                let _ = writeln!(o, "\nthreshold reaching FMR <= 1e-3: n/a (no impostor pairs)");
            }
        }
        let l = &self.liveness;
        let _ = writeln!(
            o,
            "liveness (threshold {:.2}): {}/{} faces pass ({:.1}%), p(real) min {} median {}",
            l.threshold,
            l.passed,
            l.scored,
            l.pass_rate * 100.0,
            fmt_opt(l.p_real_min),
            fmt_opt(l.p_real_median)
        );
        let sweep: Vec<String> = l.sweep.iter().map(|(t, r)| format!("{t:.1}: {:.1}%", r * 100.0)).collect();
        let _ = writeln!(o, "liveness pass rate by threshold: {}", sweep.join(", "));
        if !self.quality_reasons.is_empty() {
            let list: Vec<String> = self.quality_reasons.iter().map(|(k, v)| format!("{k} {v}")).collect();
            let _ = writeln!(o, "gates (reported, not applied): {}", list.join(", "));
        }
        let _ = writeln!(o, "\n stage       | median ms |    p99 ms");
        for (k, t) in &self.timings {
            let _ = writeln!(o, " {:<11} | {:9.2} | {:9.2}", &k[2..], t.median_ms, t.p99_ms);
        }
        for e in &self.errors {
            let _ = writeln!(o, "error: {e}");
        }
        o
    }
}

fn fmt_opt(v: Option<f32>) -> String {
    v.map_or("n/a".into(), |v| format!("{v:.4}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fmr_threshold_allows_the_budgeted_false_matches() {
        let impostor: Vec<f32> = (0..2000).map(|i| i as f32 / 2000.0).collect();
        let t = threshold_for_fmr(&impostor, 1e-3).expect("t");
        assert!(rates(&[], &impostor, t).false_matches <= 2);
        assert!(rates(&[], &impostor, t - 2e-3).false_matches > 2);
        assert!(threshold_for_fmr(&[], 1e-3).is_none());
    }

    #[test]
    fn rates_count_both_errors() {
        let r = rates(&[0.9, 0.4], &[0.1, 0.6], 0.5);
        assert_eq!((r.false_matches, r.false_non_matches), (1, 1));
        assert_eq!(r.accuracy, 0.5);
    }
}
