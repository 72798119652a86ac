//! A labelled set for comparing a photographed page with the approved original: clean renders of
//! every page of each original document, phone photos of its pages as approved and of tampered
//! versions ([`super::tamper`]), and a manifest saying which photo shows which original page and
//! what, if anything, was changed.
//!
//! Each original serves up to [`CASES_PER_DOC`] photos, each of a different kind (as approved, or
//! one of the seven tampers), so the originals number about a fifth of the photos. A page swap shows
//! a page of a decoy document of the same kind in the original's page style, which is not among the
//! originals. Planning is sequential and cheap (text only); rendering and photographing run in
//! parallel, each photo from its own random stream, so the same seed gives byte-identical files.

use std::io::Cursor;
use std::path::Path;

use image::RgbImage;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::capture::{Capture, CaptureParams, capture};
use super::content::{DocKind, Document, PageContent};
use super::error::DatasetError;
use super::fonts::Face;
use super::homography::Homography;
use super::render::{PageStyle, RenderedPage, page_text, render_page};
use super::rng::Rng;
use super::tamper::{TamperKind, TamperLabel, change_box, line_at, tamper_page, truth_texts};
use super::{PlannedDoc, kinds, seal};

/// Version of the compare manifest layout.
pub const COMPARE_MANIFEST_VERSION: u32 = 1;
/// The most photos one original document serves.
pub const CASES_PER_DOC: usize = 5;
/// Share of photos turned by 90, 180 or 270 degrees (exact within each kind).
pub const COMPARE_ROTATED_SHARE: f32 = 0.4;
/// Share of photos carrying a seal impression (exact within each kind).
pub const COMPARE_SEALED_SHARE: f32 = 0.3;

/// Random streams, apart from those of [`super::generate_set`] so the same seed gives other documents.
const STREAM_DOC: u64 = 21;
const STREAM_DECOY: u64 = 22;
const STREAM_PLAN: u64 = 23;
const STREAM_TAMPER: u64 = 24;
const STREAM_PHOTO: u64 = 25;
const STREAM_CASE: u64 = 26;

/// Share of each kind among originals, in [`DocKind::ALL`] order: contracts and leases carry the
/// most amounts, dates and clauses.
const KIND_WEIGHTS: [f32; 6] = [0.3, 0.2, 0.15, 0.1, 0.15, 0.1];
/// Documents tried for one case before giving up (a kind always applies to some document well
/// before this).
const MAX_TRIES: usize = 64;

/// One photo of the set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareCase {
    /// `NNNN`, also the photo's file stem.
    pub id: String,
    /// The original document the photo is to be compared with (index into `originals`).
    pub doc_id: usize,
    /// The original's page the photo stands for (for a page swap, the page replaced).
    pub page_index: usize,
    /// What was changed; `None` for a photo of the page as approved.
    pub tamper: Option<TamperLabel>,
    /// Relative to the set folder: `photos/NNNN.jpg`.
    pub photo: String,
    /// Degrees the page content is turned clockwise in the photo.
    pub rotation: u16,
    pub sealed: bool,
    /// Ground truth of what the photo shows: its printed lines joined by `\n`.
    pub text: String,
    /// TL, TR, BR, BL page corners in photo pixels.
    pub page_corners: [[f32; 2]; 4],
    /// Rendered-page pixels to photo pixels (maps `tamper.page_box` into the photo).
    pub homography: Homography,
}

/// An approved document: clean renders of all its pages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareOriginal {
    pub doc_id: usize,
    pub doc_kind: DocKind,
    pub title: String,
    /// Relative to the set folder: `originals/DDDD/page-N.png`, `N` from 0.
    pub pages: Vec<String>,
    /// Ground truth of each page: its printed lines joined by `\n`.
    pub texts: Vec<String>,
}

/// A generated compare set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareManifest {
    pub version: u32,
    pub seed: u64,
    pub originals: Vec<CompareOriginal>,
    pub cases: Vec<CompareCase>,
}

/// Original document `index` of the compare set with `seed`.
pub fn compare_doc(seed: u64, index: usize) -> PlannedDoc {
    let mut rng = Rng::derive(seed, STREAM_DOC, index as u64);
    let kind = DocKind::ALL[rng.weighted(&KIND_WEIGHTS)];
    let style = PageStyle::random(&mut rng);
    let doc = kinds::generate(&mut rng, kind, style.text_box());
    PlannedDoc { style, doc }
}

/// What one photo shows, decided before any rendering.
#[derive(Debug, Clone)]
struct Shown {
    page_index: usize,
    content: PageContent,
    /// Whose seal goes on the page when it has no seal spot of its own.
    issuer: String,
    seal_label: String,
    label: Option<TamperLabel>,
    /// The shown page's truth lines, first and last, whose ink box is the label's `page_box`.
    box_lines: (usize, usize),
}

/// A planned photo.
#[derive(Debug, Clone)]
struct PlannedCase {
    doc: usize,
    rotation: u16,
    sealed: bool,
    shown: Shown,
}

/// A document of the same kind as `doc`, laid out for and printed in `doc`'s style, whose page
/// `page_index` (or last page) reads differently from `doc`'s.
fn decoy(seed: u64, doc_index: usize, doc: &PlannedDoc, page_index: usize) -> Option<(Document, usize)> {
    let original = truth_texts(doc.doc.pages.get(page_index)?);
    (0..4u64).find_map(|attempt| {
        let mut rng = Rng::derive(seed, STREAM_DECOY, (doc_index as u64) << 8 | attempt);
        let d = kinds::generate(&mut rng, doc.doc.kind, doc.style.text_box());
        let p = page_index.min(d.pages.len().checked_sub(1)?);
        (truth_texts(&d.pages[p]) != original).then_some((d, p))
    })
}

/// Choose what a photo of `doc` (document `doc_index` of the set) shows for `kind`: a page as is,
/// a tampered page, or a decoy's page; `None` when no page of `doc` can take that change.
fn choose(rng: &mut Rng, seed: u64, doc_index: usize, doc: &PlannedDoc, kind: Option<TamperKind>) -> Option<Shown> {
    let pages = &doc.doc.pages;
    let (issuer, seal_label) = (doc.doc.issuer.clone(), doc.doc.seal_label.clone());
    match kind {
        None => {
            let p = rng.below(pages.len() as u64) as usize;
            Some(Shown {
                page_index: p,
                content: pages.get(p)?.clone(),
                issuer,
                seal_label,
                label: None,
                box_lines: (0, 0),
            })
        }
        Some(TamperKind::PageSwapped) => {
            let p = rng.below(pages.len() as u64) as usize;
            let (d, q) = decoy(seed, doc_index, doc, p)?;
            let (o, t) = (truth_texts(&pages[p]), truth_texts(&d.pages[q]));
            let line = (0..o.len().max(t.len())).find(|&i| o.get(i) != t.get(i))?;
            let box_lines = (0, t.len().saturating_sub(1));
            let label = TamperLabel {
                kind: TamperKind::PageSwapped,
                expected: o.get(line).cloned().unwrap_or_default(),
                found: t.get(line).cloned().unwrap_or_default(),
                line,
                column: 0,
                page_box: [0.0; 4],
                context: None,
            };
            let content = d.pages[q].clone();
            Some(Shown {
                page_index: p,
                content,
                issuer: d.issuer,
                seal_label: d.seal_label,
                label: Some(label),
                box_lines,
            })
        }
        Some(k) => {
            let mut order: Vec<usize> = (0..pages.len()).collect();
            rng.shuffle(&mut order);
            order.into_iter().find_map(|p| {
                let t = tamper_page(rng, &pages[p], doc.style.text_box(), k)?;
                Some(Shown {
                    page_index: p,
                    content: t.content,
                    issuer: issuer.clone(),
                    seal_label: seal_label.clone(),
                    label: Some(t.label),
                    box_lines: t.box_lines,
                })
            })
        }
    }
}

/// Plan a set: cases of each kind in a shuffled order, exact rotated and sealed shares per kind, and
/// one document per [`CASES_PER_DOC`] cases; each case goes to a document with room that can take it,
/// preferring those with the fewest cases of its kind, then the least used (more documents only
/// when none can).
/// Returns the documents that serve a case (in order, renumbered from 0) and the cases.
fn plan(seed: u64, unaltered: usize, per_kind: usize) -> Result<(Vec<PlannedDoc>, Vec<PlannedCase>), DatasetError> {
    let mut kinds: Vec<Option<TamperKind>> = vec![None; unaltered];
    for k in TamperKind::ALL {
        kinds.extend(std::iter::repeat_n(Some(k), per_kind));
    }
    let n = kinds.len();
    let mut rng = Rng::derive(seed, STREAM_PLAN, 0);
    rng.shuffle(&mut kinds);
    let mut rotation = vec![0u16; n];
    let mut sealed = vec![false; n];
    for k in std::iter::once(None).chain(TamperKind::ALL.map(Some)) {
        let mut ids: Vec<usize> = (0..n).filter(|&i| kinds[i] == k).collect();
        let len = ids.len();
        let count = |share: f32| ((share * len as f32).round() as usize).min(len);
        rng.shuffle(&mut ids);
        for &i in ids.iter().take(count(COMPARE_ROTATED_SHARE)) {
            rotation[i] = [90, 180, 270][rng.below(3) as usize];
        }
        rng.shuffle(&mut ids);
        for &i in ids.iter().take(count(COMPARE_SEALED_SHARE)) {
            sealed[i] = true;
        }
    }

    let mut docs: Vec<PlannedDoc> = (0..n.div_ceil(CASES_PER_DOC)).map(|d| compare_doc(seed, d)).collect();
    let mut uses: Vec<Vec<Option<TamperKind>>> = vec![Vec::new(); docs.len()];
    let mut cases = Vec::with_capacity(n);
    for (i, &kind) in kinds.iter().enumerate() {
        let mut trng = Rng::derive(seed, STREAM_TAMPER, i as u64);
        // Documents with room: those with the fewest cases of this kind first, then the least used.
        let mut order: Vec<usize> = (0..docs.len()).filter(|&d| uses[d].len() < CASES_PER_DOC).collect();
        order.sort_by_key(|&d| (uses[d].iter().filter(|&&k| k == kind).count(), uses[d].len(), d));
        let mut found = order.into_iter().find_map(|d| choose(&mut trng, seed, d, &docs[d], kind).map(|s| (d, s)));
        // None takes it: more documents.
        let mut extra = 0;
        while found.is_none() {
            if extra == MAX_TRIES {
                let what = kind.map_or("unaltered", TamperKind::name);
                return Err(DatasetError::InvalidArgument(format!("no document takes a {what} case")));
            }
            let d = docs.len();
            docs.push(compare_doc(seed, d));
            uses.push(Vec::new());
            found = choose(&mut trng, seed, d, &docs[d], kind).map(|s| (d, s));
            extra += 1;
        }
        if let Some((d, shown)) = found {
            uses[d].push(kind);
            cases.push(PlannedCase { doc: d, rotation: rotation[i], sealed: sealed[i], shown });
        }
    }
    // Keep the documents that serve a case, numbered in order.
    let mut id = vec![usize::MAX; docs.len()];
    let mut kept = Vec::new();
    for (d, doc) in docs.into_iter().enumerate() {
        if !uses[d].is_empty() {
            id[d] = kept.len();
            kept.push(doc);
        }
    }
    for c in &mut cases {
        c.doc = id[c.doc];
    }
    Ok((kept, cases))
}

/// Render, seal and photograph case `index`; the rendered page, the capture and the case.
fn shoot(
    seed: u64,
    index: usize,
    style: &PageStyle,
    case: &PlannedCase,
) -> Result<(RenderedPage, Capture, CompareCase), DatasetError> {
    let s = &case.shown;
    let rendered = render_page(&s.content, style)?;
    let texts: Vec<String> = rendered.lines.iter().map(|l| l.text.clone()).collect();
    if texts != truth_texts(&s.content) {
        return Err(DatasetError::InvalidArgument(format!("case {index}: the rendered lines differ from the plan")));
    }
    let tamper = s.label.clone().map(|mut l| {
        l.page_box = change_box(&rendered.lines, s.box_lines.0, s.box_lines.1);
        l
    });
    let mut rng = Rng::derive(seed, STREAM_PHOTO, index as u64);
    let seal = case.sealed.then(|| seal::place_on(&mut rng, &rendered, &s.issuer, &s.seal_label));
    let params = CaptureParams::random(&mut rng, case.rotation, seal);
    let cap = capture(&rendered.image, &params)?;
    let id = format!("{index:04}");
    let c = CompareCase {
        photo: format!("photos/{id}.jpg"),
        id,
        doc_id: case.doc,
        page_index: s.page_index,
        tamper,
        rotation: cap.rotation,
        sealed: cap.sealed,
        text: page_text(&rendered),
        page_corners: cap.page_corners,
        homography: cap.homography,
    };
    Ok((rendered, cap, c))
}

fn png(img: &RgbImage) -> Result<Vec<u8>, DatasetError> {
    let mut bytes = Vec::new();
    img.write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .map_err(|source| DatasetError::Encode { what: "render PNG", source })?;
    Ok(bytes)
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) -> Result<(), DatasetError> {
    let path = dir.join(rel);
    std::fs::write(&path, bytes).map_err(|e| DatasetError::io(&path, e))
}

/// Generate a compare set into `dir`: `originals/DDDD/page-N.png` (clean renders of every page of
/// each original), `photos/NNNN.jpg` (`unaltered` photos of pages as approved and `per_kind` of each
/// of the seven [`TamperKind`]s, in a shuffled order) and `manifest.json`. `progress(done, total)`
/// is called from this thread as photos finish. The same arguments give byte-identical files.
pub fn generate_compare_set(
    dir: &Path,
    seed: u64,
    unaltered: usize,
    per_kind: usize,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<CompareManifest, DatasetError> {
    // Fail before any work when a font is missing, naming its package.
    for face in Face::ALL {
        face.font()?;
    }
    let (docs, cases) = plan(seed, unaltered, per_kind)?;
    let total = cases.len();
    progress(0, total);
    let photos = dir.join("photos");
    std::fs::create_dir_all(&photos).map_err(|e| DatasetError::io(&photos, e))?;
    let chunk = (rayon::current_num_threads() * 2).max(2);

    let jobs: Vec<(usize, usize)> =
        docs.iter().enumerate().flat_map(|(d, doc)| (0..doc.doc.pages.len()).map(move |p| (d, p))).collect();
    let mut originals: Vec<CompareOriginal> = docs
        .iter()
        .enumerate()
        .map(|(d, doc)| CompareOriginal {
            doc_id: d,
            doc_kind: doc.doc.kind,
            title: doc.doc.title.clone(),
            pages: Vec::new(),
            texts: Vec::new(),
        })
        .collect();
    for d in 0..docs.len() {
        let path = dir.join(format!("originals/{d:04}"));
        std::fs::create_dir_all(&path).map_err(|e| DatasetError::io(&path, e))?;
    }
    for part in jobs.chunks(chunk) {
        let done: Vec<Result<(usize, String, String), DatasetError>> = part
            .par_iter()
            .map(|&(d, p)| {
                let doc = &docs[d];
                let r = render_page(&doc.doc.pages[p], &doc.style)?;
                let rel = format!("originals/{d:04}/page-{p}.png");
                write(dir, &rel, &png(&r.image)?)?;
                Ok((d, rel, page_text(&r)))
            })
            .collect();
        for r in done {
            let (d, rel, text) = r?;
            originals[d].pages.push(rel);
            originals[d].texts.push(text);
        }
    }

    let mut out = Vec::with_capacity(total);
    for start in (0..total).step_by(chunk) {
        let end = (start + chunk).min(total);
        let done: Vec<Result<CompareCase, DatasetError>> = (start..end)
            .into_par_iter()
            .map(|i| {
                let (_, cap, c) = shoot(seed, i, &docs[cases[i].doc].style, &cases[i])?;
                write(dir, &c.photo, &cap.jpeg)?;
                Ok(c)
            })
            .collect();
        for c in done {
            out.push(c?);
        }
        progress(end, total);
    }
    let manifest = CompareManifest { version: COMPARE_MANIFEST_VERSION, seed, originals, cases: out };
    let path = dir.join("manifest.json");
    let mut bytes =
        serde_json::to_vec_pretty(&manifest).map_err(|source| DatasetError::Manifest { path: path.clone(), source })?;
    bytes.push(b'\n');
    std::fs::write(&path, bytes).map_err(|e| DatasetError::io(&path, e))?;
    Ok(manifest)
}

/// Read `dir/manifest.json` of a compare set.
pub fn load_compare_manifest(dir: &Path) -> Result<CompareManifest, DatasetError> {
    let path = dir.join("manifest.json");
    let bytes = std::fs::read(&path).map_err(|e| DatasetError::io(&path, e))?;
    let manifest: CompareManifest =
        serde_json::from_slice(&bytes).map_err(|source| DatasetError::Manifest { path: path.clone(), source })?;
    if manifest.version != COMPARE_MANIFEST_VERSION {
        return Err(DatasetError::InvalidArgument(format!(
            "{} has compare manifest version {}, expected {COMPARE_MANIFEST_VERSION}",
            path.display(),
            manifest.version
        )));
    }
    Ok(manifest)
}

/// Plan one case on its own: document `index` of the set's documents, or the next one that can
/// take `kind`, photographed with a rotation (40%) and seal (30%) drawn for `index`.
fn single_case(seed: u64, index: usize, kind: Option<TamperKind>) -> Result<(PlannedDoc, PlannedCase), DatasetError> {
    let mut rng = Rng::derive(seed, STREAM_CASE, index as u64);
    let rotation = if rng.chance(COMPARE_ROTATED_SHARE) { [90, 180, 270][rng.below(3) as usize] } else { 0 };
    let sealed = rng.chance(COMPARE_SEALED_SHARE);
    let mut trng = Rng::derive(seed, STREAM_TAMPER, index as u64);
    for d in index..index + MAX_TRIES {
        let doc = compare_doc(seed, d);
        if let Some(shown) = choose(&mut trng, seed, d, &doc, kind) {
            return Ok((doc, PlannedCase { doc: d, rotation, sealed, shown }));
        }
    }
    let what = kind.map_or("unaltered", TamperKind::name);
    Err(DatasetError::InvalidArgument(format!("no document from {index} on takes a {what} case")))
}

/// One case without writing files, for tests: clean renders of every page of the original document,
/// the photo, and the case (its `doc_id` is the document's index among the set's documents, the first
/// from `index` on that can take `kind`; `None` for a photo of a page as approved).
pub fn compare_case(
    seed: u64,
    index: usize,
    kind: Option<TamperKind>,
) -> Result<(Vec<RgbImage>, Capture, CompareCase), DatasetError> {
    let (doc, case) = single_case(seed, index, kind)?;
    let pages =
        doc.doc.pages.iter().map(|p| render_page(p, &doc.style).map(|r| r.image)).collect::<Result<Vec<_>, _>>()?;
    let (_, cap, c) = shoot(seed, index, &doc.style, &case)?;
    Ok((pages, cap, c))
}

/// Whether `shown` (the lines a photo shows) differs from `original` (the original page's lines)
/// exactly as `label` says; for tests and for checking a set.
pub fn label_holds(original: &[String], shown: &[String], label: &TamperLabel) -> bool {
    if label.kind == TamperKind::PageSwapped {
        return original != shown
            && original.get(label.line).map_or("", String::as_str) == label.expected
            && shown.get(label.line).map_or("", String::as_str) == label.found
            && original[..label.line.min(original.len())] == shown[..label.line.min(shown.len())];
    }
    let o: Vec<char> = original.iter().flat_map(|l| l.chars()).collect();
    let t: Vec<char> = shown.iter().flat_map(|l| l.chars()).collect();
    let at = if label.kind == TamperKind::SentenceInserted { shown } else { original };
    let q = at.iter().take(label.line).map(|l| l.chars().count()).sum::<usize>() + label.column;
    if line_at(at, q) != (label.line, label.column) {
        return false;
    }
    let (e, f): (Vec<char>, Vec<char>) = (label.expected.chars().collect(), label.found.chars().collect());
    q + e.len() <= o.len()
        && q + f.len() <= t.len()
        && o[..q] == t[..q]
        && o[q..q + e.len()] == e[..]
        && t[q..q + f.len()] == f[..]
        && o[q + e.len()..] == t[q + f.len()..]
}

#[cfg(test)]
mod tests {
    use super::super::content::{LineStyle, em_len};
    use super::super::render::{PAGE_HEIGHT, PAGE_WIDTH};
    use super::super::tamper::{fits, page_units};
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    fn temp(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("sealgate-compare-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    /// Every kind applies to the documents of a few seeds, changes exactly what its label says,
    /// keeps the page inside its text box, and the minimal spans are minimal.
    #[test]
    fn each_kind_changes_exactly_what_its_label_says() {
        for kind in TamperKind::ALL {
            for index in 0..12 {
                let (doc, case) = single_case(5, index, Some(kind)).expect("a document takes it");
                let s = &case.shown;
                let label = s.label.as_ref().expect("label");
                assert_eq!(label.kind, kind);
                let original = truth_texts(&doc.doc.pages[s.page_index]);
                let shown = truth_texts(&s.content);
                assert!(label_holds(&original, &shown, label), "{kind:?} {index}: {label:?}");
                let bx = doc.style.text_box();
                assert!(fits(&s.content, bx), "{kind:?} {index}: {} of {} rows", page_units(&s.content), bx.rows);
                let (e, f) = (label.expected.chars().count(), label.found.chars().count());
                let (b0, b1) = s.box_lines;
                assert!(b0 <= b1 && b1 < shown.len(), "{kind:?} {index}: {:?}", s.box_lines);
                match kind {
                    TamperKind::PageSwapped => assert_eq!((b0, b1), (0, shown.len() - 1)),
                    TamperKind::ClauseDeleted => assert!(b0 == b1 && b0 + 1 >= label.line && b0 <= label.line),
                    _ => assert_eq!(b0, label.line, "{kind:?} {index}"),
                }
                match kind {
                    TamperKind::AmountDigit | TamperKind::Date => {
                        assert!(e == 1 && f == 1 && label.expected.chars().all(|c| c.is_ascii_digit()));
                        assert!(label.found.chars().all(|c| c.is_ascii_digit()) && label.expected != label.found);
                        assert!(label.context.is_some());
                    }
                    TamperKind::CapitalAmount => {
                        assert!(e == 1 && f == 1 && label.expected != label.found);
                        assert!("壹贰叁肆伍陆柒捌玖".contains(&label.found));
                    }
                    TamperKind::PartyName => {
                        assert!((1..=2).contains(&e) && e == f);
                        let ctx = label.context.as_ref().expect("context");
                        assert!(ctx.expected.ends_with("公司") && ctx.found.ends_with("公司"), "{ctx:?}");
                    }
                    TamperKind::ClauseDeleted => {
                        assert!(f == 0 && e >= 8, "{label:?}");
                    }
                    TamperKind::SentenceInserted => {
                        assert!(e == 0 && f >= 8 && label.found.ends_with('。'), "{label:?}");
                        assert!(shown.len() >= original.len());
                    }
                    TamperKind::PageSwapped => {
                        assert_ne!(original, shown);
                        assert!(!doc.doc.title.is_empty());
                    }
                }
                for l in &s.content.lines {
                    if matches!(l.style, LineStyle::Body | LineStyle::Heading) {
                        assert!(em_len(&l.text) + l.indent <= bx.cols + 1e-3, "{kind:?}: {}", l.text);
                    }
                }
            }
        }
    }

    #[test]
    fn cases_render_inside_the_page_with_their_label_and_box() {
        for (i, kind) in
            [None, Some(TamperKind::SentenceInserted), Some(TamperKind::PageSwapped)].into_iter().enumerate()
        {
            let (doc, case) = single_case(9, i, kind).expect("case");
            let (rendered, cap, c) = shoot(9, i, &doc.style, &case).expect("shot");
            let bottom = PAGE_HEIGHT as f32 - doc.style.margin_bottom + 2.0;
            // All but a footer end above the bottom margin.
            let body = rendered.lines.len()
                - usize::from(case.shown.content.lines.last().is_some_and(|l| l.style == LineStyle::Footer));
            for l in &rendered.lines[..body] {
                assert!(l.bbox[3] <= bottom && l.bbox[2] <= PAGE_WIDTH as f32, "{kind:?}: {l:?}");
            }
            assert_eq!(c.text, page_text(&rendered));
            assert_eq!(c.rotation, case.rotation);
            assert!(image::load_from_memory(&cap.jpeg).is_ok());
            match (&c.tamper, kind) {
                (None, None) => assert_eq!(
                    c.text,
                    doc.doc.pages.get(c.page_index).map(|p| truth_texts(p).join("\n")).unwrap_or_default()
                ),
                (Some(l), Some(k)) => {
                    assert_eq!(l.kind, k);
                    let [x0, y0, x1, y1] = l.page_box;
                    assert!(x0 < x1 && y0 < y1 && x1 <= PAGE_WIDTH as f32 && y1 <= PAGE_HEIGHT as f32, "{l:?}");
                    if k == TamperKind::SentenceInserted {
                        // The box covers the line where the inserted sentence starts.
                        let line = &rendered.lines[l.line].bbox;
                        assert!(y0 <= line[1] + 1.0 && y1 >= line[3] - 1.0, "{l:?} vs {line:?}");
                    }
                }
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    #[test]
    fn page_swap_shows_another_documents_text() {
        for index in 0..6 {
            let (doc, case) = single_case(3, index, Some(TamperKind::PageSwapped)).expect("swap");
            let original = truth_texts(&doc.doc.pages[case.shown.page_index]);
            let shown = truth_texts(&case.shown.content);
            assert_ne!(original, shown);
            // Another document of the same kind: its parties differ, so most lines do.
            let same = shown.iter().filter(|l| original.contains(l)).count();
            assert!(same * 2 < shown.len(), "{same} of {} lines shared", shown.len());
        }
    }

    #[test]
    fn plan_reuses_documents_and_keeps_exact_shares() {
        let (docs, cases) = plan(4, 20, 10).expect("plan");
        assert_eq!(cases.len(), 90);
        assert_eq!(docs.len(), 90 / CASES_PER_DOC);
        for k in std::iter::once(None).chain(TamperKind::ALL.map(Some)) {
            let of: Vec<&PlannedCase> = cases.iter().filter(|c| c.shown.label.as_ref().map(|l| l.kind) == k).collect();
            let n = if k.is_none() { 20 } else { 10 };
            assert_eq!(of.len(), n, "{k:?}");
            assert_eq!(of.iter().filter(|c| c.rotation != 0).count(), (n as f32 * 0.4).round() as usize);
            assert_eq!(of.iter().filter(|c| c.sealed).count(), (n as f32 * 0.3).round() as usize);
        }
        for d in 0..docs.len() {
            let kinds: Vec<_> =
                cases.iter().filter(|c| c.doc == d).map(|c| c.shown.label.as_ref().map(|l| l.kind)).collect();
            assert!(!kinds.is_empty() && kinds.len() <= CASES_PER_DOC);
            for (i, k) in kinds.iter().enumerate() {
                // 20 photos as approved for 18 documents: two documents have two.
                assert!(k.is_none() || !kinds[..i].contains(k), "document {d} has two {k:?} cases");
            }
        }
    }

    #[test]
    fn same_seed_gives_byte_identical_sets_whose_labels_hold() {
        let (a, b) = (temp("a"), temp("b"));
        let mut calls = Vec::new();
        let ma = generate_compare_set(&a, 11, 1, 1, &mut |d, t| calls.push((d, t))).expect("set a");
        let mb = generate_compare_set(&b, 11, 1, 1, &mut |_, _| {}).expect("set b");
        assert_eq!(calls.first(), Some(&(0, 8)));
        assert_eq!(calls.last(), Some(&(8, 8)));
        assert_eq!(ma, mb);
        assert_eq!(ma.cases.len(), 8);
        let mut rels: Vec<&String> = ma.cases.iter().map(|c| &c.photo).collect();
        rels.extend(ma.originals.iter().flat_map(|o| &o.pages));
        for rel in rels {
            let (x, y) = (std::fs::read(a.join(rel)).expect("a file"), std::fs::read(b.join(rel)).expect("b file"));
            assert!(x == y, "{rel} differs");
        }
        let ja = std::fs::read(a.join("manifest.json")).expect("manifest a");
        assert_eq!(ja, std::fs::read(b.join("manifest.json")).expect("manifest b"));
        assert_eq!(load_compare_manifest(&a).expect("loads"), ma);
        for c in &ma.cases {
            let o = &ma.originals[c.doc_id];
            assert_eq!(o.pages.len(), o.texts.len());
            let original = lines(&o.texts[c.page_index]);
            match &c.tamper {
                None => assert_eq!(o.texts[c.page_index], c.text),
                Some(l) => assert!(label_holds(&original, &lines(&c.text), l), "{}: {l:?}", c.id),
            }
        }
        let _ = std::fs::remove_dir_all(&a);
        let _ = std::fs::remove_dir_all(&b);
    }

    #[test]
    #[ignore = "writes a sample compare set to /tmp/sealgate-compare for a visual check"]
    fn sample_compare_set() {
        // SEALGATE_COMPARE_DIR and SEALGATE_COMPARE_SIZE (`unaltered,per_kind`) override the defaults.
        let dir = std::env::var("SEALGATE_COMPARE_DIR").unwrap_or_else(|_| "/tmp/sealgate-compare".to_string());
        let dir = Path::new(&dir);
        let (unaltered, per_kind) = std::env::var("SEALGATE_COMPARE_SIZE")
            .ok()
            .and_then(|s| s.split_once(',').and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?))))
            .unwrap_or((10, 3));
        let t = std::time::Instant::now();
        let m = generate_compare_set(dir, 1, unaltered, per_kind, &mut |d, n| {
            if d % 20 == 0 || d == n {
                eprintln!("{d}/{n}");
            }
        })
        .expect("sample set");
        eprintln!(
            "{} photos, {} originals ({} pages) in {:.2?} ({} threads)",
            m.cases.len(),
            m.originals.len(),
            m.originals.iter().map(|o| o.pages.len()).sum::<usize>(),
            t.elapsed(),
            rayon::current_num_threads()
        );
        for c in &m.cases {
            let original = lines(&m.originals[c.doc_id].texts[c.page_index]);
            assert!(c.tamper.as_ref().map_or(original == lines(&c.text), |l| label_holds(
                &original,
                &lines(&c.text),
                l
            )));
        }
        // Tampered pages as rendered, for looking at.
        let renders = dir.join("tampered");
        std::fs::create_dir_all(&renders).expect("dir");
        let (docs, cases) = plan(1, unaltered, per_kind).expect("plan");
        for (i, c) in cases.iter().enumerate() {
            if let Some(l) = &c.shown.label {
                let r = render_page(&c.shown.content, &docs[c.doc].style).expect("render");
                let mut img = r.image;
                let [x0, y0, x1, y1] = m.cases[i].tamper.as_ref().map_or([0.0; 4], |t| t.page_box);
                for x in x0 as u32..(x1 as u32).min(img.width()) {
                    for y in [y0 as u32, (y1 as u32).min(img.height() - 1)] {
                        img.put_pixel(x, y, image::Rgb([0, 120, 255]));
                    }
                }
                img.save(renders.join(format!("{i:04}-{}.png", l.kind.name()))).expect("save");
            }
        }
    }
}
