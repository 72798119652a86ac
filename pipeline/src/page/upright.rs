//! Photo → upright page: find the sheet, warp it to the page rectangle, even out the lighting, fade
//! red ink, and turn it upright.
//!
//! Orientation is decided once per page: text lines that run vertically mean a quarter turn; then the
//! direction classifier votes over the page's longest lines (weighted by length) for 0 or 180 degrees.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::{
    NoSheet, RedInkMap, SealInks, Sheet, even_out_lighting, find_sheet, find_sheet_on_light_desk, order_corners,
    suppress_seal_ink,
};
use crate::PipelineError;
use crate::image::{Homography, Rgb8, rotate90_ccw, warp_perspective};
use crate::ocr::PpOcr;
use crate::ocr::ppocr::{Quad, reading_order};

/// Page normalisation settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageConfig {
    /// Output page size in pixels (A4 at 150 dpi: 1240 x 1754), for portrait; swapped for landscape.
    pub short_side: usize,
    pub long_side: usize,
    /// Smallest share of the photo a sheet may cover.
    pub min_sheet_share: f32,
    pub even_out_lighting: bool,
    pub suppress_red_ink: bool,
    /// Which seal inks are mapped (text under a seal) and faded: red only, or blue and purple too.
    #[serde(default)]
    pub seal_inks: SealInks,
    /// Keep a copy of the page with its colours (lighting evened, red ink not faded) for the checks
    /// that need seal ink: blank pages and seal impressions after stamping.
    #[serde(default)]
    pub keep_colour: bool,
    /// How many of the longest lines vote on 0 versus 180 degrees.
    pub orientation_lines: usize,
}

impl Default for PageConfig {
    fn default() -> Self {
        PageConfig {
            short_side: 1240,
            long_side: 1754,
            min_sheet_share: 0.2,
            even_out_lighting: true,
            suppress_red_ink: true,
            seal_inks: SealInks::Red,
            keep_colour: false,
            orientation_lines: 16,
        }
    }
}

/// Wall time of each normalisation stage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct PageTimings {
    pub sheet: Duration,
    pub warp: Duration,
    pub orientation: Duration,
}

/// An upright page and how it maps back to the photo.
#[derive(Debug, Clone)]
pub struct UprightPage {
    pub image: Rgb8,
    /// How far the page's content was turned clockwise in the photo: 0, 90, 180 or 270 degrees.
    pub rotation: u16,
    pub sheet: Sheet,
    /// Maps upright-page pixels to photo pixels.
    pub page_to_photo: Homography,
    /// Text boxes detected on the upright page, in reading order.
    pub quads: Vec<Quad>,
    /// Length-weighted classifier vote for "upside down" over the voting lines (0 = upright, 1 = turned).
    pub flip_vote: f32,
    /// Red ink on the upright page, as photographed (before it was faded).
    pub red_ink: RedInkMap,
    /// The upright page before red ink was faded, when [`PageConfig::keep_colour`] is set.
    pub colour: Option<Rgb8>,
    pub timings: PageTimings,
}

/// The sheet warped flat to the page rectangle, lit evenly and red ink faded, in the orientation
/// it was photographed in (not yet turned upright).
#[derive(Debug, Clone)]
pub struct FlatPage {
    pub image: Rgb8,
    pub sheet: Sheet,
    /// Sheet corners in the photo, in the order the page rectangle's TL, TR, BR, BL map to.
    pub corners: [[f32; 2]; 4],
    pub red_ink: RedInkMap,
    /// The page before red ink was faded, when [`PageConfig::keep_colour`] is set.
    pub colour: Option<Rgb8>,
    pub timings: PageTimings,
}

impl FlatPage {
    /// Page pixels of this flat page turned `quarter_turns` counter-clockwise to photo pixels.
    pub fn page_to_photo(&self, quarter_turns: usize) -> Result<Homography, PipelineError> {
        let (w, h) = (self.image.width(), self.image.height());
        let (uw, uh) = if quarter_turns % 2 == 1 { (h, w) } else { (w, h) };
        let c = self.corners;
        let corners_in_photo: [[f32; 2]; 4] = std::array::from_fn(|i| c[(i + quarter_turns) % 4]);
        Homography::from_points(&rect(uw, uh), &corners_in_photo)
            .ok_or(PipelineError::Config("degenerate sheet corners".into()))
    }
}

/// Cell size of the red-ink map, in page pixels.
const RED_INK_CELL: usize = 8;

/// Find the sheet in `photo` and warp it flat; `Ok(Err(_))` when there is no sheet.
pub fn flatten_page(photo: &Rgb8, cfg: &PageConfig) -> Result<Result<FlatPage, NoSheet>, PipelineError> {
    let mut timings = PageTimings::default();
    let t = Instant::now();
    let sheet = match find_sheet(photo, cfg.min_sheet_share) {
        Ok(s) => s,
        Err(why) => return Ok(Err(why)),
    };
    timings.sheet = t.elapsed();
    flatten_sheet(photo, sheet, cfg, timings).map(Ok)
}

/// Warp `sheet` of `photo` flat (lighting, seal-ink map and fading as `cfg` says).
fn flatten_sheet(
    photo: &Rgb8,
    sheet: Sheet,
    cfg: &PageConfig,
    mut timings: PageTimings,
) -> Result<FlatPage, PipelineError> {
    let t = Instant::now();
    let c = sheet.corners;
    let d = |a: [f32; 2], b: [f32; 2]| ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt();
    let seen_landscape = d(c[0], c[1]) + d(c[3], c[2]) > d(c[0], c[3]) + d(c[1], c[2]);
    let (w, h) = if seen_landscape { (cfg.long_side, cfg.short_side) } else { (cfg.short_side, cfg.long_side) };
    let to_photo =
        Homography::from_points(&rect(w, h), &c).ok_or(PipelineError::Config("degenerate sheet corners".into()))?;
    let mut page = Rgb8::zeros(w, h)?;
    warp_perspective(photo, &to_photo, &mut page);
    if cfg.even_out_lighting {
        even_out_lighting(&mut page);
    }
    let red_ink = RedInkMap::of_inks(&page, RED_INK_CELL, cfg.seal_inks);
    let colour = cfg.keep_colour.then(|| page.clone());
    if cfg.suppress_red_ink {
        suppress_seal_ink(&mut page, cfg.seal_inks);
    }
    timings.warp = t.elapsed();
    Ok(FlatPage { image: page, sheet, corners: c, red_ink, colour, timings })
}

/// A page, or the reason the photo has none.
#[derive(Debug, Clone)]
pub enum PageOutcome {
    Page(Box<UprightPage>),
    NoPage(NoSheet),
}

/// Normalise `photo` into an upright page.
pub fn upright_page(photo: &Rgb8, cfg: &PageConfig, ocr: &PpOcr) -> Result<PageOutcome, PipelineError> {
    let mut flat = match flatten_page(photo, cfg)? {
        Ok(f) => f,
        Err(why) => return Ok(PageOutcome::NoPage(why)),
    };
    let mut quads = ocr.detect(&flat.image)?;
    if flat.sheet.full_frame && quads.is_empty() {
        // A bright frame with no outline and no text: a wall, a blank desk, not a page; or a blank
        // sheet on a light grey desk that passed for paper too.
        match find_sheet_on_light_desk(photo, cfg.min_sheet_share) {
            Ok(sheet) if !sheet.full_frame => {
                flat = flatten_sheet(photo, sheet, cfg, flat.timings)?;
                quads = ocr.detect(&flat.image)?;
            }
            _ => return Ok(PageOutcome::NoPage(NoSheet::NothingPaperLike { largest_share: 1.0 })),
        }
    }
    let mut timings = flat.timings;
    let t = Instant::now();
    let mut page = flat.image.clone();
    let mut red_ink = flat.red_ink.clone();
    let mut colour = flat.colour.clone();
    let mut quarter_turns = 0usize;
    // Boxes are turned with the page rather than detected again (0.3-0.4 s a detection).
    if runs_vertically(&quads) {
        quads = turn_quads_ccw(&quads, page.width(), page.height(), 1);
        page = rotate_ccw(&page, 1)?;
        red_ink = red_ink.rotated_ccw();
        colour = colour.map(|c| rotate_ccw(&c, 1)).transpose()?;
        quarter_turns = 1;
    }
    let flip_vote = upside_down_vote(ocr, &page, &quads, cfg.orientation_lines)?;
    if flip_vote > 0.5 {
        quads = turn_quads_ccw(&quads, page.width(), page.height(), 2);
        page = rotate_ccw(&page, 2)?;
        red_ink = red_ink.rotated_ccw().rotated_ccw();
        colour = colour.map(|c| rotate_ccw(&c, 2)).transpose()?;
        quarter_turns += 2;
    }
    timings.orientation = t.elapsed();

    let page_to_photo = flat.page_to_photo(quarter_turns)?;
    Ok(PageOutcome::Page(Box::new(UprightPage {
        image: page,
        rotation: (quarter_turns * 90) as u16,
        sheet: flat.sheet,
        page_to_photo,
        quads,
        flip_vote,
        red_ink,
        colour,
        timings,
    })))
}

fn rect(w: usize, h: usize) -> [[f32; 2]; 4] {
    let (w, h) = (w as f32, h as f32);
    [[0.0, 0.0], [w, 0.0], [w, h], [0.0, h]]
}

/// Boxes of a `w` x `h` image, in the image turned `quarter_turns` counter-clockwise, corners
/// re-ordered and boxes re-sorted into reading order.
fn turn_quads_ccw(quads: &[Quad], w: usize, h: usize, quarter_turns: usize) -> Vec<Quad> {
    let (mut w, mut h) = (w as f32, h as f32);
    let mut out: Vec<Quad> = quads.to_vec();
    for _ in 0..quarter_turns {
        for q in &mut out {
            // Counter-clockwise: the right edge becomes the top edge.
            *q = order_corners(q.map(|p| [p[1], w - p[0]]));
        }
        std::mem::swap(&mut w, &mut h);
    }
    reading_order(&mut out);
    out
}

pub(crate) fn rotate_ccw(img: &Rgb8, quarter_turns: usize) -> Result<Rgb8, PipelineError> {
    let mut cur = img.clone();
    for _ in 0..quarter_turns {
        let mut next = Rgb8::zeros(cur.height(), cur.width())?;
        rotate90_ccw(&cur, &mut next)?;
        cur = next;
    }
    Ok(cur)
}

/// True when most text (by box length) runs closer to top-to-bottom than to left-to-right: the page
/// is turned a quarter. Each box votes with its long side's direction, whatever its corner order
/// (a steep diagonal line under strong perspective has no reliable "top" edge).
fn runs_vertically(quads: &[Quad]) -> bool {
    let (mut horizontal, mut vertical) = (0f32, 0f32);
    for q in quads {
        let a = [q[1][0] - q[0][0], q[1][1] - q[0][1]];
        let b = [q[3][0] - q[0][0], q[3][1] - q[0][1]];
        let (la, lb) = (a[0].hypot(a[1]), b[0].hypot(b[1]));
        let (long, len, short) = if la >= lb { (a, la, lb) } else { (b, lb, la) };
        // A text line is much longer than it is high; square boxes (single characters) do not vote.
        if len < 1.5 * short {
            continue;
        }
        if long[1].abs() > long[0].abs() {
            vertical += len;
        } else {
            horizontal += len;
        }
    }
    vertical > horizontal
}

/// Length-weighted mean of the classifier's p(turned) over the `n` longest lines; 0 for no lines.
fn upside_down_vote(ocr: &PpOcr, page: &Rgb8, quads: &[Quad], n: usize) -> Result<f32, PipelineError> {
    let len = |q: &Quad| ((q[1][0] - q[0][0]).powi(2) + (q[1][1] - q[0][1]).powi(2)).sqrt();
    let mut longest: Vec<Quad> = quads.to_vec();
    longest.sort_by(|a, b| len(b).total_cmp(&len(a)));
    longest.truncate(n.max(1));
    if longest.is_empty() {
        return Ok(0.0);
    }
    let p = ocr.upside_down(page, &longest)?;
    let (num, den) = longest.iter().zip(&p).fold((0f32, 0f32), |(n, d), (q, p)| (n + len(q) * p, d + len(q)));
    Ok(if den > 0.0 { num / den } else { 0.0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_direction_is_voted_by_the_long_side_whatever_the_corner_order() {
        let horizontal: Quad = [[0.0, 0.0], [300.0, 0.0], [300.0, 30.0], [0.0, 30.0]];
        let vertical: Quad = [[0.0, 0.0], [30.0, 0.0], [30.0, 300.0], [0.0, 300.0]];
        // A steep diagonal line (about 60 degrees) listed from a corner on its long side.
        let steep: Quad = [[100.0, 0.0], [126.0, 15.0], [-24.0, 275.0], [-50.0, 260.0]];
        assert!(!runs_vertically(&[horizontal, horizontal]));
        assert!(runs_vertically(&[vertical, vertical, horizontal]));
        assert!(runs_vertically(&[steep]));
        assert!(!runs_vertically(&[]));
    }

    #[test]
    fn boxes_turn_with_the_page() {
        // A box at the top-right of a 100x50 image ends at the top-left after a quarter turn left.
        let q: Quad = [[80.0, 0.0], [100.0, 0.0], [100.0, 40.0], [80.0, 40.0]];
        let turned = turn_quads_ccw(&[q], 100, 50, 1);
        assert_eq!(turned[0], [[0.0, 0.0], [40.0, 0.0], [40.0, 20.0], [0.0, 20.0]]);
        let back = turn_quads_ccw(&turned, 50, 100, 3);
        assert_eq!(back[0], q);
    }
}
