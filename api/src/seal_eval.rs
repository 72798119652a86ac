//! `sealgate doc eval DIR --stage seals` on an inspect set: the seal stage alone. Each photo with a
//! stamped page is flattened onto the page by the generator's own homography (so page finding, OCR
//! and comparison are left out and cannot hide or cause a seal error), its impressions found and
//! compared with the granted seal's template, and each found impression matched to the stamping it
//! came from. Seconds for the whole set instead of the half hour of the full evaluation: this is
//! what the seal settings are calibrated with, on a set of another seed than the one evaluated.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use sealgate_datasets::documents::inspect_set::{InspectCase, InspectKind, load_inspect_manifest};
use sealgate_datasets::documents::seal_lookalike::LookAlikeChange;
use sealgate_pipeline::image::{DecodeLimits, Homography, Rgb8, decode, warp_perspective};
use sealgate_pipeline::inspect::{InspectConfig, template_differs};
use sealgate_pipeline::seal::{Impression, SealTemplate, TemplateMatch, find_impressions};
use serde::Serialize;

use crate::compare_eval::Rate;

/// Page size the photos are flattened to: the generator's page (A4 at 150 dpi), which is also the
/// page size the normaliser produces.
const PAGE: (usize, usize) = (1240, 1754);

/// One impression found, and the stamping it lies on (if any).
#[derive(Debug, Clone, Serialize)]
pub struct FoundImpression {
    pub impression: Impression,
    pub template: Option<TemplateMatch>,
    /// The stamping whose outline holds the found centre: whether it was the granted seal, what a
    /// look-alike changed, and its effects (`partial_faint`, `smudged`, ...). `None`: no stamping
    /// there (a false impression).
    pub truth_right_seal: Option<bool>,
    pub truth_look_alike: Option<LookAlikeChange>,
    pub truth_labels: Vec<String>,
}

/// One photo's seal findings.
#[derive(Debug, Clone, Serialize)]
pub struct SealCase {
    pub id: String,
    pub kind: String,
    pub truth_impressions: usize,
    pub found: Vec<FoundImpression>,
    pub error: Option<String>,
}

/// The seal stage's figures, with every photo's findings for calibration.
#[derive(Debug, Clone, Serialize)]
pub struct SealEval {
    pub seed: u64,
    pub photos: usize,
    /// Photos whose impression count is exact.
    pub count_exact: Rate,
    /// Whole impressions (not partial, template visible enough): right seals called a wrong seal,
    /// right seals not confirmed (review), wrong seals called wrong, wrong seals passed as the
    /// granted seal.
    pub right_called_wrong: Rate,
    pub right_unconfirmed: Rate,
    pub wrong_called_wrong: Rate,
    pub wrong_passed: Rate,
    /// Right-seal impressions flagged smudged or double-struck without such an effect.
    pub clean_flagged: Rate,
    pub cases: Vec<SealCase>,
}

/// Evaluate the seal stage over the inspect set in `dir`.
pub fn eval_seals(dir: &Path, cfg: &InspectConfig) -> anyhow::Result<SealEval> {
    let manifest = load_inspect_manifest(dir)?;
    let limits = DecodeLimits::DEFAULT;
    let load = |rel: &str| -> anyhow::Result<Rgb8> {
        let bytes = std::fs::read(dir.join(rel))?;
        Ok(decode(&bytes, limits)?)
    };
    let templates: Vec<(usize, anyhow::Result<SealTemplate>)> = manifest
        .docs
        .par_iter()
        .map(|d| (d.doc_id, load(&d.template).and_then(|img| Ok(SealTemplate::from_image(&img, &cfg.seal)?))))
        .collect();
    let with_seals = |c: &&InspectCase| {
        matches!(
            c.kind,
            InspectKind::Approved
                | InspectKind::WrongSeal
                | InspectKind::Partial
                | InspectKind::Double
                | InspectKind::NoSeal
                | InspectKind::NearCopy
        )
    };
    let cases: Vec<&InspectCase> = manifest.cases.iter().filter(with_seals).collect();
    let done = AtomicUsize::new(0);
    let out: Vec<SealCase> = cases
        .par_iter()
        .map(|case| {
            let template = templates.iter().find(|(d, _)| *d == case.doc_id).map(|(_, t)| t);
            let r = match template {
                Some(Ok(t)) => seal_case(&load(&case.photo), case, t, cfg),
                Some(Err(e)) => Err(anyhow::anyhow!("template: {e}")),
                None => Err(anyhow::anyhow!("document {} missing", case.doc_id)),
            };
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            eprint!("\rseal stage {n}/{}", cases.len());
            r.unwrap_or_else(|e| SealCase {
                id: case.id.clone(),
                kind: case.kind.name().into(),
                truth_impressions: case.impression_count,
                found: Vec::new(),
                error: Some(e.to_string()),
            })
        })
        .collect();
    eprintln!();
    Ok(summarise(manifest.seed, out, cfg))
}

fn seal_case(
    photo: &anyhow::Result<Rgb8>,
    case: &InspectCase,
    template: &SealTemplate,
    cfg: &InspectConfig,
) -> anyhow::Result<SealCase> {
    let photo = photo.as_ref().map_err(|e| anyhow::anyhow!("{e}"))?;
    let page_to_photo = Homography(case.homography.0);
    let mut page = Rgb8::zeros(PAGE.0, PAGE.1)?;
    warp_perspective(photo, &page_to_photo, &mut page);
    let found = find_impressions(&page, &cfg.seal)?;
    let mut out = Vec::with_capacity(found.len());
    for impression in found {
        let template = Some(template.compare(&page, &impression, &cfg.seal)?);
        let [x, y] = impression.shape.centre();
        let truth = case
            .impressions
            .iter()
            .find(|s| s.page.primary.contains(x, y, 0.0) || s.page.second.is_some_and(|t| t.contains(x, y, 0.0)));
        out.push(FoundImpression {
            impression,
            template,
            truth_right_seal: truth.map(|t| t.right_seal),
            truth_look_alike: truth.and_then(|t| t.look_alike.clone()),
            truth_labels: truth.map(|t| t.labels.clone()).unwrap_or_default(),
        });
    }
    Ok(SealCase {
        id: case.id.clone(),
        kind: case.kind.name().into(),
        truth_impressions: case.impression_count,
        found: out,
        error: None,
    })
}

fn summarise(seed: u64, cases: Vec<SealCase>, cfg: &InspectConfig) -> SealEval {
    let ok: Vec<&SealCase> = cases.iter().filter(|c| c.error.is_none()).collect();
    let count_exact = Rate::new(ok.iter().filter(|c| c.found.len() == c.truth_impressions).count(), ok.len());
    let whole = |f: &&FoundImpression| {
        !f.impression.partial && f.template.is_some_and(|t| t.visible_share >= cfg.min_visible_share)
    };
    let wrong_seal =
        |f: &&FoundImpression| f.template.is_some_and(|t| template_differs(&t, &f.impression.shape, cfg).is_some());
    let unconfirmed = |f: &&FoundImpression| {
        !wrong_seal(f) && f.template.is_none_or(|t| t.similarity < cfg.min_similarity_for(&f.impression.shape))
    };
    let right: Vec<&FoundImpression> =
        ok.iter().flat_map(|c| c.found.iter()).filter(|f| f.truth_right_seal == Some(true)).filter(whole).collect();
    let wrong: Vec<&FoundImpression> =
        ok.iter().flat_map(|c| c.found.iter()).filter(|f| f.truth_right_seal == Some(false)).filter(whole).collect();
    let rate = |pool: &[&FoundImpression], hit: &dyn Fn(&&FoundImpression) -> bool| {
        Rate::new(pool.iter().filter(|f| hit(f)).count(), pool.len())
    };
    let right_called_wrong = rate(&right, &wrong_seal);
    let right_unconfirmed = rate(&right, &unconfirmed);
    let wrong_called_wrong = rate(&wrong, &wrong_seal);
    let wrong_passed = rate(&wrong, &|f| !wrong_seal(f) && !unconfirmed(f));
    let clean: Vec<&FoundImpression> = ok
        .iter()
        .flat_map(|c| c.found.iter())
        .filter(|f| f.truth_right_seal == Some(true))
        .filter(|f| !f.truth_labels.iter().any(|l| l == "smudged" || l == "double_struck"))
        .collect();
    let clean_flagged =
        Rate::new(clean.iter().filter(|f| f.impression.smudged || f.impression.double_struck).count(), clean.len());
    SealEval {
        seed,
        photos: ok.len(),
        count_exact,
        right_called_wrong,
        right_unconfirmed,
        wrong_called_wrong,
        wrong_passed,
        clean_flagged,
        cases,
    }
}

/// The figures as a table.
pub fn eval_seals_table(e: &SealEval) -> String {
    let row = |name: &str, r: &Rate| {
        format!(
            " {name:<40} | {:>4}/{:<4} {:>7.2}% [{:>5.1}, {:>5.1}]\n",
            r.count,
            r.of,
            100.0 * r.rate,
            100.0 * r.ci95.0,
            100.0 * r.ci95.1
        )
    };
    let mut s = format!(
        "seed {}: seal stage on {} photos flattened by the generator's homography; Wilson 95% intervals\n\n",
        e.seed, e.photos
    );
    s += &row("impression count exact", &e.count_exact);
    s += &row("right seal (whole) called wrong", &e.right_called_wrong);
    s += &row("right seal (whole) not confirmed: review", &e.right_unconfirmed);
    s += &row("wrong seal (whole) called wrong", &e.wrong_called_wrong);
    s += &row("wrong seal (whole) passed as granted", &e.wrong_passed);
    s += &row("clean right seal flagged smudged/double", &e.clean_flagged);
    let errors: Vec<String> =
        e.cases.iter().filter_map(|c| c.error.as_ref().map(|x| format!("{}: {x}", c.id))).collect();
    if !errors.is_empty() {
        s += &format!("errors: {errors:?}\n");
    }
    s
}
