//! A labelled set for post-stamp inspection: after a seal is used, a lock photographs every stamped
//! page, and SealGate checks each photo against the approved originals and the registered template
//! (印模) of the seal granted for the document. This module writes such a set: clean renders of each
//! approved document's pages, the template of its granted seal, photos of what was stamped, and a
//! manifest saying for each photo what it shows ([`InspectKind`]), what an inspection should
//! conclude ([`InspectVerdict`]) and where every seal impression lies, in page and photo pixels.
//!
//! The photos show a blank sheet (each [`BlankKind`], the seal-only sheet stamped with the granted
//! seal), a page with little text (each [`LittleTextKind`], not blank), an approved page stamped once
//! with the granted seal, a near copy of an approved page (one [`TamperKind`] other than a page swap),
//! a page of another document, an approved page stamped with a look-alike of the granted seal
//! ([`LookAlikeKind`]), a partial impression, two impressions far apart, or no impression. Seals
//! land where they go on a real page: over the issuer's 盖章 line when the page has one, otherwise
//! over one of the last lines of text.
//!
//! Granted seals are mostly round company seals, some oval finance seals and square personal seals,
//! mostly red, some blue or purple. Planning is sequential and cheap (text and seal parameters only);
//! rendering and photographing run in parallel, each case from its own random stream, so the same
//! seed gives byte-identical files.

use std::io::Cursor;
use std::path::Path;

use image::RgbImage;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::blank::{BlankKind, GeneratedPage, LittleTextKind, PageKind, blank_sample, little_text_sample, photograph};
use super::capture::{Capture, CaptureParams, capture};
use super::content::{DocKind, Document, PageContent};
use super::error::DatasetError;
use super::fonts::Face;
use super::homography::Homography;
use super::render::{PAGE_HEIGHT, PAGE_WIDTH, PageStyle, RenderedPage, SealSpot, TruthLine, page_text, render_page};
use super::rng::Rng;
use super::seal::{Ink, SealParams, SealShape};
use super::seal_effects::{
    ImpressionEffects, ImpressionTruth, PartialImpression, PartialKind, SealOutline, SealTruth, StampedImpression,
    impression_truth, stamp_impression,
};
use super::seal_lookalike::{LookAlike, LookAlikeChange, LookAlikeKind, look_alike};
use super::seal_shapes::SealGeometry;
use super::seal_template::render_template;
use super::tamper::{TamperKind, TamperLabel, change_box, tamper_page, truth_texts};
use super::{PlannedDoc, kinds, vocab};

/// Version of the inspect manifest layout.
pub const INSPECT_MANIFEST_VERSION: u32 = 1;
/// Cases of each kind in an evaluation set, for callers with no reason to choose.
pub const DEFAULT_PER_KIND: usize = 100;
/// The most cases one approved document serves.
pub const CASES_PER_DOC: usize = 5;
/// Share of photos turned by 90, 180 or 270 degrees (exact within each kind).
pub const INSPECT_ROTATED_SHARE: f32 = 0.4;
/// The most cases a set may have.
pub const MAX_INSPECT_CASES: usize = 1_000_000;
/// Share of a partial impression's extent left without ink: from this...
pub const MIN_PARTIAL_MISSING: f32 = 0.3;
/// ...to this.
pub const MAX_PARTIAL_MISSING: f32 = 0.6;
/// Points sampled along a round or oval outline when it is mapped into the photo.
pub const OUTLINE_POINTS: usize = 36;

/// The tampers a near copy carries: all but a page swap (an unrelated page is its own kind).
pub const NEAR_COPY_TAMPERS: [TamperKind; 6] = [
    TamperKind::AmountDigit,
    TamperKind::CapitalAmount,
    TamperKind::Date,
    TamperKind::PartyName,
    TamperKind::ClauseDeleted,
    TamperKind::SentenceInserted,
];

/// Random streams, apart from those of the other sets so the same seed gives other documents.
const STREAM_DOC: u64 = 41;
const STREAM_SEAL: u64 = 42;
const STREAM_PLAN: u64 = 43;
const STREAM_CHOOSE: u64 = 44;
const STREAM_PHOTO: u64 = 45;
const STREAM_CASE: u64 = 46;

/// Share of each kind among approved documents, in [`DocKind::ALL`] order.
const KIND_WEIGHTS: [f32; 6] = [0.3, 0.2, 0.15, 0.1, 0.15, 0.1];
/// Granted seals by shape, in [`SealShape::ALL`] order: round company seals, oval finance seals,
/// square personal seals.
const SHAPE_WEIGHTS: [f32; 3] = [0.7, 0.15, 0.15];
/// Granted seals by ink, in [`Ink::ALL`] order.
const INK_WEIGHTS: [f32; 3] = [0.8, 0.1, 0.1];
/// Documents tried for one case before giving up (a kind always applies to some document well
/// before this).
const MAX_TRIES: usize = 64;
/// Pixels kept between a seal's outline and the page edge.
const EDGE_GAP: f32 = 15.0;
/// Tries at a second impression's place before falling back to the page corner farthest away.
const FAR_TRIES: usize = 64;

/// What a photo of the set shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InspectKind {
    /// A blank sheet, of each [`BlankKind`] in turn; the seal-only sheet carries the granted seal.
    Blank,
    /// A page with little text, of each [`LittleTextKind`] in turn: not blank.
    LittleText,
    /// An approved page as approved, stamped once with the granted seal (mild effects at most).
    Approved,
    /// An approved page with one change ([`NEAR_COPY_TAMPERS`]), stamped with the granted seal.
    NearCopy,
    /// A page of another document, stamped with the granted seal.
    Unrelated,
    /// An approved page stamped with a look-alike of the granted seal.
    WrongSeal,
    /// An approved page with a partial impression of the granted seal (off the edge or faint).
    Partial,
    /// An approved page stamped twice with the granted seal, far apart.
    Double,
    /// An approved page with no impression.
    NoSeal,
}

impl InspectKind {
    pub const ALL: [InspectKind; 9] = [
        InspectKind::Blank,
        InspectKind::LittleText,
        InspectKind::Approved,
        InspectKind::NearCopy,
        InspectKind::Unrelated,
        InspectKind::WrongSeal,
        InspectKind::Partial,
        InspectKind::Double,
        InspectKind::NoSeal,
    ];

    /// The serialised name (`blank`, `little_text`, ...).
    pub fn name(self) -> &'static str {
        match self {
            InspectKind::Blank => "blank",
            InspectKind::LittleText => "little_text",
            InspectKind::Approved => "approved",
            InspectKind::NearCopy => "near_copy",
            InspectKind::Unrelated => "unrelated",
            InspectKind::WrongSeal => "wrong_seal",
            InspectKind::Partial => "partial",
            InspectKind::Double => "double",
            InspectKind::NoSeal => "no_seal",
        }
    }

    /// What an inspection of a photo of this kind should conclude.
    pub fn expected(self) -> InspectVerdict {
        match self {
            InspectKind::Blank => InspectVerdict::Blank,
            InspectKind::LittleText => InspectVerdict::NotBlank,
            InspectKind::Approved => InspectVerdict::Pass,
            InspectKind::NearCopy | InspectKind::Unrelated => InspectVerdict::Inserted,
            InspectKind::WrongSeal => InspectVerdict::WrongSeal,
            InspectKind::Partial => InspectVerdict::Review,
            InspectKind::Double => InspectVerdict::ExtraImpression,
            InspectKind::NoSeal => InspectVerdict::NoImpression,
        }
    }
}

/// What an inspection of a photo should conclude.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InspectVerdict {
    /// A blank sheet was stamped: flag it.
    Blank,
    /// Little text but a real page: the blank check must let it through (it is no approved page).
    NotBlank,
    /// An approved page with one impression of the right seal.
    Pass,
    /// Not an approved page as approved (a near copy or another document's page): flag it inserted.
    Inserted,
    /// The impression is not the granted seal.
    WrongSeal,
    /// A partial impression: a person should look.
    Review,
    /// More impressions than one.
    ExtraImpression,
    /// No impression.
    NoImpression,
}

/// Cases of each kind in a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectCounts {
    pub blank: usize,
    pub little_text: usize,
    pub approved: usize,
    pub near_copy: usize,
    pub unrelated: usize,
    pub wrong_seal: usize,
    pub partial: usize,
    pub double: usize,
    pub no_seal: usize,
}

impl InspectCounts {
    /// `n` cases of every kind.
    pub const fn per_kind(n: usize) -> InspectCounts {
        InspectCounts {
            blank: n,
            little_text: n,
            approved: n,
            near_copy: n,
            unrelated: n,
            wrong_seal: n,
            partial: n,
            double: n,
            no_seal: n,
        }
    }

    /// Cases of `kind`.
    pub fn of(&self, kind: InspectKind) -> usize {
        match kind {
            InspectKind::Blank => self.blank,
            InspectKind::LittleText => self.little_text,
            InspectKind::Approved => self.approved,
            InspectKind::NearCopy => self.near_copy,
            InspectKind::Unrelated => self.unrelated,
            InspectKind::WrongSeal => self.wrong_seal,
            InspectKind::Partial => self.partial,
            InspectKind::Double => self.double,
            InspectKind::NoSeal => self.no_seal,
        }
    }

    /// All cases; `None` on overflow.
    pub fn total(&self) -> Option<usize> {
        InspectKind::ALL.iter().try_fold(0usize, |n, &k| n.checked_add(self.of(k)))
    }
}

impl Default for InspectCounts {
    /// The evaluation set: [`DEFAULT_PER_KIND`] of each kind.
    fn default() -> Self {
        InspectCounts::per_kind(DEFAULT_PER_KIND)
    }
}

/// One outline mapped into the photo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhotoOutline {
    /// The outline's centre mapped into the photo, photo pixels.
    pub center: [f32; 2],
    /// Points along the outline mapped into the photo, in order: [`OUTLINE_POINTS`] for a circle or
    /// ellipse, the four corners for a rectangle (straight edges stay straight under a homography).
    pub outline: Vec<[f32; 2]>,
    /// `[x0, y0, x1, y1]` around `outline`, photo pixels.
    pub bbox: [f32; 4],
}

/// An [`ImpressionTruth`] mapped into the photo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhotoTruth {
    pub primary: PhotoOutline,
    pub second: Option<PhotoOutline>,
}

/// One stamping on the photographed page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectImpression {
    /// The seal stamped, before effects: the granted seal (placed, angled, its own ink), a look-alike
    /// of it, or on a little-text page the seal that page came with.
    pub seal: SealParams,
    /// Whether it is the seal granted for the document (its template is the document's template).
    pub right_seal: bool,
    /// What a look-alike changed; `None` for the granted seal.
    pub look_alike: Option<LookAlikeChange>,
    pub effects: ImpressionEffects,
    /// [`ImpressionEffects::labels`]: `partial_off_edge`, `partial_faint`, `rotated`, `scaled`, ...
    pub labels: Vec<String>,
    /// Share of the ink left after a partial impression (1 without one).
    pub ink_kept: f32,
    /// Where it lies on the page, page pixels.
    pub page: ImpressionTruth,
    /// The same mapped into the photo by the capture's homography.
    pub photo: PhotoTruth,
}

/// One photo of the set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectCase {
    /// `NNNN`, also the photo's file stem.
    pub id: String,
    pub kind: InspectKind,
    pub expected: InspectVerdict,
    /// The approved document whose stamping the photo is of (index into `docs`): its originals and
    /// its seal's template are what the photo is checked against.
    pub doc_id: usize,
    /// The approved page the photo shows as approved; `None` for a blank, little-text, near-copy or
    /// unrelated page.
    pub page_index: Option<usize>,
    /// The approved page a near copy was made from.
    pub near_copy_of: Option<usize>,
    /// What a near copy changed (`page_box` in rendered-page pixels).
    pub tamper: Option<TamperLabel>,
    pub blank_kind: Option<BlankKind>,
    pub little_text_kind: Option<LittleTextKind>,
    pub impressions: Vec<InspectImpression>,
    /// Impressions on the page (a double strike would count twice).
    pub impression_count: usize,
    /// Degrees the page content is turned clockwise in the photo.
    pub rotation: u16,
    /// Relative to the set folder: `photos/NNNN.jpg`.
    pub photo: String,
    /// Ground truth of what is printed: the page's lines joined by `\n` (seal text excluded).
    pub text: String,
    /// TL, TR, BR, BL page corners in photo pixels.
    pub page_corners: [[f32; 2]; 4],
    /// Page pixels to photo pixels.
    pub homography: Homography,
}

/// An approved document: clean renders of its pages and the template of its granted seal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectDoc {
    pub doc_id: usize,
    pub doc_kind: DocKind,
    pub title: String,
    pub issuer: String,
    /// The granted seal (centre at the origin; angle, opacity and ink seed vary per impression).
    pub seal: SealParams,
    /// Relative to the set folder: `templates/DDDD.png`, from [`render_template`].
    pub template: String,
    /// Relative to the set folder: `originals/DDDD/page-N.png`, `N` from 0.
    pub pages: Vec<String>,
    /// Ground truth of each page: its printed lines joined by `\n`.
    pub texts: Vec<String>,
}

/// A generated inspect set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectManifest {
    pub version: u32,
    pub seed: u64,
    pub counts: InspectCounts,
    pub docs: Vec<InspectDoc>,
    pub cases: Vec<InspectCase>,
}

/// Approved document `index` of the inspect set with `seed`.
pub fn inspect_doc(seed: u64, index: usize) -> PlannedDoc {
    let mut rng = Rng::derive(seed, STREAM_DOC, index as u64);
    let kind = DocKind::ALL[rng.weighted(&KIND_WEIGHTS)];
    let style = PageStyle::random(&mut rng);
    let doc = kinds::generate(&mut rng, kind, style.text_box());
    PlannedDoc { style, doc }
}

/// The seal granted for `doc`, document `index` of the set with `seed`: a round seal of the issuer
/// with the document's label, an oval finance seal of the issuer, or a square personal seal (法人章);
/// red mostly. Centred at the origin.
pub fn granted_seal(seed: u64, index: usize, doc: &Document) -> SealParams {
    let mut rng = Rng::derive(seed, STREAM_SEAL, index as u64);
    let shape = SealShape::ALL[rng.weighted(&SHAPE_WEIGHTS)];
    let ink = Ink::ALL[rng.weighted(&INK_WEIGHTS)];
    match shape {
        SealShape::Round => SealParams::random_shaped(&mut rng, shape, ink, &doc.issuer, &doc.seal_label, [0.0; 2]),
        SealShape::Oval => {
            let label = if rng.chance(0.7) { "财务专用章" } else { "发票专用章" };
            SealParams::random_shaped(&mut rng, shape, ink, &doc.issuer, label, [0.0; 2])
        }
        SealShape::Square => {
            let person = vocab::person(&mut rng);
            SealParams::random_shaped(&mut rng, shape, ink, &person, "", [0.0; 2])
        }
    }
}

/// A page printed in the document's style, as planned.
#[derive(Debug, Clone)]
struct PageShown {
    page_index: Option<usize>,
    near_copy_of: Option<usize>,
    content: PageContent,
    /// A near copy's label and the truth lines, first and last, whose ink box is its `page_box`.
    tamper: Option<(TamperLabel, (usize, usize))>,
    /// The wrong seal stamped instead of the granted one.
    look_alike: Option<LookAlike>,
}

/// What a photo shows, decided before any rendering.
#[derive(Debug, Clone)]
enum Shown {
    Page(Box<PageShown>),
    Blank(BlankKind),
    LittleText(LittleTextKind),
}

/// A planned photo.
#[derive(Debug, Clone)]
struct PlannedCase {
    kind: InspectKind,
    /// How many cases of this kind come before it: picks the variant (blank kind, tamper, ...).
    ordinal: usize,
    doc: usize,
    rotation: u16,
    shown: Shown,
}

/// One of `items` for the `ordinal`-th case of its kind, round robin.
fn nth<T: Copy>(items: &[T], ordinal: usize) -> Option<T> {
    items.get(ordinal.checked_rem(items.len())?).copied()
}

/// A random page of `doc`, as approved.
fn approved_page(rng: &mut Rng, doc: &PlannedDoc) -> Option<PageShown> {
    let p = rng.below(doc.doc.pages.len() as u64) as usize;
    let content = doc.doc.pages.get(p)?.clone();
    Some(PageShown { page_index: Some(p), near_copy_of: None, content, tamper: None, look_alike: None })
}

/// A page of `doc` changed by `kind`; `None` when no page of `doc` can take it.
fn near_copy(rng: &mut Rng, doc: &PlannedDoc, kind: TamperKind) -> Option<PageShown> {
    let mut order: Vec<usize> = (0..doc.doc.pages.len()).collect();
    rng.shuffle(&mut order);
    order.into_iter().find_map(|p| {
        let t = tamper_page(rng, doc.doc.pages.get(p)?, doc.style.text_box(), kind)?;
        Some(PageShown {
            page_index: None,
            near_copy_of: Some(p),
            content: t.content,
            tamper: Some((t.label, t.box_lines)),
            look_alike: None,
        })
    })
}

/// A page of another document, of any kind, laid out for and printed in `doc`'s style, that reads
/// unlike every page of `doc`.
fn unrelated_page(rng: &mut Rng, doc: &PlannedDoc) -> Option<PageShown> {
    let originals: Vec<Vec<String>> = doc.doc.pages.iter().map(truth_texts).collect();
    (0..4).find_map(|_| {
        let kind = DocKind::ALL[rng.below(DocKind::ALL.len() as u64) as usize];
        let other = kinds::generate(rng, kind, doc.style.text_box());
        let q = rng.below(other.pages.len() as u64) as usize;
        let content = other.pages.get(q)?.clone();
        let text = truth_texts(&content);
        (!text.is_empty() && !originals.contains(&text)).then_some(PageShown {
            page_index: None,
            near_copy_of: None,
            content,
            tamper: None,
            look_alike: None,
        })
    })
}

/// A look-alike of `seal` changed in the `ordinal`-th way, or the next way that applies to it (a
/// square seal has no label or star, some oval seals no star).
fn wrong_seal(rng: &mut Rng, seal: &SealParams, ordinal: usize) -> Option<LookAlike> {
    let n = LookAlikeKind::ALL.len();
    (0..n).find_map(|k| look_alike(seal, rng, nth(&LookAlikeKind::ALL, ordinal % n + k)?).ok())
}

/// Choose what the `ordinal`-th photo of `kind` shows for `doc` (granted `seal`); `None` when `doc`
/// cannot take it.
fn choose(rng: &mut Rng, doc: &PlannedDoc, seal: &SealParams, kind: InspectKind, ordinal: usize) -> Option<Shown> {
    let page = match kind {
        InspectKind::Blank => return nth(&BlankKind::ALL, ordinal).map(Shown::Blank),
        InspectKind::LittleText => return nth(&LittleTextKind::ALL, ordinal).map(Shown::LittleText),
        InspectKind::Approved | InspectKind::Partial | InspectKind::Double | InspectKind::NoSeal => {
            approved_page(rng, doc)?
        }
        InspectKind::NearCopy => near_copy(rng, doc, nth(&NEAR_COPY_TAMPERS, ordinal)?)?,
        InspectKind::Unrelated => unrelated_page(rng, doc)?,
        InspectKind::WrongSeal => {
            let fake = wrong_seal(rng, seal, ordinal)?;
            PageShown { look_alike: Some(fake), ..approved_page(rng, doc)? }
        }
    };
    Some(Shown::Page(Box::new(page)))
}

/// Documents and their granted seals, planned cases.
type Plan = (Vec<PlannedDoc>, Vec<SealParams>, Vec<PlannedCase>);

/// The kinds of a set's cases in a shuffled order, each with its ordinal among its kind and its
/// rotation (exactly [`INSPECT_ROTATED_SHARE`] of each kind turned).
fn plan_kinds(rng: &mut Rng, counts: &InspectCounts) -> Vec<(InspectKind, usize, u16)> {
    let mut kinds: Vec<InspectKind> =
        InspectKind::ALL.iter().flat_map(|&k| std::iter::repeat_n(k, counts.of(k))).collect();
    rng.shuffle(&mut kinds);
    let rotations: Vec<Vec<u16>> = InspectKind::ALL
        .iter()
        .map(|&k| {
            let n = counts.of(k);
            let turned = ((INSPECT_ROTATED_SHARE * n as f32).round() as usize).min(n);
            let mut r: Vec<u16> =
                (0..n).map(|i| if i < turned { [90, 180, 270][rng.below(3) as usize] } else { 0 }).collect();
            rng.shuffle(&mut r);
            r
        })
        .collect();
    let mut seen = [0usize; InspectKind::ALL.len()];
    kinds
        .into_iter()
        .map(|k| {
            let slot = kind_slot(k);
            let ordinal = seen[slot];
            seen[slot] += 1;
            (k, ordinal, rotations[slot].get(ordinal).copied().unwrap_or(0))
        })
        .collect()
}

/// Index of `kind` in [`InspectKind::ALL`].
fn kind_slot(kind: InspectKind) -> usize {
    InspectKind::ALL.iter().position(|&k| k == kind).unwrap_or(0)
}

/// Plan a set: cases of each kind in a shuffled order and one document per [`CASES_PER_DOC`]
/// cases; each case goes to a document with room that can take it, preferring those with the fewest
/// cases of its kind, then the least used (more documents only when none can). Returns the
/// documents that serve a case (renumbered from 0), their granted seals, and the cases.
fn plan(seed: u64, counts: &InspectCounts) -> Result<Plan, DatasetError> {
    let mut rng = Rng::derive(seed, STREAM_PLAN, 0);
    let kinds = plan_kinds(&mut rng, counts);
    let n = kinds.len();
    let mut docs: Vec<PlannedDoc> = (0..n.div_ceil(CASES_PER_DOC)).map(|d| inspect_doc(seed, d)).collect();
    let mut seals: Vec<SealParams> = docs.iter().enumerate().map(|(d, doc)| granted_seal(seed, d, &doc.doc)).collect();
    let mut uses: Vec<Vec<InspectKind>> = vec![Vec::new(); docs.len()];
    let mut cases = Vec::with_capacity(n);
    for (i, &(kind, ordinal, rotation)) in kinds.iter().enumerate() {
        let mut crng = Rng::derive(seed, STREAM_CHOOSE, i as u64);
        let mut order: Vec<usize> = (0..docs.len()).filter(|&d| uses[d].len() < CASES_PER_DOC).collect();
        order.sort_by_key(|&d| (uses[d].iter().filter(|&&k| k == kind).count(), uses[d].len(), d));
        let mut found =
            order.into_iter().find_map(|d| choose(&mut crng, &docs[d], &seals[d], kind, ordinal).map(|s| (d, s)));
        let mut extra = 0;
        while found.is_none() {
            if extra == MAX_TRIES {
                return Err(DatasetError::InvalidArgument(format!("no document takes a {} case", kind.name())));
            }
            let d = docs.len();
            let doc = inspect_doc(seed, d);
            seals.push(granted_seal(seed, d, &doc.doc));
            docs.push(doc);
            uses.push(Vec::new());
            found = choose(&mut crng, &docs[d], &seals[d], kind, ordinal).map(|s| (d, s));
            extra += 1;
        }
        if let Some((doc, shown)) = found {
            uses[doc].push(kind);
            cases.push(PlannedCase { kind, ordinal, doc, rotation, shown });
        }
    }
    let mut id = vec![usize::MAX; docs.len()];
    let (mut kept, mut kept_seals) = (Vec::new(), Vec::new());
    for (d, (doc, seal)) in docs.into_iter().zip(seals).enumerate() {
        if !uses[d].is_empty() {
            id[d] = kept.len();
            kept.push(doc);
            kept_seals.push(seal);
        }
    }
    for c in &mut cases {
        c.doc = id[c.doc];
    }
    Ok((kept, kept_seals, cases))
}

/// Plan one case on its own: document `index` of the set's documents, or the next one that can take
/// `kind`; the variant is the `index`-th of the kind, the rotation drawn for `index`.
fn single_case(
    seed: u64,
    index: usize,
    kind: InspectKind,
) -> Result<(PlannedDoc, SealParams, PlannedCase), DatasetError> {
    let mut rng = Rng::derive(seed, STREAM_CASE, index as u64);
    let rotation = if rng.chance(INSPECT_ROTATED_SHARE) { [90, 180, 270][rng.below(3) as usize] } else { 0 };
    let mut crng = Rng::derive(seed, STREAM_CHOOSE, index as u64);
    for d in index..index.saturating_add(MAX_TRIES) {
        let doc = inspect_doc(seed, d);
        let seal = granted_seal(seed, d, &doc.doc);
        if let Some(shown) = choose(&mut crng, &doc, &seal, kind, index) {
            return Ok((doc, seal, PlannedCase { kind, ordinal: index, doc: d, rotation, shown }));
        }
    }
    Err(DatasetError::InvalidArgument(format!("no document from {index} on takes a {} case", kind.name())))
}

/// How far a seal reaches from its centre at most, page pixels, at the largest scale an effect
/// gives it.
fn reach(seal: &SealParams) -> f32 {
    let g = SealGeometry::of(seal);
    g.width.max(g.height) / 2.0 * 1.05
}

/// `center` moved so a seal reaching `reach` pixels stays [`EDGE_GAP`] inside the page.
fn inside_page(center: [f32; 2], reach: f32) -> [f32; 2] {
    let m = reach + EDGE_GAP;
    let clamp = |v: f32, side: u32| if v.is_finite() { v.clamp(m, (side as f32 - m).max(m)) } else { m };
    [clamp(center[0], PAGE_WIDTH), clamp(center[1], PAGE_HEIGHT)]
}

/// Ink box of one of the page's last lines of text above the footer band, where a page without a
/// 盖章 line takes its seal; the lower middle of the page when it has no text.
fn foot_line(rng: &mut Rng, page: &RenderedPage) -> [f32; 4] {
    let body: Vec<[f32; 4]> = page.lines.iter().map(|l| l.bbox).filter(|b| b[3] < PAGE_HEIGHT as f32 * 0.9).collect();
    let from = body.len().saturating_sub((body.len() / 3).max(1));
    let fallback =
        [PAGE_WIDTH as f32 * 0.35, PAGE_HEIGHT as f32 * 0.72, PAGE_WIDTH as f32 * 0.7, PAGE_HEIGHT as f32 * 0.74];
    body.get(rng.range_usize(from, body.len().saturating_sub(1))).copied().unwrap_or(fallback)
}

/// Where a seal reaching `reach` pixels lands on `page`, as [`super::seal::place_on`] places one:
/// over the issuer's 盖章 line when the page has one (any seal line otherwise), or over one of the
/// last lines of text.
fn seal_center(rng: &mut Rng, page: &RenderedPage, issuer: &str, reach: f32) -> [f32; 2] {
    let own: Vec<&SealSpot> = page.seal_spots.iter().filter(|s| s.company == issuer).collect();
    let spots: Vec<&SealSpot> = if own.is_empty() { page.seal_spots.iter().collect() } else { own };
    let spot = rng.choose(&spots).copied();
    let [x0, y0, x1, y1] = spot.map_or_else(|| foot_line(rng, page), |s| s.anchor);
    let r = reach;
    let cx = match spot {
        // Over a company name: within its right part.
        Some(_) if x1 - x0 > 1.2 * r => x0 + (x1 - x0) * rng.range_f32(0.45, 0.85),
        // After a short `甲方（盖章）：`: over its end and the blank space after it.
        Some(_) => x1 + r * rng.range_f32(-0.4, 0.3),
        None => rng.range_f32(x0, x1.max(x0 + 1.0)),
    };
    let cy = (y0 + y1) / 2.0 + r * rng.range_f32(-0.35, 0.35);
    inside_page([cx, cy], r)
}

/// A second place for a seal reaching `reach` pixels, at least 2.6 reaches from `first` (so the
/// outlines stay well apart): over a line of text most of the time, anywhere on the page otherwise;
/// the page corner farthest from `first` when no try lands far enough.
fn far_center(rng: &mut Rng, lines: &[TruthLine], first: [f32; 2], reach: f32) -> [f32; 2] {
    let far = |c: [f32; 2]| (c[0] - first[0]).hypot(c[1] - first[1]) >= 2.6 * reach;
    for _ in 0..FAR_TRIES {
        let c = match rng.choose(lines) {
            Some(l) if rng.chance(0.8) => [rng.range_f32(l.bbox[0], l.bbox[2].max(l.bbox[0] + 1.0)), l.bbox[1]],
            _ => [rng.range_f32(0.0, PAGE_WIDTH as f32), rng.range_f32(0.0, PAGE_HEIGHT as f32)],
        };
        let c = inside_page(c, reach);
        if far(c) {
            return c;
        }
    }
    let (w, h) = (PAGE_WIDTH as f32, PAGE_HEIGHT as f32);
    let corners = [[0.0, 0.0], [w, 0.0], [0.0, h], [w, h]].map(|c| inside_page(c, reach));
    let dist = |c: &[f32; 2]| (c[0] - first[0]).hypot(c[1] - first[1]);
    corners.into_iter().max_by(|a, b| dist(a).total_cmp(&dist(b))).unwrap_or(first)
}

/// `seal` as one stamping leaves it: at `center`, at its own angle, opacity and ink.
fn stamping_params(rng: &mut Rng, seal: &SealParams, center: [f32; 2]) -> SealParams {
    let (angle, alpha) = match seal.shape {
        SealShape::Round => (25.0, (0.55, 0.85)),
        SealShape::Oval => (15.0, (0.55, 0.85)),
        SealShape::Square => (10.0, (0.6, 0.9)),
    };
    SealParams {
        center,
        angle_deg: rng.range_f32(-angle, angle),
        alpha: rng.range_f32(alpha.0, alpha.1),
        ink_seed: rng.next_u64(),
        ..seal.clone()
    }
}

/// None, or a scale within ±5% and sometimes a turn of up to 30 degrees.
fn mild_effects(rng: &mut Rng) -> ImpressionEffects {
    if rng.chance(0.4) {
        return ImpressionEffects::NONE;
    }
    let scale = rng.range_f32(0.95, 1.05);
    let extra_rotation_deg = if rng.chance(0.3) { rng.range_f32(-30.0, 30.0) } else { 0.0 };
    ImpressionEffects { scale, extra_rotation_deg, ..ImpressionEffects::NONE }
}

/// Mild effects and a partial impression of the `ordinal`-th kind (off the edge, faint in turn).
fn partial_effects(rng: &mut Rng, ordinal: usize) -> ImpressionEffects {
    let kind = if ordinal.is_multiple_of(2) { PartialKind::OffEdge } else { PartialKind::Faint };
    let partial = PartialImpression {
        kind,
        side_deg: rng.range_f32(0.0, 360.0),
        missing_share: rng.range_f32(MIN_PARTIAL_MISSING, MAX_PARTIAL_MISSING),
    };
    ImpressionEffects { partial: Some(partial), ..mild_effects(rng) }
}

/// One stamping made before the photo, before it is mapped into the photo.
struct Stamping {
    seal: SealParams,
    right_seal: bool,
    look_alike: Option<LookAlikeChange>,
    done: StampedImpression,
}

/// Stamp `seal` onto `page` with `effects`.
fn stamp(
    page: &mut RgbImage,
    seal: SealParams,
    right_seal: bool,
    look_alike: Option<LookAlikeChange>,
    effects: &ImpressionEffects,
) -> Result<Stamping, DatasetError> {
    let done = stamp_impression(page, &seal, effects)?;
    Ok(Stamping { seal, right_seal, look_alike, done })
}

/// Stamp a printed page as its kind says: the granted seal once at the 盖章 line (or a look-alike,
/// or a partial impression), twice far apart, or not at all.
fn stamp_page(
    rng: &mut Rng,
    image: &mut RgbImage,
    page: &RenderedPage,
    issuer: &str,
    granted: &SealParams,
    case: &PlannedCase,
    look_alike: Option<&LookAlike>,
) -> Result<Vec<Stamping>, DatasetError> {
    if case.kind == InspectKind::NoSeal {
        return Ok(Vec::new());
    }
    let (seal, right, change) = match look_alike {
        Some(fake) => (&fake.params, false, Some(fake.change.clone())),
        None => (granted, true, None),
    };
    let r = reach(seal);
    let first = seal_center(rng, page, issuer, r);
    let params = stamping_params(rng, seal, first);
    let effects =
        if case.kind == InspectKind::Partial { partial_effects(rng, case.ordinal) } else { mild_effects(rng) };
    let mut out = vec![stamp(image, params, right, change, &effects)?];
    if case.kind == InspectKind::Double {
        let second = far_center(rng, &page.lines, first, r);
        let params = stamping_params(rng, seal, second);
        let effects = mild_effects(rng);
        out.push(stamp(image, params, right, None, &effects)?);
    }
    Ok(out)
}

/// What a case's photo came out as, before it is labelled.
struct Shot {
    capture: Capture,
    text: String,
    stampings: Vec<Stamping>,
    tamper: Option<TamperLabel>,
    page_index: Option<usize>,
    near_copy_of: Option<usize>,
    blank_kind: Option<BlankKind>,
    little_text_kind: Option<LittleTextKind>,
}

impl Shot {
    fn of(capture: Capture, text: String, stampings: Vec<Stamping>) -> Shot {
        Shot {
            capture,
            text,
            stampings,
            tamper: None,
            page_index: None,
            near_copy_of: None,
            blank_kind: None,
            little_text_kind: None,
        }
    }
}

/// Render, stamp and photograph a printed page.
fn shoot_page(
    rng: &mut Rng,
    doc: &PlannedDoc,
    granted: &SealParams,
    case: &PlannedCase,
    s: &PageShown,
) -> Result<Shot, DatasetError> {
    let rendered = render_page(&s.content, &doc.style)?;
    let texts: Vec<String> = rendered.lines.iter().map(|l| l.text.clone()).collect();
    if texts != truth_texts(&s.content) {
        return Err(DatasetError::InvalidArgument("the rendered lines differ from the plan".into()));
    }
    let tamper = s.tamper.clone().map(|(mut label, (first, last))| {
        label.page_box = change_box(&rendered.lines, first, last);
        label
    });
    let mut image = rendered.image.clone();
    let stampings = stamp_page(rng, &mut image, &rendered, &doc.doc.issuer, granted, case, s.look_alike.as_ref())?;
    let params = CaptureParams::random(rng, case.rotation, None);
    let capture = capture(&image, &params)?;
    let mut shot = Shot::of(capture, page_text(&rendered), stampings);
    (shot.tamper, shot.page_index, shot.near_copy_of) = (tamper, s.page_index, s.near_copy_of);
    Ok(shot)
}

/// Seals a generated page came with, stamped without effects: not the granted seal.
fn foreign_stampings(page: &GeneratedPage) -> Result<Vec<Stamping>, DatasetError> {
    page.seals
        .iter()
        .map(|seal| {
            let truth = impression_truth(seal, &ImpressionEffects::NONE)?;
            let done = StampedImpression { truth, effects: ImpressionEffects::NONE, ink_kept: 1.0 };
            Ok(Stamping { seal: seal.clone(), right_seal: false, look_alike: None, done })
        })
        .collect()
}

/// A plain sheet stamped with the granted seal (twice, far apart, a quarter of the time) somewhere in
/// its body, as a seal-only blank page.
fn seal_only_page(
    rng: &mut Rng,
    page_seed: u64,
    granted: &SealParams,
) -> Result<(GeneratedPage, Vec<Stamping>), DatasetError> {
    let mut page = blank_sample(page_seed, BlankKind::White)?;
    page.kind = PageKind::Blank(BlankKind::SealOnly);
    let r = reach(granted);
    let (w, h) = (PAGE_WIDTH as f32, PAGE_HEIGHT as f32);
    let first = inside_page([rng.range_f32(0.25, 0.75) * w, rng.range_f32(0.2, 0.8) * h], r);
    let mut centers = vec![first];
    if rng.chance(0.25) {
        centers.push(far_center(rng, &[], first, r));
    }
    let mut stampings = Vec::with_capacity(centers.len());
    for c in centers {
        let params = stamping_params(rng, granted, c);
        let effects = mild_effects(rng);
        stampings.push(stamp(&mut page.image, params, true, None, &effects)?);
    }
    page.seals = stampings.iter().map(|s| s.seal.clone()).collect();
    Ok((page, stampings))
}

/// Make and photograph a blank sheet of `kind`.
fn shoot_blank(rng: &mut Rng, granted: &SealParams, case: &PlannedCase, kind: BlankKind) -> Result<Shot, DatasetError> {
    let page_seed = rng.next_u64();
    let (page, stampings) = if kind == BlankKind::SealOnly {
        seal_only_page(rng, page_seed, granted)?
    } else {
        let page = blank_sample(page_seed, kind)?;
        let stampings = foreign_stampings(&page)?;
        (page, stampings)
    };
    let capture = photograph(&page, page_seed, case.rotation)?;
    let mut shot = Shot::of(capture, page.text.clone(), stampings);
    shot.blank_kind = Some(kind);
    Ok(shot)
}

/// Make and photograph a page with little text of `kind`.
fn shoot_little_text(rng: &mut Rng, case: &PlannedCase, kind: LittleTextKind) -> Result<Shot, DatasetError> {
    let page_seed = rng.next_u64();
    let page = little_text_sample(page_seed, kind)?;
    let stampings = foreign_stampings(&page)?;
    let capture = photograph(&page, page_seed, case.rotation)?;
    let mut shot = Shot::of(capture, page.text.clone(), stampings);
    shot.little_text_kind = Some(kind);
    Ok(shot)
}

/// Points along `t`'s outline, page pixels.
fn outline_points(t: &SealTruth) -> Vec<[f32; 2]> {
    let [cx, cy] = t.center;
    let turn = |u: f32, v: f32, deg: f32| {
        let (s, c) = deg.to_radians().sin_cos();
        [cx + c * u - s * v, cy + s * u + c * v]
    };
    let around = |a: f32, b: f32, deg: f32| -> Vec<[f32; 2]> {
        (0..OUTLINE_POINTS)
            .map(|k| {
                let phi = k as f32 * std::f32::consts::TAU / OUTLINE_POINTS as f32;
                turn(a * phi.cos(), b * phi.sin(), deg)
            })
            .collect()
    };
    match t.outline {
        SealOutline::Circle { radius } => around(radius, radius, 0.0),
        SealOutline::Ellipse { semi_major, semi_minor, major_angle_deg } => {
            around(semi_major, semi_minor, major_angle_deg)
        }
        SealOutline::Rectangle { width, height, angle_deg } => {
            let (a, b) = (width / 2.0, height / 2.0);
            [[-a, -b], [a, -b], [a, b], [-a, b]].iter().map(|&[u, v]| turn(u, v, angle_deg)).collect()
        }
    }
}

/// `t` mapped into the photo by `h`.
fn photo_outline(t: &SealTruth, h: &Homography) -> Result<PhotoOutline, DatasetError> {
    let map = |[x, y]: [f32; 2]| {
        h.apply(f64::from(x), f64::from(y))
            .map(|[u, v]| [u as f32, v as f32])
            .ok_or_else(|| DatasetError::InvalidArgument("an impression maps to infinity in the photo".into()))
    };
    let outline = outline_points(t).into_iter().map(map).collect::<Result<Vec<_>, _>>()?;
    let bbox = outline.iter().fold([f32::MAX, f32::MAX, f32::MIN, f32::MIN], |b, p| {
        [b[0].min(p[0]), b[1].min(p[1]), b[2].max(p[0]), b[3].max(p[1])]
    });
    Ok(PhotoOutline { center: map(t.center)?, outline, bbox })
}

/// A stamping labelled, with its truth mapped into the photo by `h`.
fn impression_record(s: Stamping, h: &Homography) -> Result<InspectImpression, DatasetError> {
    let truth = s.done.truth;
    let photo = PhotoTruth {
        primary: photo_outline(&truth.primary, h)?,
        second: truth.second.as_ref().map(|t| photo_outline(t, h)).transpose()?,
    };
    Ok(InspectImpression {
        seal: s.seal,
        right_seal: s.right_seal,
        look_alike: s.look_alike,
        labels: s.done.effects.labels().into_iter().map(str::to_string).collect(),
        effects: s.done.effects,
        ink_kept: s.done.ink_kept,
        page: truth,
        photo,
    })
}

/// Make and photograph case `index` of document `doc` (granted `seal`): the capture and the case.
fn shoot(
    seed: u64,
    index: usize,
    doc: &PlannedDoc,
    seal: &SealParams,
    case: &PlannedCase,
) -> Result<(Capture, InspectCase), DatasetError> {
    let mut rng = Rng::derive(seed, STREAM_PHOTO, index as u64);
    let shot = match &case.shown {
        Shown::Page(s) => shoot_page(&mut rng, doc, seal, case, s)?,
        Shown::Blank(kind) => shoot_blank(&mut rng, seal, case, *kind)?,
        Shown::LittleText(kind) => shoot_little_text(&mut rng, case, *kind)?,
    };
    let h = shot.capture.homography;
    let impressions =
        shot.stampings.into_iter().map(|s| impression_record(s, &h)).collect::<Result<Vec<_>, DatasetError>>()?;
    let impression_count = impressions.iter().map(|i| 1 + usize::from(i.page.second.is_some())).sum();
    let id = format!("{index:04}");
    let c = InspectCase {
        photo: format!("photos/{id}.jpg"),
        id,
        kind: case.kind,
        expected: case.kind.expected(),
        doc_id: case.doc,
        page_index: shot.page_index,
        near_copy_of: shot.near_copy_of,
        tamper: shot.tamper,
        blank_kind: shot.blank_kind,
        little_text_kind: shot.little_text_kind,
        impressions,
        impression_count,
        rotation: shot.capture.rotation,
        text: shot.text,
        page_corners: shot.capture.page_corners,
        homography: h,
    };
    Ok((shot.capture, c))
}

fn png(img: &RgbImage) -> Result<Vec<u8>, DatasetError> {
    let mut bytes = Vec::new();
    img.write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .map_err(|source| DatasetError::Encode { what: "page PNG", source })?;
    Ok(bytes)
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) -> Result<(), DatasetError> {
    let path = dir.join(rel);
    std::fs::write(&path, bytes).map_err(|e| DatasetError::io(&path, e))
}

fn create_dir(path: &Path) -> Result<(), DatasetError> {
    std::fs::create_dir_all(path).map_err(|e| DatasetError::io(path, e))
}

/// Render every page of every document to `originals/DDDD/page-N.png` and each granted seal's
/// template to `templates/DDDD.png`, in parallel; the documents' manifest entries.
fn write_docs(dir: &Path, docs: &[PlannedDoc], seals: &[SealParams]) -> Result<Vec<InspectDoc>, DatasetError> {
    create_dir(&dir.join("templates"))?;
    for d in 0..docs.len() {
        create_dir(&dir.join(format!("originals/{d:04}")))?;
    }
    let jobs: Vec<(usize, usize)> =
        docs.iter().enumerate().flat_map(|(d, doc)| (0..doc.doc.pages.len()).map(move |p| (d, p))).collect();
    let texts: Vec<Result<String, DatasetError>> = jobs
        .par_iter()
        .map(|&(d, p)| {
            let doc = docs.get(d).ok_or_else(|| DatasetError::InvalidArgument(format!("no document {d}")))?;
            let r = render_page(&doc.doc.pages[p], &doc.style)?;
            write(dir, &format!("originals/{d:04}/page-{p}.png"), &png(&r.image)?)?;
            Ok(page_text(&r))
        })
        .collect();
    let templates: Vec<Result<String, DatasetError>> = seals
        .par_iter()
        .enumerate()
        .map(|(d, seal)| {
            let rel = format!("templates/{d:04}.png");
            write(dir, &rel, &png(&render_template(seal)?)?)?;
            Ok(rel)
        })
        .collect();
    let mut out: Vec<InspectDoc> = Vec::with_capacity(docs.len());
    for ((d, doc), (seal, template)) in docs.iter().enumerate().zip(seals.iter().zip(templates)) {
        out.push(InspectDoc {
            doc_id: d,
            doc_kind: doc.doc.kind,
            title: doc.doc.title.clone(),
            issuer: doc.doc.issuer.clone(),
            seal: seal.clone(),
            template: template?,
            pages: Vec::new(),
            texts: Vec::new(),
        });
    }
    for (&(d, p), text) in jobs.iter().zip(texts) {
        if let Some(o) = out.get_mut(d) {
            o.pages.push(format!("originals/{d:04}/page-{p}.png"));
            o.texts.push(text?);
        }
    }
    Ok(out)
}

/// Generate an inspect set into `out`: `originals/DDDD/page-N.png` (clean renders of every page of
/// each approved document), `templates/DDDD.png` (the registered template of the seal granted for
/// it), `photos/NNNN.jpg` (`counts` of each [`InspectKind`], in a shuffled order) and
/// `manifest.json`. `progress(done, total)` is called from this thread as photos finish. The same
/// arguments give byte-identical files; existing files of the same names are overwritten.
pub fn generate_inspect_set(
    out: &Path,
    seed: u64,
    counts: &InspectCounts,
    progress: impl Fn(usize, usize),
) -> Result<InspectManifest, DatasetError> {
    let total = counts.total().filter(|&n| n <= MAX_INSPECT_CASES).ok_or_else(|| {
        DatasetError::InvalidArgument(format!("an inspect set holds at most {MAX_INSPECT_CASES} cases"))
    })?;
    // Fail before any work when a font is missing, naming its package.
    for face in Face::ALL {
        face.font()?;
    }
    let (docs, seals, cases) = plan(seed, counts)?;
    progress(0, total);
    create_dir(&out.join("photos"))?;
    let docs_out = write_docs(out, &docs, &seals)?;
    let chunk = (rayon::current_num_threads() * 2).max(2);
    let mut done = Vec::with_capacity(total);
    for start in (0..cases.len()).step_by(chunk) {
        let end = (start + chunk).min(cases.len());
        let part: Vec<Result<InspectCase, DatasetError>> = (start..end)
            .into_par_iter()
            .map(|i| {
                let case = &cases[i];
                let (cap, c) = shoot(seed, i, &docs[case.doc], &seals[case.doc], case)?;
                write(out, &c.photo, &cap.jpeg)?;
                Ok(c)
            })
            .collect();
        for c in part {
            done.push(c?);
        }
        progress(end, total);
    }
    let manifest =
        InspectManifest { version: INSPECT_MANIFEST_VERSION, seed, counts: *counts, docs: docs_out, cases: done };
    let path = out.join("manifest.json");
    let mut bytes =
        serde_json::to_vec_pretty(&manifest).map_err(|source| DatasetError::Manifest { path: path.clone(), source })?;
    bytes.push(b'\n');
    std::fs::write(&path, bytes).map_err(|e| DatasetError::io(&path, e))?;
    Ok(manifest)
}

/// Read `dir/manifest.json` of an inspect set.
pub fn load_inspect_manifest(dir: &Path) -> Result<InspectManifest, DatasetError> {
    let path = dir.join("manifest.json");
    let bytes = std::fs::read(&path).map_err(|e| DatasetError::io(&path, e))?;
    let manifest: InspectManifest =
        serde_json::from_slice(&bytes).map_err(|source| DatasetError::Manifest { path: path.clone(), source })?;
    if manifest.version != INSPECT_MANIFEST_VERSION {
        return Err(DatasetError::InvalidArgument(format!(
            "{} has inspect manifest version {}, expected {INSPECT_MANIFEST_VERSION}",
            path.display(),
            manifest.version
        )));
    }
    Ok(manifest)
}

/// One case without writing files, for tests: clean renders of every page of the approved document,
/// the template of its granted seal, the photo and the case. The document is the first from `index`
/// on that can take `kind` (its index among the set's documents is `doc_id`); the variant (blank
/// kind, tamper, look-alike change, partial kind) is the `index`-th of the kind, round robin.
pub fn inspect_case(
    seed: u64,
    index: usize,
    kind: InspectKind,
) -> Result<(Vec<RgbImage>, RgbImage, Capture, InspectCase), DatasetError> {
    let (doc, seal, case) = single_case(seed, index, kind)?;
    let pages =
        doc.doc.pages.iter().map(|p| render_page(p, &doc.style).map(|r| r.image)).collect::<Result<Vec<_>, _>>()?;
    let template = render_template(&seal)?;
    let (cap, c) = shoot(seed, index, &doc, &seal, &case)?;
    Ok((pages, template, cap, c))
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::super::compare_set::label_holds;
    use super::*;

    fn temp(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("sealgate-inspect-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    fn page_shown(case: &PlannedCase) -> &PageShown {
        match &case.shown {
            Shown::Page(p) => p,
            other => panic!("not a printed page: {other:?}"),
        }
    }

    /// Every impression's outline lies inside the page and, mapped, inside the photo.
    fn assert_truth_inside(c: &InspectCase, cap: &Capture) {
        let (w, h) = (cap.params.width as f32, cap.params.height as f32);
        for imp in &c.impressions {
            let [x0, y0, x1, y1] = imp.page.primary.bbox();
            assert!(x0 >= 0.0 && y0 >= 0.0 && x1 <= PAGE_WIDTH as f32 && y1 <= PAGE_HEIGHT as f32, "{}", c.id);
            let p = &imp.photo.primary;
            for [x, y] in p.outline.iter().copied().chain([p.center]) {
                assert!((0.0..=w).contains(&x) && (0.0..=h).contains(&y), "{}: ({x}, {y}) outside {w}x{h}", c.id);
            }
            let expected = imp.page.primary.center;
            let mapped = c.homography.apply(f64::from(expected[0]), f64::from(expected[1])).expect("finite");
            assert!((mapped[0] as f32 - p.center[0]).abs() < 0.01 && (mapped[1] as f32 - p.center[1]).abs() < 0.01);
        }
    }

    /// Points along the middle of an impression's ring or border, page pixels.
    fn ring_points(imp: &InspectImpression) -> Vec<[f32; 2]> {
        let t = imp.page.primary;
        let ring = imp.seal.ring * imp.effects.scale;
        let outline = match t.outline {
            SealOutline::Circle { radius } => SealOutline::Circle { radius: radius - ring / 2.0 },
            SealOutline::Ellipse { semi_major, semi_minor, major_angle_deg } => SealOutline::Ellipse {
                semi_major: semi_major - ring / 2.0,
                semi_minor: semi_minor - ring / 2.0,
                major_angle_deg,
            },
            SealOutline::Rectangle { width, height, angle_deg } => {
                SealOutline::Rectangle { width: width - ring, height: height - ring, angle_deg }
            }
        };
        let corners = outline_points(&SealTruth { outline, ..t });
        if corners.len() != 4 {
            return corners;
        }
        // Along a rectangle's edges.
        (0..4)
            .flat_map(|k| {
                let (a, b) = (corners[k], corners[(k + 1) % 4]);
                (0..6).map(move |j| {
                    let s = j as f32 / 6.0;
                    [a[0] + (b[0] - a[0]) * s, a[1] + (b[1] - a[1]) * s]
                })
            })
            .collect()
    }

    /// Share of an impression's ring points where the photo shows coloured ink nearby.
    fn ink_seen(photo: &RgbImage, h: &Homography, imp: &InspectImpression) -> f32 {
        let points = ring_points(imp);
        let hits = points
            .iter()
            .filter(|p| {
                let Some([x, y]) = h.apply(f64::from(p[0]), f64::from(p[1])) else { return false };
                (-2..=2).any(|dy| {
                    (-2..=2).any(|dx| {
                        photo.get_pixel_checked((x as i64 + dx) as u32, (y as i64 + dy) as u32).is_some_and(|px| {
                            let (hi, lo) = (px.0.iter().max().copied(), px.0.iter().min().copied());
                            hi.zip(lo).is_some_and(|(hi, lo)| hi - lo > 40)
                        })
                    })
                })
            })
            .count();
        hits as f32 / points.len().max(1) as f32
    }

    fn assert_right_once(c: &InspectCase, template: &RgbImage) {
        assert_eq!((c.impressions.len(), c.impression_count), (1, 1), "{:?}", c.kind);
        let imp = &c.impressions[0];
        assert!(imp.right_seal && imp.look_alike.is_none());
        assert_eq!(&render_template(&imp.seal).expect("template"), template, "{:?}: not the granted seal", c.kind);
    }

    fn check_kind(index: usize, kind: InspectKind) {
        let (pages, template, cap, c) = inspect_case(21, index, kind).expect("a case");
        let (doc, _, planned) = single_case(21, index, kind).expect("plan");
        assert_eq!((c.kind, c.expected, c.rotation), (kind, kind.expected(), planned.rotation));
        assert_eq!(pages.len(), doc.doc.pages.len());
        assert_eq!(c.impression_count, c.impressions.len());
        let photo = image::load_from_memory(&cap.jpeg).expect("decodes").to_rgb8();
        assert_eq!(photo.dimensions(), (cap.params.width, cap.params.height));
        assert_truth_inside(&c, &cap);
        let original = |p: usize| truth_texts(&doc.doc.pages[p]);
        let printed = matches!(planned.shown, Shown::Page(_));
        assert_eq!(c.blank_kind.is_some(), kind == InspectKind::Blank);
        assert_eq!(c.little_text_kind.is_some(), kind == InspectKind::LittleText);
        assert_eq!(c.tamper.is_some() || c.near_copy_of.is_some(), kind == InspectKind::NearCopy);
        assert_eq!(c.page_index.is_some(), printed && !matches!(kind, InspectKind::NearCopy | InspectKind::Unrelated));
        if let Some(p) = c.page_index {
            assert_eq!(lines(&c.text), original(p), "{kind:?}: not the approved page as approved");
        }
        match kind {
            InspectKind::Blank => {
                let b = BlankKind::ALL[index % BlankKind::ALL.len()];
                assert_eq!(c.blank_kind, Some(b));
                if b == BlankKind::SealOnly {
                    assert!((1..=2).contains(&c.impressions.len()) && c.text.is_empty());
                    for imp in &c.impressions {
                        assert!(imp.right_seal);
                        assert_eq!(render_template(&imp.seal).expect("template"), template);
                    }
                } else {
                    assert!(c.impressions.iter().all(|i| !i.right_seal));
                }
            }
            InspectKind::LittleText => {
                assert_eq!(c.little_text_kind, Some(LittleTextKind::ALL[index % LittleTextKind::ALL.len()]));
                assert!(!c.text.is_empty() && c.impressions.iter().all(|i| !i.right_seal));
            }
            InspectKind::Approved => {
                assert_right_once(&c, &template);
                let imp = &c.impressions[0];
                let e = &imp.effects;
                assert!(e.partial.is_none() && e.smudge.is_none() && e.double_strike.is_none());
                assert!((0.95..=1.05).contains(&e.scale) && e.extra_rotation_deg.abs() <= 30.0);
                assert_eq!(imp.ink_kept, 1.0);
                let seen = ink_seen(&photo, &c.homography, imp);
                assert!(seen > 0.7, "ink at {seen} of the ring");
            }
            InspectKind::NearCopy => {
                assert_right_once(&c, &template);
                let label = c.tamper.as_ref().expect("a label");
                assert_eq!(label.kind, NEAR_COPY_TAMPERS[index % NEAR_COPY_TAMPERS.len()]);
                let p = c.near_copy_of.expect("the page copied");
                assert!(label_holds(&original(p), &lines(&c.text), label), "{label:?}");
                let [x0, y0, x1, y1] = label.page_box;
                assert!(x0 < x1 && y0 < y1);
            }
            InspectKind::Unrelated => {
                assert_right_once(&c, &template);
                let shown = lines(&c.text);
                assert!((0..doc.doc.pages.len()).all(|p| original(p) != shown));
            }
            InspectKind::WrongSeal => {
                assert_eq!(c.impressions.len(), 1);
                let imp = &c.impressions[0];
                assert!(!imp.right_seal && imp.look_alike.is_some());
                assert_ne!(render_template(&imp.seal).expect("template"), template);
            }
            InspectKind::Partial => {
                assert_eq!(c.impressions.len(), 1);
                let imp = &c.impressions[0];
                let partial = imp.effects.partial.expect("partial");
                assert!((MIN_PARTIAL_MISSING..=MAX_PARTIAL_MISSING).contains(&partial.missing_share));
                let (kind, label) = if index.is_multiple_of(2) {
                    (PartialKind::OffEdge, "partial_off_edge")
                } else {
                    (PartialKind::Faint, "partial_faint")
                };
                assert_eq!(partial.kind, kind);
                assert!(imp.right_seal && imp.labels.iter().any(|l| l == label) && imp.ink_kept < 0.95);
            }
            InspectKind::Double => {
                assert_eq!(c.impression_count, 2);
                let (a, b) = (&c.impressions[0], &c.impressions[1]);
                assert!(a.right_seal && b.right_seal);
                let (p, q) = (a.page.primary.center, b.page.primary.center);
                assert!((p[0] - q[0]).hypot(p[1] - q[1]) >= 2.5 * reach(&a.seal), "{p:?} {q:?}");
                for imp in [a, b] {
                    let seen = ink_seen(&photo, &c.homography, imp);
                    assert!(seen > 0.7, "ink at {seen} of the ring");
                }
            }
            InspectKind::NoSeal => assert_eq!(c.impression_count, 0),
        }
    }

    #[test]
    fn every_kind_gets_its_labels_and_impressions_inside_the_photo() {
        for (index, kind) in InspectKind::ALL.into_iter().enumerate() {
            check_kind(index, kind);
        }
        // The seal-only blank sheet, a faint partial impression, another look-alike change.
        for (index, kind) in [(10, InspectKind::Blank), (1, InspectKind::Partial), (2, InspectKind::NearCopy)] {
            check_kind(index, kind);
        }
    }

    #[test]
    fn near_copies_differ_from_their_page_exactly_as_labelled() {
        for index in 0..12 {
            let (doc, _, case) = single_case(5, index, InspectKind::NearCopy).expect("a document takes it");
            let s = page_shown(&case);
            let (label, _) = s.tamper.as_ref().expect("a label");
            assert_eq!(label.kind, NEAR_COPY_TAMPERS[index % 6]);
            let p = s.near_copy_of.expect("the page copied");
            let (original, shown) = (truth_texts(&doc.doc.pages[p]), truth_texts(&s.content));
            assert!(label_holds(&original, &shown, label), "{index}: {label:?}");
            assert_ne!(original, shown);
        }
    }

    #[test]
    fn wrong_seals_are_look_alikes_whose_template_differs() {
        for index in 0..8 {
            let (_, seal, case) = single_case(6, index, InspectKind::WrongSeal).expect("a case");
            let fake = page_shown(&case).look_alike.as_ref().expect("a look-alike");
            assert_eq!((fake.params.shape, fake.params.color), (seal.shape, seal.color));
            assert_ne!(render_template(&fake.params).expect("fake"), render_template(&seal).expect("granted"));
            let wanted = LookAlikeKind::ALL[index % 4];
            let kind = match fake.change {
                LookAlikeChange::NameCharacter { .. } => LookAlikeKind::NameCharacter,
                LookAlikeChange::Label { .. } => LookAlikeKind::Label,
                LookAlikeChange::StarSize { .. } => LookAlikeKind::StarSize,
                LookAlikeChange::Font { .. } => LookAlikeKind::Font,
            };
            let applies = look_alike(&seal, &mut Rng::new(1), wanted).is_ok();
            assert!(!applies || kind == wanted, "{index}: {kind:?} instead of {wanted:?}");
        }
    }

    #[test]
    fn plan_covers_every_variant_with_exact_rotation_shares() {
        let (docs, seals, cases) = plan(3, &InspectCounts::per_kind(12)).expect("plan");
        assert_eq!(cases.len(), 9 * 12);
        assert_eq!(seals.len(), docs.len());
        for kind in InspectKind::ALL {
            let of: Vec<&PlannedCase> = cases.iter().filter(|c| c.kind == kind).collect();
            assert_eq!(of.len(), 12, "{kind:?}");
            assert_eq!(of.iter().filter(|c| c.rotation != 0).count(), 5, "{kind:?}");
            let mut ordinals: Vec<usize> = of.iter().map(|c| c.ordinal).collect();
            ordinals.sort_unstable();
            assert_eq!(ordinals, (0..12).collect::<Vec<_>>());
        }
        let blanks: std::collections::HashSet<BlankKind> =
            cases.iter().filter_map(|c| if let Shown::Blank(b) = c.shown { Some(b) } else { None }).collect();
        assert_eq!(blanks.len(), BlankKind::ALL.len());
        let little: std::collections::HashSet<LittleTextKind> =
            cases.iter().filter_map(|c| if let Shown::LittleText(k) = c.shown { Some(k) } else { None }).collect();
        assert_eq!(little.len(), LittleTextKind::ALL.len());
        let tampers: std::collections::HashSet<TamperKind> = cases
            .iter()
            .filter_map(|c| if let Shown::Page(p) = &c.shown { p.tamper.as_ref().map(|t| t.0.kind) } else { None })
            .collect();
        assert_eq!(tampers.len(), NEAR_COPY_TAMPERS.len());
        for d in 0..docs.len() {
            let n = cases.iter().filter(|c| c.doc == d).count();
            assert!((1..=CASES_PER_DOC).contains(&n), "document {d} serves {n} cases");
        }
        let one = InspectCounts { partial: 3, ..InspectCounts::per_kind(0) };
        let (_, _, cases) = plan(3, &one).expect("plan");
        assert!(cases.len() == 3 && cases.iter().all(|c| c.kind == InspectKind::Partial));
    }

    #[test]
    fn granted_seals_are_mostly_round_and_red_and_name_the_issuer() {
        let n = 300;
        let (mut shapes, mut non_red) = ([0usize; 3], 0);
        for d in 0..n {
            let doc = inspect_doc(8, d);
            let seal = granted_seal(8, d, &doc.doc);
            seal.validate().unwrap_or_else(|e| panic!("{d}: {e}"));
            shapes[SealShape::ALL.iter().position(|&s| s == seal.shape).unwrap_or(0)] += 1;
            non_red += usize::from(Ink::of_color(seal.color) != Some(Ink::Red));
            if seal.shape != SealShape::Square {
                assert_eq!(seal.company, doc.doc.issuer);
            }
        }
        let share = |k: usize| k as f32 / n as f32;
        assert!((0.55..0.85).contains(&share(shapes[0])), "{shapes:?}");
        assert!(share(shapes[1]) > 0.05 && share(shapes[2]) > 0.05, "{shapes:?}");
        assert!((0.08..0.35).contains(&share(non_red)), "{non_red}");
    }

    #[test]
    fn seals_land_on_the_seal_line_or_over_the_last_lines() {
        for d in 0..8 {
            let doc = inspect_doc(4, d);
            let seal = granted_seal(4, d, &doc.doc);
            let r = reach(&seal);
            for page in &doc.doc.pages {
                let rendered = render_page(page, &doc.style).expect("renders");
                let mut rng = Rng::new(d as u64);
                let [cx, cy] = seal_center(&mut rng, &rendered, &doc.doc.issuer, r);
                let anchors: Vec<[f32; 4]> = if rendered.seal_spots.is_empty() {
                    rendered.lines.iter().map(|l| l.bbox).collect()
                } else {
                    rendered.seal_spots.iter().map(|s| s.anchor).collect()
                };
                let near = anchors.iter().any(|a| cy >= a[1] - r && cy <= a[3] + r && cx >= a[0] - r && cx <= a[2] + r);
                assert!(near, "document {d}: seal at ({cx}, {cy}) away from its anchors");
                if rendered.seal_spots.is_empty() && !rendered.lines.is_empty() {
                    // Over the lower part of the text.
                    let top = rendered.lines.iter().map(|l| l.bbox[1]).fold(f32::MAX, f32::min);
                    let bottom = rendered.lines.iter().map(|l| l.bbox[3]).fold(f32::MIN, f32::max);
                    assert!(cy > top + (bottom - top) * 0.4 - r, "document {d}: seal high up at {cy}");
                }
            }
        }
    }

    #[test]
    fn same_seed_gives_identical_sets_that_load_back() {
        let (a, b) = (temp("a"), temp("b"));
        let counts = InspectCounts::per_kind(2);
        let calls = RefCell::new(Vec::new());
        let ma = generate_inspect_set(&a, 12, &counts, |d, t| calls.borrow_mut().push((d, t))).expect("set a");
        let mb = generate_inspect_set(&b, 12, &counts, |_, _| {}).expect("set b");
        let calls = calls.into_inner();
        assert_eq!(calls.first(), Some(&(0, 18)));
        assert_eq!(calls.last(), Some(&(18, 18)));
        assert_eq!(ma, mb);
        assert_eq!(load_inspect_manifest(&a).expect("loads"), ma);
        let ja = std::fs::read(a.join("manifest.json")).expect("manifest a");
        assert_eq!(ja, std::fs::read(b.join("manifest.json")).expect("manifest b"));
        let mut rels: Vec<&String> = ma.cases.iter().map(|c| &c.photo).collect();
        rels.extend(ma.docs.iter().flat_map(|d| d.pages.iter().chain([&d.template])));
        for rel in rels {
            let (x, y) = (std::fs::read(a.join(rel)).expect("a file"), std::fs::read(b.join(rel)).expect("b file"));
            assert!(x == y, "{rel} differs");
        }
        for kind in InspectKind::ALL {
            assert_eq!(ma.cases.iter().filter(|c| c.kind == kind).count(), 2, "{kind:?}");
        }
        for (i, c) in ma.cases.iter().enumerate() {
            assert_eq!(c.id, format!("{i:04}"));
            let d = &ma.docs[c.doc_id];
            assert_eq!(d.pages.len(), d.texts.len());
            if let Some(p) = c.page_index {
                assert_eq!(c.text, d.texts[p]);
            }
            if let (Some(l), Some(p)) = (&c.tamper, c.near_copy_of) {
                assert!(label_holds(&lines(&d.texts[p]), &lines(&c.text), l), "{}: {l:?}", c.id);
            }
            if c.kind == InspectKind::Unrelated {
                assert!(!d.texts.contains(&c.text));
            }
            let template = image::open(a.join(&d.template)).expect("template").to_rgb8();
            for imp in c.impressions.iter().filter(|i| i.right_seal) {
                assert_eq!(render_template(&imp.seal).expect("template"), template, "{}", c.id);
            }
        }
        let _ = std::fs::remove_dir_all(&a);
        let _ = std::fs::remove_dir_all(&b);
    }

    #[test]
    fn absurd_counts_are_errors_before_any_work() {
        let dir = temp("absurd");
        let counts = InspectCounts { blank: usize::MAX, ..InspectCounts::per_kind(1) };
        let got = generate_inspect_set(&dir, 1, &counts, |_, _| {});
        assert!(matches!(got, Err(DatasetError::InvalidArgument(_))));
        let counts = InspectCounts { no_seal: MAX_INSPECT_CASES + 1, ..InspectCounts::per_kind(0) };
        assert!(generate_inspect_set(&dir, 1, &counts, |_, _| {}).is_err());
        assert!(!dir.exists());
        assert_eq!(InspectCounts::default().total(), Some(9 * DEFAULT_PER_KIND));
    }

    #[test]
    #[ignore = "writes a sample inspect set to /tmp/sealgate-inspect and prints its timing"]
    fn sample_inspect_set() {
        // Ten cases (one of each kind, two approved) unless SEALGATE_INSPECT_PER_KIND says how many of
        // each; SEALGATE_INSPECT_DIR overrides the folder.
        let dir = std::env::var("SEALGATE_INSPECT_DIR").unwrap_or_else(|_| "/tmp/sealgate-inspect".to_string());
        let counts = std::env::var("SEALGATE_INSPECT_PER_KIND")
            .ok()
            .and_then(|s| s.parse().ok())
            .map_or(InspectCounts { approved: 2, ..InspectCounts::per_kind(1) }, InspectCounts::per_kind);
        let t = std::time::Instant::now();
        let m = generate_inspect_set(Path::new(&dir), 1, &counts, |d, n| eprintln!("{d}/{n}")).expect("sample set");
        eprintln!(
            "{} photos, {} documents in {:.2?} ({} threads)",
            m.cases.len(),
            m.docs.len(),
            t.elapsed(),
            rayon::current_num_threads()
        );
    }
}
