//! Deterministic synthetic Chinese business documents and phone photos of them, for OCR tests and
//! evaluation.
//!
//! A set is planned from a seed: documents of six kinds ([`DocKind`]: 合同, 租赁合同, 函件,
//! 付款申请单, 采购订单, 授权委托书) written by [`kinds`] and laid out by [`content`], each page
//! rendered at A4 / 150 dpi with line-level ground truth ([`render`]), a share of pages stamped with a
//! red round seal ([`seal`]) and every page photographed on a desk ([`capture`](mod@capture)). Photos are made in
//! parallel, each from its own random stream derived from `(seed, index)`, so the same seed gives
//! byte-identical files on any number of threads.
//!
//! [`tamper`] changes a page's text before it is rendered (an amount digit, a capital numeral, a
//! date, a company name, a deleted or inserted sentence) and [`compare_set`] builds a labelled set of
//! approved originals and photos of their pages as approved, tampered or swapped for another document's.

pub mod amount;
pub mod background;
pub mod blank;
pub mod capture;
pub mod compare_set;
pub mod content;
pub mod effects;
pub mod error;
pub mod fonts;
pub mod homography;
pub mod inspect_set;
pub mod kinds;
pub mod manifest;
pub mod noise;
pub mod raster;
pub mod render;
pub mod rng;
pub mod seal;
pub mod seal_effects;
pub mod seal_lookalike;
pub mod seal_shapes;
pub mod seal_template;
pub mod tamper;
pub mod vocab;

use std::io::Cursor;
use std::path::Path;

use rayon::prelude::*;

pub use capture::{Capture, CaptureParams, capture};
pub use compare_set::{
    CompareCase, CompareManifest, CompareOriginal, compare_case, generate_compare_set, label_holds,
    load_compare_manifest,
};
pub use content::{DocKind, Document, Line, LineStyle, PageContent};
pub use error::{DatasetError, FontError};
pub use manifest::{ManifestEntry, SetManifest, load_manifest};
pub use render::{PageStyle, RenderedPage, TruthLine, page_text, render_page};
pub use tamper::{TamperContext, TamperKind, TamperLabel};

use fonts::Face;
use rng::Rng;

/// Share of photos turned by 90, 180 or 270 degrees for callers with no reason to choose (the OCR
/// evaluation wants at least a third).
pub const DEFAULT_ROTATED_SHARE: f32 = 0.4;
/// Share of photos carrying a seal impression for callers with no reason to choose.
pub const DEFAULT_SEALED_SHARE: f32 = 0.5;

/// Random streams of a set, one per purpose.
const STREAM_DOC: u64 = 1;
const STREAM_PLAN: u64 = 2;
const STREAM_PHOTO: u64 = 3;

/// Share of each kind among generated documents, in [`DocKind::ALL`] order.
const KIND_WEIGHTS: [f32; 6] = [0.25, 0.15, 0.15, 0.15, 0.15, 0.15];

/// A document of a set with the style its pages are rendered in.
#[derive(Debug, Clone)]
pub struct PlannedDoc {
    pub style: PageStyle,
    pub doc: Document,
}

/// What one photo of a set shows and how it is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedPhoto {
    pub doc_id: usize,
    pub page_index: usize,
    pub rotation: u16,
    pub sealed: bool,
}

/// Document `index` of the set with `seed`.
pub fn planned_doc(seed: u64, index: usize) -> PlannedDoc {
    let mut rng = Rng::derive(seed, STREAM_DOC, index as u64);
    let kind = DocKind::ALL[rng.weighted(&KIND_WEIGHTS)];
    let style = PageStyle::random(&mut rng);
    let doc = kinds::generate(&mut rng, kind, style.text_box());
    PlannedDoc { style, doc }
}

/// Plan a set: documents page by page until `photos` pages, then exactly
/// `round(rotated_share * photos)` photos turned by 90, 180 or 270 degrees and
/// `round(sealed_share * photos)` sealed, chosen at random.
pub fn plan_set(
    seed: u64,
    photos: usize,
    rotated_share: f32,
    sealed_share: f32,
) -> (Vec<PlannedDoc>, Vec<PlannedPhoto>) {
    let mut docs = Vec::new();
    let mut plan = Vec::with_capacity(photos);
    while plan.len() < photos {
        let d = planned_doc(seed, docs.len());
        for page_index in 0..d.doc.pages.len() {
            if plan.len() < photos {
                plan.push(PlannedPhoto { doc_id: docs.len(), page_index, rotation: 0, sealed: false });
            }
        }
        docs.push(d);
    }
    let mut rng = Rng::derive(seed, STREAM_PLAN, 0);
    let count = |share: f32| ((share.clamp(0.0, 1.0) * photos as f32).round() as usize).min(photos);
    let mut order: Vec<usize> = (0..photos).collect();
    rng.shuffle(&mut order);
    for &i in order.iter().take(count(rotated_share)) {
        plan[i].rotation = [90, 180, 270][rng.below(3) as usize];
    }
    rng.shuffle(&mut order);
    for &i in order.iter().take(count(sealed_share)) {
        plan[i].sealed = true;
    }
    (docs, plan)
}

/// One photo: render, seal, capture, write `pages/ID.png` and `photos/ID.jpg`.
fn make_photo(
    dir: &Path,
    seed: u64,
    index: usize,
    doc: &PlannedDoc,
    p: PlannedPhoto,
) -> Result<ManifestEntry, DatasetError> {
    let mut rng = Rng::derive(seed, STREAM_PHOTO, index as u64);
    let page = doc.doc.pages.get(p.page_index).cloned().unwrap_or_default();
    let rendered = render_page(&page, &doc.style)?;
    let seal = p.sealed.then(|| seal::place_on(&mut rng, &rendered, &doc.doc.issuer, &doc.doc.seal_label));
    let params = CaptureParams::random(&mut rng, p.rotation, seal);
    let cap = capture(&rendered.image, &params)?;

    let id = format!("{index:04}");
    let render = format!("pages/{id}.png");
    let photo = format!("photos/{id}.jpg");
    let mut png = Vec::new();
    rendered
        .image
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|source| DatasetError::Encode { what: "render PNG", source })?;
    for (rel, bytes) in [(&render, &png), (&photo, &cap.jpeg)] {
        let path = dir.join(rel);
        std::fs::write(&path, bytes).map_err(|e| DatasetError::io(&path, e))?;
    }
    Ok(ManifestEntry {
        id,
        doc_id: p.doc_id,
        doc_kind: doc.doc.kind,
        doc_title: doc.doc.title.clone(),
        page_index: p.page_index,
        page_count: doc.doc.pages.len(),
        render,
        photo,
        text: page_text(&rendered),
        lines: rendered.lines,
        rotation: cap.rotation,
        page_corners: cap.page_corners,
        homography: cap.homography,
        sealed: cap.sealed,
        style: doc.style.clone(),
        params: cap.params,
    })
}

/// One photo of the first page of document `index` of the set with `seed`, taken at `rotation`
/// degrees (0, 90, 180, 270), with or without a seal: the ground-truth text and the capture. For tests
/// that need a particular case rather than a whole set.
pub fn single_photo(seed: u64, index: usize, rotation: u16, sealed: bool) -> Result<(String, Capture), DatasetError> {
    let doc = planned_doc(seed, index);
    let mut rng = Rng::derive(seed, STREAM_PHOTO, index as u64);
    let page = doc.doc.pages.first().cloned().unwrap_or_default();
    let rendered = render_page(&page, &doc.style)?;
    let seal = sealed.then(|| seal::place_on(&mut rng, &rendered, &doc.doc.issuer, &doc.doc.seal_label));
    let params = CaptureParams::random(&mut rng, rotation, seal);
    let cap = capture(&rendered.image, &params)?;
    Ok((page_text(&rendered), cap))
}

/// Generate `photos` photos into `dir`: `pages/NNNN.png` (clean renders), `photos/NNNN.jpg` and
/// `manifest.json`. `rotated_share` of the photos are turned by 90/180/270 degrees and
/// `sealed_share` carry a seal; `progress(done, total)` is called from this thread as photos finish.
/// The same arguments give byte-identical files. Existing files of the same names are overwritten.
pub fn generate_set(
    dir: &Path,
    seed: u64,
    photos: usize,
    rotated_share: f32,
    sealed_share: f32,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<SetManifest, DatasetError> {
    for (name, share) in [("rotated_share", rotated_share), ("sealed_share", sealed_share)] {
        if !(0.0..=1.0).contains(&share) {
            return Err(DatasetError::InvalidArgument(format!("{name} must be within [0, 1], not {share}")));
        }
    }
    // Fail before any work when a font is missing, naming its package.
    for face in Face::ALL {
        face.font()?;
    }
    for sub in ["pages", "photos"] {
        let path = dir.join(sub);
        std::fs::create_dir_all(&path).map_err(|e| DatasetError::io(&path, e))?;
    }
    let (docs, plan) = plan_set(seed, photos, rotated_share, sealed_share);
    let chunk = (rayon::current_num_threads() * 2).max(2);
    let mut entries = Vec::with_capacity(photos);
    progress(0, photos);
    for start in (0..photos).step_by(chunk) {
        let end = (start + chunk).min(photos);
        let done: Vec<Result<ManifestEntry, DatasetError>> =
            (start..end).into_par_iter().map(|i| make_photo(dir, seed, i, &docs[plan[i].doc_id], plan[i])).collect();
        for entry in done {
            entries.push(entry?);
        }
        progress(end, photos);
    }
    let manifest = SetManifest {
        version: manifest::MANIFEST_VERSION,
        seed,
        rotated_share,
        sealed_share,
        render_width: render::PAGE_WIDTH,
        render_height: render::PAGE_HEIGHT,
        photos: entries,
    };
    manifest::write_manifest(dir, &manifest)?;
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("sealgate-docs-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn plan_has_exact_shares_and_consecutive_pages() {
        let (docs, plan) = plan_set(3, 30, 1.0 / 3.0, 0.5);
        assert_eq!(plan.len(), 30);
        assert_eq!(plan.iter().filter(|p| p.rotation != 0).count(), 10);
        assert_eq!(plan.iter().filter(|p| p.sealed).count(), 15);
        for w in plan.windows(2) {
            if w[0].doc_id == w[1].doc_id {
                assert_eq!(w[1].page_index, w[0].page_index + 1);
            } else {
                assert_eq!(w[1].doc_id, w[0].doc_id + 1);
                assert_eq!(w[1].page_index, 0);
                assert_eq!(w[0].page_index + 1, docs[w[0].doc_id].doc.pages.len());
            }
        }
        assert!(generate_set(&temp("bad"), 1, 1, 1.5, 0.0, &mut |_, _| {}).is_err());
    }

    #[test]
    fn same_seed_gives_byte_identical_sets() {
        let (a, b) = (temp("a"), temp("b"));
        let mut calls = Vec::new();
        let ma = generate_set(&a, 77, 2, 0.5, 0.5, &mut |d, t| calls.push((d, t))).expect("set a");
        let mb = generate_set(&b, 77, 2, 0.5, 0.5, &mut |_, _| {}).expect("set b");
        assert_eq!(calls.first(), Some(&(0, 2)));
        assert_eq!(calls.last(), Some(&(2, 2)));
        assert_eq!(ma, mb);
        assert_eq!(ma.photos.len(), 2);
        assert_eq!(ma.photos.iter().filter(|p| p.rotation != 0).count(), 1);
        assert_eq!(ma.photos.iter().filter(|p| p.sealed).count(), 1);
        for e in &ma.photos {
            for rel in [&e.render, &e.photo] {
                let (x, y) = (std::fs::read(a.join(rel)).expect("a file"), std::fs::read(b.join(rel)).expect("b file"));
                assert!(x == y, "{rel} differs");
            }
            assert!(!e.text.is_empty() && e.text.lines().count() == e.lines.len());
        }
        let ja = std::fs::read(a.join("manifest.json")).expect("manifest a");
        assert_eq!(ja, std::fs::read(b.join("manifest.json")).expect("manifest b"));
        assert_eq!(load_manifest(&a).expect("loads"), ma);
        let _ = std::fs::remove_dir_all(&a);
        let _ = std::fs::remove_dir_all(&b);
    }

    #[test]
    #[ignore = "writes a 6-photo sample set to /tmp/sealgate-docs for a visual check"]
    fn sample_set() {
        let dir = std::path::Path::new("/tmp/sealgate-docs");
        let t = std::time::Instant::now();
        let m =
            generate_set(dir, 2025, 6, DEFAULT_ROTATED_SHARE, DEFAULT_SEALED_SHARE, &mut |d, n| eprintln!("{d}/{n}"))
                .expect("sample set");
        eprintln!("{} photos in {:.2?} ({} threads)", m.photos.len(), t.elapsed(), rayon::current_num_threads());
    }

    #[test]
    #[ignore = "writes every page of one document of each kind to /tmp/sealgate-kinds for a visual check"]
    fn kinds_sample() {
        let dir = std::path::Path::new("/tmp/sealgate-kinds");
        std::fs::create_dir_all(dir).expect("dir");
        for (k, kind) in DocKind::ALL.into_iter().enumerate() {
            let mut rng = Rng::new(100 + k as u64);
            let style = PageStyle::random(&mut rng);
            let doc = kinds::generate(&mut rng, kind, style.text_box());
            for (i, page) in doc.pages.iter().enumerate() {
                let mut r = render_page(page, &style).expect("render");
                if !r.seal_spots.is_empty() {
                    let p = seal::place_on(&mut rng, &r, &doc.issuer, &doc.seal_label);
                    seal::stamp_seal(&mut r.image, &p).expect("seal");
                }
                r.image.save(dir.join(format!("{kind:?}-{i}.png"))).expect("save");
            }
        }
    }
}
