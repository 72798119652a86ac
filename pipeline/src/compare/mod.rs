//! Is the photographed page the approved one? Compare it with the approved original and point at
//! every difference.
//!
//! - [`original`] (`original.rs`): an approved original (page images or a PDF) processed once: each
//!   page's lines with their boxes, the party names, and the page image for registration;
//! - [`align`] (`align.rs`): character alignment of two texts;
//! - [`critical`] (`critical.rs`): the critical spans of a text (numbers, amounts, dates, percentages,
//!   accounts, party names);
//! - [`diff`] (`diff.rs`): differences between approved and read lines, classified and boxed;
//! - [`text_path`] (`text_path.rs`): read the whole photo, find the approved page it shows, compare;
//! - [`region`] (`region.rs`): the faster path for originals with an image: register the photo to
//!   the approved page (`register.rs`), compare line regions as pixels (`line_match.rs`), and read
//!   only the regions that differ.
//!
//! The verdict ([`Verdict`]) fails closed: `match` only when every difference is explained as a
//! possible misreading of non-critical text.

pub mod align;
pub mod critical;
pub mod diff;
mod line_match;
pub mod original;
pub mod region;
mod register;
pub mod reread;
pub mod text_path;

use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use critical::Critical;
pub use diff::{DiffKind, Difference, LinesDiff, Uncertainty};
pub use original::{ApprovedLine, ApprovedOriginal, ApprovedPage, OriginalSource};
pub use region::compare_region;
pub use text_path::compare_text;

use crate::PipelineError;
use crate::image::Homography;

/// The answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The approved page, unchanged (differences, if any, are possible misreadings of ordinary text).
    Match,
    /// Not the approved page, or a critical change that is not explained as a misreading.
    Mismatch,
    /// A person must look: an uncertain critical difference or a change of ordinary text.
    Review,
}

/// How the comparison was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ComparePath {
    /// The whole photo read and compared as text.
    Text,
    /// The photo registered to the approved page image; only differing regions read.
    Region,
}

/// Wall time of the comparison stages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct CompareTimings {
    pub normalise: Duration,
    pub read: Duration,
    pub compare: Duration,
    pub total: Duration,
}

/// The comparison of one photo with an approved original.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub verdict: Verdict,
    /// Share of characters equal between the matched page and the photo (0..1); the best page's
    /// when none matched.
    pub similarity: f32,
    /// Index of the approved page the photo shows; `None` when it shows none of them.
    pub page: Option<usize>,
    pub differences: Vec<Difference>,
    /// Why the verdict is not `match`, in words.
    pub reasons: Vec<String>,
    pub path: ComparePath,
    pub engine: &'static str,
    /// Degrees the page was turned clockwise in the photo.
    pub rotation: u16,
    /// Region path: approved lines compared as pixels, and those read because they differed.
    pub regions_compared: usize,
    pub regions_read: usize,
    /// Text path: approved lines read again on their own because a difference involved them, and
    /// the differences that re-reading showed to be misreadings (dropped).
    pub lines_reread: usize,
    pub misreadings_resolved: usize,
    /// Changes under a seal read the same again with the seal faded, and so not uncertain (see
    /// [`CompareConfig::confirm_under_seal`]).
    pub changes_confirmed: usize,
    /// Set when the region path handed over to the text path, and why.
    pub fallback: Option<String>,
    pub timings: CompareTimings,
}

/// Errors of the comparison itself (model and image errors pass through as [`PipelineError`]).
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    #[error(transparent)]
    TooLong(#[from] align::TooLong),
    #[error("the approved original has no pages")]
    NoPages,
    #[error("the approved original has no page image for the region path")]
    NoImage,
}

/// Thresholds of the comparison; the shipped values are in `config/sealgate.toml` with what they
/// were measured on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CompareConfig {
    /// Least similarity for the photo to show an approved page at all.
    pub page_min_similarity: f32,
    /// Below this similarity to the matched page the verdict is at least `review`.
    pub review_below_similarity: f32,
    /// Edits separated by at most this many equal characters are one difference.
    pub merge_gap: usize,
    /// Letters or digits added or removed at once that make a clause change (critical).
    pub min_clause_chars: usize,
    /// Differences of at most this many characters may be misreadings.
    pub max_uncertain_chars: usize,
    /// Characters read below this confidence may be misread.
    pub min_char_confidence: f32,
    /// The engine's second choice with at least this probability may be the true character.
    pub min_second_choice: f32,
    /// Share of red pixels around a difference that puts it under a seal impression.
    pub seal_ink_share: f32,
    /// Share of a difference's ink that is red from which its text is the seal's own (its name,
    /// 合同专用章) or lies under it, however pale and thin the strokes: uncertain.
    pub seal_text_red_share: f32,
    /// ... when the difference's box is no longer than this on either side (upright-page pixels): a
    /// seal is 38-45 mm across, about 250-300 px at 150 dpi.
    pub seal_text_max_side: f32,
    /// Largest alignment table (cells), bounding memory.
    pub max_align_cells: usize,
    /// Text path: most approved lines read again to settle differences (0: never).
    pub max_reread_lines: usize,
    /// Text path: a change under a seal (uncertain, review) that a re-read of its line, the seal
    /// faded, reads the same and is sure of, is a change; so is an insertion of six characters or
    /// more whose own rows read the same text again. Off for the comparison before stamping (not
    /// measured there); the post-stamp checks turn it on for themselves.
    pub confirm_under_seal: bool,
    /// Text path: a change read with confidence whose re-read reads the same substitution, though
    /// doubted, stays a change instead of becoming uncertain (review). Off for the comparison before
    /// stamping (not measured there); the post-stamp checks turn it on for themselves.
    pub keep_repeated_changes: bool,
    /// Region path: see [`region::RegionConfig`].
    pub region: region::RegionConfig,
}

impl Default for CompareConfig {
    fn default() -> Self {
        CompareConfig {
            page_min_similarity: 0.8,
            review_below_similarity: 0.9,
            merge_gap: 1,
            min_clause_chars: 4,
            max_uncertain_chars: 3,
            min_char_confidence: 0.9,
            min_second_choice: 0.02,
            seal_ink_share: 0.06,
            seal_text_red_share: 0.6,
            seal_text_max_side: 320.0,
            max_align_cells: 16_000_000,
            max_reread_lines: 24,
            confirm_under_seal: false,
            keep_repeated_changes: false,
            region: region::RegionConfig::default(),
        }
    }
}

impl CompareConfig {
    pub fn validate(&self) -> Result<(), String> {
        let share = |name: &str, v: f32| {
            if (0.0..=1.0).contains(&v) {
                Ok(())
            } else {
                Err(format!("compare.{name} must be within [0, 1], not {v}"))
            }
        };
        share("page_min_similarity", self.page_min_similarity)?;
        share("review_below_similarity", self.review_below_similarity)?;
        share("min_char_confidence", self.min_char_confidence)?;
        share("min_second_choice", self.min_second_choice)?;
        share("seal_ink_share", self.seal_ink_share)?;
        share("seal_text_red_share", self.seal_text_red_share)?;
        if !(self.seal_text_max_side.is_finite() && self.seal_text_max_side >= 0.0) {
            return Err("compare.seal_text_max_side must be a size in pixels".into());
        }
        if self.max_align_cells == 0 || self.max_align_cells > 400_000_000 {
            return Err("compare.max_align_cells must be within 1..=400000000".into());
        }
        self.region.validate()
    }
}

/// The verdict for a page match (or none) and its differences, with the reasons in words.
pub fn decide(
    page: Option<usize>,
    similarity: f32,
    differences: &[Difference],
    cfg: &CompareConfig,
) -> (Verdict, Vec<String>) {
    let mut reasons = Vec::new();
    let Some(page) = page else {
        reasons.push(format!(
            "the photo shows none of the approved pages (best similarity {similarity:.3} < {:.3})",
            cfg.page_min_similarity
        ));
        return (Verdict::Mismatch, reasons);
    };
    let describe =
        |d: &Difference| format!("{:?} `{}` → `{}` ({:?})", d.kind, d.expected, d.found, d.reasons).to_lowercase();
    let certain_critical: Vec<&Difference> =
        differences.iter().filter(|d| d.critical && d.uncertain.is_none()).collect();
    if !certain_critical.is_empty() {
        for d in certain_critical {
            reasons.push(format!("critical change on page {}: {}", page + 1, describe(d)));
        }
        return (Verdict::Mismatch, reasons);
    }
    for d in differences {
        if d.critical {
            reasons.push(format!("uncertain critical difference ({:?}): {}", d.uncertain, describe(d)).to_lowercase());
        } else if d.uncertain.is_none() {
            reasons.push(format!("change of ordinary text: {}", describe(d)));
        }
    }
    if similarity < cfg.review_below_similarity {
        reasons.push(format!("similarity {similarity:.3} below {:.3}", cfg.review_below_similarity));
    }
    if reasons.is_empty() { (Verdict::Match, reasons) } else { (Verdict::Review, reasons) }
}

/// Fill each difference's photo box from its page box.
pub(crate) fn to_photo_boxes(differences: &mut [Difference], page_to_photo: &Homography) {
    for d in differences {
        d.photo_box = d.page_box.and_then(|q| {
            let mut out = [[0f32; 2]; 4];
            for (o, p) in out.iter_mut().zip(q) {
                let (x, y) = page_to_photo.apply(p[0], p[1])?;
                *o = [x, y];
            }
            Some(out)
        });
    }
}

impl From<CompareError> for PipelineError {
    fn from(e: CompareError) -> Self {
        PipelineError::Compare(e.to_string())
    }
}
