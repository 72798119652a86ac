//! Is this stamped page blank (空白文件)? A seal stamped on a blank sheet can be filled in later with
//! anything, so after stamping every photographed page is checked, and a blank one is flagged.
//!
//! [`assess_blank`] takes the upright page in colour (lighting evened, red ink NOT faded:
//! [`crate::page::PageConfig`] with `suppress_red_ink: false`), the number of characters the OCR read
//! on it, and the boxes of seal impressions found on it, and scores how much of a document it holds:
//!
//! 1. `pool.rs`: a grid of 2 x 2 px cells holding each cell's darkest *ink level* (brightest channel,
//!    so red, blue and purple seal ink stays near the paper) and whether it has a seal's colour;
//! 2. `valley.rs`: ink is a cell darker than the paper on BOTH sides of it, by an absolute and a
//!    relative contrast, at two depths (print, faint): strokes pass; shadows' edges, lighting, paper
//!    tone, punch holes and the desk beyond the sheet are steps or blots;
//! 3. `seal_ink.rs`: seal-coloured ink (two seals crossing), pale ink next to it (JPEG fringes) and
//!    all ink in the given seal boxes is cleared; black print under a seal stays;
//! 4. `components.rs` and `tally.rs`: components of ink within a few pixels of each other (the
//!    strokes of a character join); specks (dust, toner, noise), components without print-deep ink
//!    (show-through), long thin rules and components in the margins are dropped; the rest is summed
//!    per zone (`zones.rs`): the body counts fully, an end band (top and bottom of the long axis, so
//!    a page that could not be turned upright is zoned alike) counts as little as
//!    [`BlankConfig::band_weight`] while it holds no more than a letterhead or a page number;
//! 5. `score.rs`: weighted ink coverage, raised by the OCR characters beyond a blank page's
//!    allowance (raised, not added to: characters the OCR reads where there is no print, such as
//!    show-through, cannot make a blank page a document); below [`BlankConfig::blank_below`] the
//!    page is blank.
//!
//! [`print_depth`] (`print_depth.rs`): how deep a box's darkest ink goes, under seal ink too. Deep
//! ink is print; shallow ink may be show-through or small print blurred, so a caller may use it to
//! accept what the OCR read on a page scored blank as printed, never to call a page blank.
//!
//! Errors (a page too small, too large, a bad configuration) are typed; a caller making the security
//! decision treats an error as "deny". The check favours "blank" wherever it is unsure (ink in the
//! margins or bands, in seal boxes, too faint), since flagging a page costs a look while missing a
//! blank sheet costs a forged document.

mod components;
mod config;
mod pool;
mod print_depth;
mod score;
mod seal_ink;
mod tally;
mod valley;
mod zones;

pub use config::BlankConfig;
pub use print_depth::print_depth;

use serde::Serialize;

use crate::image::Rgb8;
use crate::{ImageError, PipelineError};
use components::connected_components;
use pool::{POOL, pool_page};
use seal_ink::{SealExclusion, clear_boxes, clear_seal_ink};
use tally::{Keep, Tally, tally};
use valley::{Depth, ValleyParams, valley_ink};
use zones::Zones;

/// The smallest page side accepted, pixels.
pub const MIN_PAGE_SIDE: usize = 32;

/// What the check found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlankEvidence {
    /// The page is blank: flag it.
    pub blank: bool,
    /// How much of a document the page holds; blank below [`BlankConfig::blank_below`].
    pub score: f32,
    /// Ink kept (not specks, not in the margins, not seal ink) over the page outside the margins.
    pub ink_share: f32,
    /// The same with the end bands (page number, letterhead) weighed by [`BlankConfig::band_weight`].
    pub weighted_ink: f32,
    /// Characters the OCR read, as the caller passed them.
    pub text_chars: usize,
    /// Ink components kept.
    pub components: usize,
    /// Why, in words, for the log and the reviewer.
    pub reasons: Vec<String>,
}

/// Decide whether `page` (upright, in colour, lighting evened, red ink not faded) is blank, given
/// the `text_chars` characters the OCR read on it and the `seals` boxes `[x0, y0, x1, y1]` (page
/// pixels) of seal impressions on it, whose ink is excluded (seal-coloured ink is excluded anyway).
pub fn assess_blank(
    page: &Rgb8,
    text_chars: usize,
    seals: &[[f32; 4]],
    cfg: &BlankConfig,
) -> Result<BlankEvidence, PipelineError> {
    cfg.validate().map_err(PipelineError::Config)?;
    check_size(page, cfg.max_pixels)?;
    let pooled = pool_page(page, cfg.seal_chroma)?;
    let mut ink = valley_ink(&pooled.level, valley_params(cfg))?;
    let exclusion = SealExclusion { halo: cfg.seal_halo_px.div_ceil(POOL), dark: cfg.dark_under_seal };
    let seal_cells = clear_seal_ink(&mut ink, &pooled.level, &pooled.seal, exclusion);
    let box_cells = clear_boxes(&mut ink, seals, POOL);
    let zones = Zones::new(ink.width(), ink.height(), cfg.margin_share, cfg.band_share);
    let t = tally(&connected_components(&ink, cfg.join_px / POOL), &zones, &keep(cfg));
    let s = score::score(&t, zones.areas(), text_chars, cfg);
    let blank = s.score < cfg.blank_below;
    let excluded = Excluded { seal_cells, box_cells };
    Ok(BlankEvidence {
        blank,
        score: s.score,
        ink_share: s.ink_share,
        weighted_ink: s.weighted_ink,
        text_chars,
        components: t.kept,
        reasons: reasons(blank, &s, &t, excluded, text_chars, cfg),
    })
}

fn check_size(page: &Rgb8, max_pixels: usize) -> Result<(), ImageError> {
    let (w, h) = (page.width(), page.height());
    if w < MIN_PAGE_SIDE || h < MIN_PAGE_SIDE {
        return Err(ImageError::TooSmall { width: w, height: h });
    }
    if w.checked_mul(h).is_none_or(|n| n > max_pixels) {
        return Err(ImageError::TooLarge { width: w as u64, height: h as u64, limit: max_pixels as u64 });
    }
    Ok(())
}

fn valley_params(cfg: &BlankConfig) -> ValleyParams {
    let q8 = |share: f32| (share.clamp(0.0, 1.0) * 256.0).round() as u32;
    ValleyParams {
        radius: cfg.valley_radius_px.div_ceil(POOL),
        faint: Depth { contrast: cfg.faint_contrast, relative_q8: q8(cfg.faint_relative_contrast) },
        print: Depth { contrast: cfg.print_contrast, relative_q8: q8(cfg.print_relative_contrast) },
    }
}

/// What a component must be to count, in cells.
fn keep(cfg: &BlankConfig) -> Keep {
    let cell_area = POOL * POOL;
    Keep {
        min_area: cfg.min_component_px.div_ceil(cell_area),
        min_strong: cfg.min_print_px.div_ceil(cell_area),
        rule_min_length: cfg.rule_min_length_px.div_ceil(POOL),
        rule_max_thickness: cfg.rule_max_thickness_px.div_ceil(POOL),
        band_max_extent: cfg.band_max_extent_px / POOL,
    }
}

/// Ink cells cleared as seal ink.
#[derive(Debug, Clone, Copy)]
struct Excluded {
    seal_cells: usize,
    box_cells: usize,
}

fn reasons(
    blank: bool,
    s: &score::Score,
    t: &Tally,
    excluded: Excluded,
    text_chars: usize,
    cfg: &BlankConfig,
) -> Vec<String> {
    let verdict = if blank { "blank: score below" } else { "not blank: score at or above" };
    let mut out = vec![
        format!("{verdict} {:.2}: {:.2}", cfg.blank_below, s.score),
        format!(
            "ink covers {:.4}% of the page inside the margins, {:.4}% weighted toward the body ({} components)",
            s.ink_share * 100.0,
            s.weighted_ink * 100.0,
            t.kept
        ),
        format!(
            "the OCR read {text_chars} characters, {} allowed on a blank page: ink weighs x{:.2}",
            cfg.text_allowance, s.text_boost
        ),
    ];
    if t.band > 0 {
        out.push(format!("ink in the header and footer bands weighs {}: page numbers, letterheads", cfg.band_weight));
    }
    if t.bands_as_body > 0 {
        out.push(format!("{} end bands hold more than a letterhead and count as body", t.bands_as_body));
    }
    if t.specks > 0 {
        out.push(format!("{} specks under {} px ignored", t.specks, cfg.min_component_px));
    }
    if t.faint > 0 {
        out.push(format!("{} faint marks with no print-deep ink ignored: show-through, noise", t.faint));
    }
    if t.rules > 0 {
        out.push(format!("{} long thin lines ignored: rules, the sheet's edge", t.rules));
    }
    if t.in_margin > 0 {
        out.push(format!("{} ink marks in the margins ignored", t.in_margin));
    }
    if excluded.seal_cells + excluded.box_cells > 0 {
        out.push(format!(
            "seal ink excluded: {} px by colour, {} px in seal boxes",
            excluded.seal_cells * POOL * POOL,
            excluded.box_cells * POOL * POOL
        ));
    }
    out
}

#[cfg(test)]
mod tests;
