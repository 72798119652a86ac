//! `sealgate doc eval DIR` on an inspect set made by `sealgate doc gen-inspect`: the post-stamp checks
//! of every photo, each photo inspected as a session of one stamp (one impression authorised), against
//! its document's original and its granted seal's template. Blank recall and little-text pages called
//! blank; inserted recall (near copies and unrelated pages) and false alarms on approved pages;
//! impression count; wrong seals caught (partial impressions apart) and false alarms on the right
//! seal; with Wilson 95% intervals and the timings of each part.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use rayon::prelude::*;
use sealgate_datasets::documents::inspect_set::{InspectCase, InspectKind, load_inspect_manifest};
use sealgate_pipeline::compare::{ApprovedOriginal, CompareConfig};
use sealgate_pipeline::inspect::{FlagKind, ImpressionCheck, InspectConfig, PhotoChecks, PhotoReport, PhotoVerdict};
use sealgate_pipeline::original::pdf::PdfLimits;
use sealgate_pipeline::seal::SealTemplate;
use serde::Serialize;

use crate::compare_eval::{Rate, names_change};
use crate::doc::{Engine, Readers};
use crate::inspect::Session;
use crate::stats::percentile;

/// One photo's outcome.
struct CaseOutcome {
    id: String,
    kind: InspectKind,
    /// Impressions on the photo, by the manifest.
    truth_impressions: usize,
    flags: Vec<FlagKind>,
    impressions: usize,
    checks: Option<Duration>,
    total: Duration,
    error: Option<String>,
    record: CaseRecord,
    /// The comparison named the changed text of a near copy (as issue 4 counts `review` caught).
    named_change: bool,
}

impl CaseOutcome {
    fn has(&self, kind: FlagKind) -> bool {
        self.flags.contains(&kind)
    }
}

/// What was measured on one photo, for calibration (`--json`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct CaseRecord {
    pub id: String,
    pub kind: String,
    pub truth_impressions: usize,
    pub verdict: Option<PhotoVerdict>,
    pub flags: Vec<FlagKind>,
    pub blank_score: Option<f32>,
    pub page_similarity: Option<f32>,
    pub impressions: Vec<ImpressionCheck>,
}

/// The smallest and largest value of a measure over a group of photos, with the 1st and 99th
/// percentiles: the margin a threshold has.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Spread {
    pub n: usize,
    pub min: f32,
    pub p01: f32,
    pub p99: f32,
    pub max: f32,
}

impl Spread {
    fn of(mut v: Vec<f32>) -> Spread {
        v.retain(|x| x.is_finite());
        v.sort_by(f32::total_cmp);
        if v.is_empty() {
            return Spread::default();
        }
        let at = |q: f64| v[((q * (v.len() - 1) as f64).round() as usize).min(v.len() - 1)];
        Spread { n: v.len(), min: v[0], p01: at(0.01), p99: at(0.99), max: v[v.len() - 1] }
    }
}

/// The evaluation's figures.
#[derive(Debug, Clone, Serialize)]
pub struct InspectEval {
    pub seed: u64,
    pub photos: usize,
    /// Blank pages flagged blank.
    pub blank_recall: Rate,
    /// Little-text pages flagged blank.
    pub little_text_called_blank: Rate,
    /// Near copies flagged inserted.
    pub near_copy_recall: Rate,
    /// Near copies flagged inserted, or sent to review by the comparison naming the changed text.
    pub near_copy_caught: Rate,
    /// Unrelated pages flagged inserted.
    pub unrelated_recall: Rate,
    /// Approved pages (approved, wrong seal, partial, double, no seal) flagged inserted.
    pub inserted_false_alarms: Rate,
    /// The same approved pages flagged blank (a short signature page scores blank: it must be
    /// recognised as the approved page).
    pub approved_called_blank: Rate,
    /// Photos whose impression count is exact.
    pub count_exact: Rate,
    /// Wrong seals flagged `wrong_seal`, among those not sent to review as partial.
    pub wrong_seal_caught: Rate,
    /// Wrong seals sent to review as partial impressions (counted apart).
    pub wrong_seal_partial: usize,
    /// Wrong seals (whole) with neither `wrong_seal` nor `seal_unconfirmed`: passed as the granted
    /// seal.
    pub wrong_seal_passed: Rate,
    /// Right seals (approved, double) flagged `wrong_seal`.
    pub right_seal_false_alarms: Rate,
    /// Right seals (approved, double) flagged `seal_unconfirmed` (review).
    pub right_seal_unconfirmed: Rate,
    /// Partial impressions sent to review.
    pub partial_to_review: Rate,
    /// More impressions than authorised found on `double` photos.
    pub extra_impression_recall: Rate,
    /// Post-stamp checks (impressions, template, blank page; decoding, normalisation and OCR
    /// excluded), seconds: median, p90.
    pub checks_median_s: f64,
    pub checks_p90_s: f64,
    /// Whole inspection of a photo (normalise, read, compare, checks), seconds: median.
    pub total_median_s: f64,
    /// Blank score on blank pages and on little-text pages (blank below the threshold).
    pub blank_score_blank: Spread,
    pub blank_score_little_text: Spread,
    /// Template similarity of whole impressions of the right seal and of wrong seals.
    pub similarity_right: Spread,
    pub similarity_wrong: Spread,
    pub errors: Vec<String>,
    /// Case ids of the misses, per figure, for a look.
    pub misses: Vec<(String, Vec<String>)>,
    /// Every photo's measures (JSON only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cases: Vec<CaseRecord>,
}

/// Evaluate the inspect set in `dir` with PP-OCR (or `engine`); `limit` takes the first photos only.
pub fn eval_inspect(
    readers: &Readers,
    dir: &Path,
    engine: Engine,
    limit: Option<usize>,
    compare: &CompareConfig,
    cfg: &InspectConfig,
) -> anyhow::Result<InspectEval> {
    let manifest = load_inspect_manifest(dir)?;
    let cases: Vec<&InspectCase> = manifest.cases.iter().take(limit.unwrap_or(usize::MAX)).collect();
    let mut used: Vec<usize> = cases.iter().map(|c| c.doc_id).collect();
    used.sort_unstable();
    used.dedup();
    eprintln!("seed {}: {} photos, {} documents", manifest.seed, cases.len(), used.len());

    let done = AtomicUsize::new(0);
    let docs: Vec<(usize, anyhow::Result<(ApprovedOriginal, SealTemplate)>)> = used
        .par_iter()
        .map(|&id| {
            let r = manifest
                .docs
                .iter()
                .find(|d| d.doc_id == id)
                .ok_or_else(|| anyhow::anyhow!("document {id} missing from the manifest"))
                .and_then(|d| {
                    let files: Vec<std::path::PathBuf> = d.pages.iter().map(|p| dir.join(p)).collect();
                    let refs: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
                    let original = readers.approve(&refs, engine, &PdfLimits::DEFAULT)?;
                    let template = readers.seal_template(&dir.join(&d.template), cfg)?;
                    Ok((original, template))
                });
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            eprint!("\roriginals and templates {n}/{}", used.len());
            (id, r)
        })
        .collect();
    eprintln!();

    let done = AtomicUsize::new(0);
    let outcomes: Vec<CaseOutcome> = cases
        .par_iter()
        .map(|case| {
            let t = std::time::Instant::now();
            let result = match docs.iter().find(|(d, _)| *d == case.doc_id).map(|(_, r)| r) {
                Some(Ok((original, template))) => {
                    std::fs::read(dir.join(&case.photo)).map_err(anyhow::Error::from).and_then(|bytes| {
                        let session = Session { original, template: Some(template), region: None, authorized: Some(1) };
                        readers.inspect(&session, &[(case.id.clone(), bytes)], engine, compare, cfg)
                    })
                }
                Some(Err(e)) => Err(anyhow::anyhow!("document: {e}")),
                None => Err(anyhow::anyhow!("document {} not processed", case.doc_id)),
            };
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            eprint!("\rinspected {n}/{} photos", cases.len());
            outcome(case, result.map(|i| (i.photos, i.checks)), t.elapsed())
        })
        .collect();
    eprintln!();
    Ok(summarise(manifest.seed, &outcomes, cfg))
}

fn outcome(
    case: &InspectCase,
    result: anyhow::Result<(Vec<PhotoReport>, Vec<PhotoChecks>)>,
    total: Duration,
) -> CaseOutcome {
    let record = CaseRecord {
        id: case.id.clone(),
        kind: case.kind.name().to_string(),
        truth_impressions: case.impression_count,
        ..CaseRecord::default()
    };
    let base = |flags, impressions, checks, error, record, named_change| CaseOutcome {
        id: case.id.clone(),
        kind: case.kind,
        truth_impressions: case.impression_count,
        flags,
        impressions,
        checks,
        total,
        error,
        record,
        named_change,
    };
    match result {
        Ok((reports, checks)) => match (reports.first(), checks.first()) {
            (Some(r), Some(c)) => {
                let flags: Vec<FlagKind> = r.flags.iter().map(|f| f.kind).collect();
                let record = CaseRecord {
                    verdict: Some(r.verdict),
                    flags: flags.clone(),
                    blank_score: c.blank.as_ref().map(|b| b.score),
                    page_similarity: c.comparison.as_ref().map(|c| c.similarity),
                    impressions: c.impressions.clone(),
                    ..record
                };
                let named = c.comparison.as_ref().is_some_and(|c| names_change(c, case.tamper.as_ref()));
                base(flags, c.impressions.len(), Some(c.timings.checks), None, record, named)
            }
            _ => base(Vec::new(), 0, None, Some(format!("{}: no report", case.id)), record, false),
        },
        Err(e) => base(Vec::new(), 0, None, Some(format!("{}: {e}", case.id)), record, false),
    }
}

fn summarise(seed: u64, outcomes: &[CaseOutcome], cfg: &InspectConfig) -> InspectEval {
    let of = |kinds: &[InspectKind]| -> Vec<&CaseOutcome> {
        outcomes.iter().filter(|o| kinds.contains(&o.kind) && o.error.is_none()).collect()
    };
    let mut misses = Vec::new();
    // A figure: among `pool`, those for which `hit` holds; the ones for which it should have (when
    // `want_hit`) or should not have held are listed.
    let mut rate = |name: &str, pool: &[&CaseOutcome], hit: &dyn Fn(&CaseOutcome) -> bool, want_hit: bool| {
        let k = pool.iter().filter(|o| hit(o)).count();
        let bad: Vec<String> = pool.iter().filter(|o| hit(o) != want_hit).map(|o| o.id.clone()).collect();
        if !bad.is_empty() {
            misses.push((name.to_string(), bad));
        }
        Rate::new(k, pool.len())
    };
    let inserted = |o: &CaseOutcome| o.has(FlagKind::Inserted) || o.has(FlagKind::NearCopy);
    let blank = |o: &CaseOutcome| o.has(FlagKind::Blank);
    let wrong = |o: &CaseOutcome| o.has(FlagKind::WrongSeal);
    let partial = |o: &CaseOutcome| o.has(FlagKind::PartialImpression);
    let approved_pages = of(&[
        InspectKind::Approved,
        InspectKind::WrongSeal,
        InspectKind::Partial,
        InspectKind::Double,
        InspectKind::NoSeal,
    ]);
    let wrong_cases = of(&[InspectKind::WrongSeal]);
    let wrong_whole: Vec<&CaseOutcome> = wrong_cases.iter().copied().filter(|o| !partial(o)).collect();
    let everything: Vec<&CaseOutcome> = outcomes.iter().filter(|o| o.error.is_none()).collect();
    let mut checks: Vec<f64> = outcomes.iter().filter_map(|o| o.checks).map(|d| d.as_secs_f64()).collect();
    checks.sort_by(f64::total_cmp);
    let mut totals: Vec<f64> = outcomes.iter().map(|o| o.total.as_secs_f64()).collect();
    totals.sort_by(f64::total_cmp);
    let blank_scores =
        |kind: InspectKind| Spread::of(of(&[kind]).iter().filter_map(|o| o.record.blank_score).collect());
    // Whole impressions only: partial ones go to review whatever their similarity.
    let similarities = |pool: &[&CaseOutcome]| {
        Spread::of(
            pool.iter()
                .flat_map(|o| o.record.impressions.iter())
                .filter(|i| !i.impression.partial)
                .filter_map(|i| i.template.as_ref().filter(|t| t.visible_share >= cfg.min_visible_share))
                .map(|t| t.similarity)
                .collect(),
        )
    };
    let similarity_right = similarities(&of(&[InspectKind::Approved, InspectKind::Double]));
    let similarity_wrong = similarities(&wrong_cases);
    InspectEval {
        seed,
        photos: outcomes.len(),
        blank_recall: rate("blank recall", &of(&[InspectKind::Blank]), &blank, true),
        little_text_called_blank: rate("little text called blank", &of(&[InspectKind::LittleText]), &blank, false),
        near_copy_recall: rate("near copy recall", &of(&[InspectKind::NearCopy]), &inserted, true),
        near_copy_caught: rate(
            "near copy caught",
            &of(&[InspectKind::NearCopy]),
            &|o| inserted(o) || (o.has(FlagKind::CompareReview) && o.named_change),
            true,
        ),
        unrelated_recall: rate("unrelated recall", &of(&[InspectKind::Unrelated]), &inserted, true),
        inserted_false_alarms: rate("approved pages called inserted", &approved_pages, &inserted, false),
        approved_called_blank: rate("approved pages called blank", &approved_pages, &blank, false),
        count_exact: rate("impression count", &everything, &|o| o.impressions == o.truth_impressions, true),
        wrong_seal_caught: rate("wrong seal caught", &wrong_whole, &wrong, true),
        wrong_seal_partial: wrong_cases.len() - wrong_whole.len(),
        wrong_seal_passed: rate(
            "wrong seal passed",
            &wrong_whole,
            &|o| !wrong(o) && !o.has(FlagKind::SealUnconfirmed),
            false,
        ),
        right_seal_false_alarms: rate(
            "right seal called wrong",
            &of(&[InspectKind::Approved, InspectKind::Double]),
            &wrong,
            false,
        ),
        right_seal_unconfirmed: rate(
            "right seal not confirmed",
            &of(&[InspectKind::Approved, InspectKind::Double]),
            &|o| o.has(FlagKind::SealUnconfirmed),
            false,
        ),
        partial_to_review: rate("partial to review", &of(&[InspectKind::Partial]), &partial, true),
        extra_impression_recall: rate(
            "extra impression",
            &of(&[InspectKind::Double]),
            &|o| o.has(FlagKind::ExtraImpression),
            true,
        ),
        checks_median_s: percentile(&checks, 0.5),
        checks_p90_s: percentile(&checks, 0.9),
        total_median_s: percentile(&totals, 0.5),
        blank_score_blank: blank_scores(InspectKind::Blank),
        blank_score_little_text: blank_scores(InspectKind::LittleText),
        similarity_right,
        similarity_wrong,
        errors: outcomes.iter().filter_map(|o| o.error.clone()).collect(),
        misses,
        cases: outcomes.iter().map(|o| o.record.clone()).collect(),
    }
}

/// The evaluation as a table.
pub fn eval_inspect_table(e: &InspectEval) -> String {
    let row = |name: &str, r: &Rate| {
        format!(
            " {name:<38} | {:>4}/{:<4} {:>7.2}% [{:>5.1}, {:>5.1}]\n",
            r.count,
            r.of,
            100.0 * r.rate,
            100.0 * r.ci95.0,
            100.0 * r.ci95.1
        )
    };
    let mut s = format!("seed {}: {} photos; rates with Wilson 95% intervals\n\n", e.seed, e.photos);
    s += &format!(" {:<38} | rate\n{}\n", "figure", "-".repeat(72));
    s += &row("blank pages flagged blank", &e.blank_recall);
    s += &row("little-text pages called blank", &e.little_text_called_blank);
    s += &row("near copies flagged inserted", &e.near_copy_recall);
    s += &row("near copies inserted, or review naming", &e.near_copy_caught);
    s += &row("unrelated pages flagged inserted", &e.unrelated_recall);
    s += &row("approved pages called inserted", &e.inserted_false_alarms);
    s += &row("approved pages called blank", &e.approved_called_blank);
    s += &row("impression count exact", &e.count_exact);
    s += &row("wrong seal caught (partial apart)", &e.wrong_seal_caught);
    s += &format!(" {:<38} | {}\n", "wrong seals sent to review as partial", e.wrong_seal_partial);
    s += &row("wrong seal passed as granted", &e.wrong_seal_passed);
    s += &row("right seal called wrong", &e.right_seal_false_alarms);
    s += &row("right seal not confirmed (review)", &e.right_seal_unconfirmed);
    s += &row("partial impressions to review", &e.partial_to_review);
    s += &row("double impressions: extra flagged", &e.extra_impression_recall);
    s += &format!(
        "\npost-stamp checks (decode, normalise, OCR excluded): median {:.1} ms, p90 {:.1} ms; whole photo median {:.2} s\n",
        1000.0 * e.checks_median_s,
        1000.0 * e.checks_p90_s,
        e.total_median_s
    );
    let spread = |name: &str, s: &Spread| {
        format!(" {name:<38} | n {:>4}: min {:.3}, p1 {:.3}, p99 {:.3}, max {:.3}\n", s.n, s.min, s.p01, s.p99, s.max)
    };
    s += "\nmeasures behind the thresholds:\n";
    s += &spread("blank score, blank pages", &e.blank_score_blank);
    s += &spread("blank score, little-text pages", &e.blank_score_little_text);
    s += &spread("seal similarity, right seal (whole)", &e.similarity_right);
    s += &spread("seal similarity, wrong seal (whole)", &e.similarity_wrong);
    for (name, ids) in &e.misses {
        s += &format!("misses, {name}: {ids:?}\n");
    }
    if !e.errors.is_empty() {
        s += &format!("errors: {:?}\n", e.errors);
    }
    s
}
