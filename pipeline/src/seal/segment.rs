//! Colour segmentation of seal ink: each pixel is divided by the local paper colour (see `paper.rs`)
//! and classed by its chromaticity as red, blue or purple ink, dark text, other colours, or paper.
//!
//! Seal ink absorbs some channels and not others, so it keeps a high chroma relative to how dark it
//! is, however pale: red ink at opacity 0.2 over white is `(247, 211, 214)`, chroma 36 for an
//! absorption of 44. Black text absorbs every channel: black, or red ink printed over black, has a
//! chroma that is a small share of its absorption and is classed dark, so text crossing a seal is
//! not seal ink, and is known to hide it.

use super::SealConfig;
use super::paper::paper_gains;
use crate::image::{Rgb8, checked_len};
use crate::{ImageError, PipelineError};

/// What a pixel is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum InkClass {
    Paper = 0,
    Red = 1,
    Blue = 2,
    Purple = 3,
    /// Black or grey print, or any ink over it: hides whatever seal lies beneath.
    Dark = 4,
    /// Clearly coloured but not a seal colour (green, yellow: highlighter, stains).
    Other = 5,
}

impl InkClass {
    fn from_u8(v: u8) -> InkClass {
        match v {
            1 => InkClass::Red,
            2 => InkClass::Blue,
            3 => InkClass::Purple,
            4 => InkClass::Dark,
            5 => InkClass::Other,
            _ => InkClass::Paper,
        }
    }

    /// Red, blue or purple.
    pub fn is_seal_ink(self) -> bool {
        matches!(self, InkClass::Red | InkClass::Blue | InkClass::Purple)
    }
}

/// Hue bounds, degrees: red `[320, 360) U [0, 40)` (cinnabar is about 10, magenta-red stamp ink
/// 340-355), purple `[250, 320)`, blue `[180, 250)` (blue stamp ink 215-235).
const RED_FROM: i32 = 320;
const RED_TO: i32 = 40;
const PURPLE_FROM: i32 = 250;
const BLUE_FROM: i32 = 180;
/// Pixels that share one interpolated paper gain.
const RUN: usize = 8;

/// The classes of a region of a page, and the chroma of its seal ink.
#[derive(Debug, Clone, PartialEq)]
pub struct InkLayers {
    pub(crate) origin: [usize; 2],
    pub(crate) width: usize,
    pub(crate) height: usize,
    pub(crate) class: Vec<u8>,
    /// Paper-normalised chroma of seal-ink pixels, 0 elsewhere.
    pub(crate) strength: Vec<u8>,
}

impl InkLayers {
    /// Page position of the region's first pixel.
    pub fn origin(&self) -> [usize; 2] {
        self.origin
    }

    pub fn width(&self) -> usize {
        self.width
    }

    pub fn height(&self) -> usize {
        self.height
    }

    /// Class of the pixel at region position `(x, y)`; paper outside the region.
    pub fn class_at(&self, x: usize, y: usize) -> InkClass {
        if x >= self.width {
            return InkClass::Paper;
        }
        let v = y.checked_mul(self.width).and_then(|i| i.checked_add(x)).and_then(|i| self.class.get(i));
        v.map_or(InkClass::Paper, |&v| InkClass::from_u8(v))
    }

    /// Class of the pixel nearest page point `p`, or `None` outside the region.
    pub fn class_near(&self, p: [f64; 2]) -> Option<InkClass> {
        self.pixel_near(p).map(|(class, _)| class)
    }

    /// Class and seal-ink chroma of the pixel nearest page point `p`, or `None` outside the region.
    pub(crate) fn pixel_near(&self, p: [f64; 2]) -> Option<(InkClass, u8)> {
        let [ox, oy] = self.origin.map(|v| v as f64);
        let (lx, ly) = ((p[0] - ox).round(), (p[1] - oy).round());
        if !(lx >= 0.0 && ly >= 0.0 && lx < self.width as f64 && ly < self.height as f64) {
            return None;
        }
        let (x, y) = (lx as usize, ly as usize);
        Some((self.class_at(x, y), self.strength.get(y * self.width + x).copied().unwrap_or(0)))
    }

    /// Seal-ink chroma at page point `p`, bilinear between the four pixels around it (0 off the
    /// region, on paper and under dark text).
    pub(crate) fn chroma_at(&self, p: [f64; 2]) -> f32 {
        let [ox, oy] = self.origin().map(|v| v as f64);
        let (fx, fy) = (p[0] - ox, p[1] - oy);
        if !(fx >= 0.0 && fy >= 0.0 && fx < self.width as f64 && fy < self.height as f64) {
            return 0.0;
        }
        let (x, y) = (fx.floor() as usize, fy.floor() as usize);
        let (ax, ay) = ((fx - x as f64) as f32, (fy - y as f64) as f32);
        let at = |x: usize, y: usize| -> f32 {
            if x >= self.width() || y >= self.height() {
                return 0.0;
            }
            self.strength.get(y * self.width() + x).map_or(0.0, |&c| f32::from(c))
        };
        let top = at(x, y) * (1.0 - ax) + at(x + 1, y) * ax;
        let bottom = at(x, y + 1) * (1.0 - ax) + at(x + 1, y + 1) * ax;
        top * (1.0 - ay) + bottom * ay
    }

    /// Pixels of each class, indexed by `InkClass as usize`, in the box `[x0, y0, x1, y1]` (page
    /// pixels, end exclusive, clipped to the region; nothing for a box with a non-finite value).
    pub fn counts_in(&self, bbox: [f32; 4]) -> [usize; 6] {
        let mut n = [0usize; 6];
        if bbox.iter().any(|v| !v.is_finite()) {
            return n;
        }
        let [ox, oy] = self.origin.map(|v| v as f32);
        let clip = |v: f32, origin: f32, len: usize| ((v - origin).max(0.0) as usize).min(len);
        let (x0, x1) = (clip(bbox[0], ox, self.width), clip(bbox[2], ox, self.width));
        let (y0, y1) = (clip(bbox[1], oy, self.height), clip(bbox[3], oy, self.height));
        for y in y0..y1 {
            let Some(row) = self.class.get(y * self.width + x0..y * self.width + x1.max(x0)) else { break };
            for &c in row {
                if let Some(slot) = n.get_mut(usize::from(c)) {
                    *slot += 1;
                }
            }
        }
        n
    }

    /// Pixels of each class, indexed by `InkClass as usize`.
    pub fn counts(&self) -> [usize; 6] {
        let mut n = [0usize; 6];
        for &c in &self.class {
            if let Some(slot) = n.get_mut(usize::from(c)) {
                *slot += 1;
            }
        }
        n
    }
}

/// Classify every pixel of `page` (blocks of the paper estimate sized from its short side).
///
/// ```
/// use sealgate_pipeline::Image;
/// use sealgate_pipeline::seal::{InkClass, SealConfig, segment_ink};
/// // Paper, pale red ink, black text, blue ink.
/// let page = Image::<u8, 3>::new(4, 1, vec![250, 248, 245, 245, 205, 210, 20, 20, 22, 40, 70, 200]).unwrap();
/// let layers = segment_ink(&page, &SealConfig::default()).unwrap();
/// let classes: Vec<_> = (0..4).map(|x| layers.class_at(x, 0)).collect();
/// assert_eq!(classes, [InkClass::Paper, InkClass::Red, InkClass::Dark, InkClass::Blue]);
/// ```
pub fn segment_ink(page: &Rgb8, cfg: &SealConfig) -> Result<InkLayers, PipelineError> {
    cfg.validate().map_err(PipelineError::Config)?;
    let short = page.width().min(page.height());
    let block = paper_block(short, cfg);
    segment_region(page, [0, 0, page.width(), page.height()], block, cfg)
}

/// Paper block side for a page whose short side is `short` pixels.
pub(crate) fn paper_block(short: usize, cfg: &SealConfig) -> usize {
    ((short as f32 * cfg.paper_block_rel).round() as usize).clamp(8, 512)
}

/// Classify the region `[x0, y0, x1, y1)` of `page` (clipped to it) with paper blocks of `block` px.
pub(crate) fn segment_region(
    page: &Rgb8,
    region: [usize; 4],
    block: usize,
    cfg: &SealConfig,
) -> Result<InkLayers, PipelineError> {
    let [x0, y0, x1, y1] = region;
    let (x1, y1) = (x1.min(page.width()), y1.min(page.height()));
    let (x0, y0) = (x0.min(x1), y0.min(y1));
    let (w, h) = (x1 - x0, y1 - y0);
    let n = checked_len(w, h, 1)?;
    if n > cfg.max_pixels {
        return Err(ImageError::TooLarge { width: w as u64, height: h as u64, limit: cfg.max_pixels as u64 }.into());
    }
    let mut layers = InkLayers { origin: [x0, y0], width: w, height: h, class: vec![0; n], strength: vec![0; n] };
    if n == 0 {
        return Ok(layers);
    }
    let grid = paper_gains(page, x0, y0, w, h, block);
    if grid.cols == 0 || grid.rows == 0 {
        return Ok(layers);
    }
    let t = Thresholds::of(cfg);
    let b = grid.block as f32;
    // Gains are interpolated between block centres, held over runs of RUN pixels (a block is 8 to 512
    // pixels, so a run is at most an eighth of one) in fixed point, so the per-pixel work is three
    // integer products and a comparison for the paper most pixels are.
    let run_taps: Vec<(usize, usize, f32)> = (0..w.div_ceil(RUN))
        .map(|r| {
            let x = (r * RUN) as f32 + RUN as f32 / 2.0;
            let g = (x / b - 0.5).clamp(0.0, (grid.cols - 1) as f32);
            let g0 = g as usize;
            (g0, (g0 + 1).min(grid.cols - 1), g - g0 as f32)
        })
        .collect();
    let mut row_gain = vec![[1.0f32; 3]; grid.cols];
    let stride = page.width() * 3;
    let ink_floor = 255 - t.ink_min;
    let rows = layers.class.chunks_exact_mut(w).zip(layers.strength.chunks_exact_mut(w));
    for (y, (class_row, strength_row)) in rows.enumerate() {
        let g = ((y as f32 + 0.5) / b - 0.5).clamp(0.0, (grid.rows - 1) as f32);
        let (g0, fy) = (g as usize, g - (g as usize) as f32);
        let g1 = (g0 + 1).min(grid.rows - 1);
        let (Some(top), Some(bottom)) = (
            grid.gains.get(g0 * grid.cols..(g0 + 1) * grid.cols),
            grid.gains.get(g1 * grid.cols..(g1 + 1) * grid.cols),
        ) else {
            break;
        };
        for ((out, a), c) in row_gain.iter_mut().zip(top).zip(bottom) {
            *out = std::array::from_fn(|k| a[k] + (c[k] - a[k]) * fy);
        }
        let start = (y0 + y) * stride + x0 * 3;
        let Some(src) = page.data().get(start..start + w * 3) else { break };
        let runs = src.chunks(RUN * 3).zip(class_row.chunks_mut(RUN)).zip(strength_row.chunks_mut(RUN)).zip(&run_taps);
        for (((pixels, classes), strengths), &(ga, gb, fx)) in runs {
            let (Some(ga), Some(gb)) = (row_gain.get(ga), row_gain.get(gb)) else { continue };
            // Q8 fixed point; gains are at most 255 / MIN_PAPER (about 11).
            let gain: [u32; 3] = std::array::from_fn(|k| (((ga[k] + (gb[k] - ga[k]) * fx) * 256.0) as u32).min(2900));
            for ((p, class), strength) in pixels.chunks_exact(3).zip(classes.iter_mut()).zip(strengths.iter_mut()) {
                // At most 255 * 2900 + 128: no overflow (wrapping only spares the debug checks).
                let n: [i32; 3] = std::array::from_fn(|k| {
                    (u32::from(p[k]).wrapping_mul(gain[k]).wrapping_add(128) >> 8).min(255) as i32
                });
                if n[0].min(n[1]).min(n[2]) > ink_floor {
                    // Paper (the buffers start as paper).
                    continue;
                }
                let (c, s) = classify(n, &t);
                *class = c as u8;
                *strength = s;
            }
        }
    }
    Ok(layers)
}

/// The thresholds of [`classify`] in integer form.
struct Thresholds {
    ink_min: i32,
    chroma_min: i32,
    /// `chroma_ratio` in 1/256.
    ratio: i32,
    /// `chroma_ratio_cool` (blue and purple hues) in 1/256.
    ratio_cool: i32,
    dark_max_luma: i32,
}

impl Thresholds {
    fn of(cfg: &SealConfig) -> Thresholds {
        Thresholds {
            ink_min: i32::from(cfg.ink_min),
            chroma_min: i32::from(cfg.chroma_min),
            ratio: (cfg.chroma_ratio.clamp(0.0, 1.0) * 256.0).round() as i32,
            ratio_cool: (cfg.chroma_ratio_cool.clamp(0.0, 1.0) * 256.0).round() as i32,
            dark_max_luma: i32::from(cfg.dark_max_luma),
        }
    }
}

/// Class and seal-ink strength (chroma) of one paper-normalised pixel.
fn classify(n: [i32; 3], t: &Thresholds) -> (InkClass, u8) {
    let [r, g, b] = n;
    let (mx, mn) = (r.max(g).max(b), r.min(g).min(b));
    let absorb = 255 - mn;
    if absorb < t.ink_min {
        return (InkClass::Paper, 0);
    }
    let chroma = mx - mn;
    if chroma >= t.chroma_min {
        let hue = if mx == r {
            (60 * (g - b) / chroma).rem_euclid(360)
        } else if mx == g {
            120 + 60 * (b - r) / chroma
        } else {
            240 + 60 * (r - g) / chroma
        };
        let class = if !(RED_TO..RED_FROM).contains(&hue) {
            InkClass::Red
        } else if hue >= PURPLE_FROM {
            InkClass::Purple
        } else if hue >= BLUE_FROM {
            InkClass::Blue
        } else {
            InkClass::Other
        };
        let ratio = if matches!(class, InkClass::Blue | InkClass::Purple) { t.ratio_cool } else { t.ratio };
        if chroma * 256 >= ratio * absorb {
            let strength = if class.is_seal_ink() { chroma.clamp(0, 255) as u8 } else { 0 };
            return (class, strength);
        }
    }
    let luma = (77 * r + 150 * g + 29 * b) >> 8;
    if luma < t.dark_max_luma { (InkClass::Dark, 0) } else { (InkClass::Paper, 0) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class_of(px: [i32; 3]) -> InkClass {
        classify(px, &Thresholds::of(&SealConfig::default())).0
    }

    #[test]
    fn seal_colours_text_and_paper() {
        assert_eq!(class_of([215, 40, 50]), InkClass::Red);
        assert_eq!(class_of([220, 80, 40]), InkClass::Red, "cinnabar");
        assert_eq!(class_of([247, 211, 214]), InkClass::Red, "pale red, opacity 0.2");
        assert_eq!(class_of([40, 70, 190]), InkClass::Blue);
        assert_eq!(class_of([120, 50, 160]), InkClass::Purple);
        assert_eq!(class_of([20, 20, 24]), InkClass::Dark);
        assert_eq!(class_of([17, 3, 5]), InkClass::Dark, "red ink over black text");
        assert_eq!(class_of([116, 63, 67]), InkClass::Dark, "red ink over grey text");
        assert_eq!(class_of([250, 250, 246]), InkClass::Paper);
        assert_eq!(class_of([60, 180, 60]), InkClass::Other);
    }

    #[test]
    fn dim_blue_ink_is_blue_and_cold_grey_text_dark() {
        // A blue seal at opacity 0.6 photographed in dim light (held-out 0031), paper-normalised:
        // chroma over absorption 0.36, which the red ink's 0.4 called dark text.
        assert_eq!(class_of([134, 142, 177]), InkClass::Blue);
        let red_rule = SealConfig { chroma_ratio_cool: 0.4, ..SealConfig::default() };
        assert_eq!(classify([134, 142, 177], &Thresholds::of(&red_rule)).0, InkClass::Dark);
        // Grey text under a cold light: 0.23.
        assert_eq!(class_of([100, 108, 135]), InkClass::Dark);
        // Red at that ratio stays dark text (anti-aliased grey text under a red seal: 0.28).
        assert_eq!(class_of([170, 122, 122]), InkClass::Dark);
    }

    #[test]
    fn shadowed_warm_photo_still_finds_red_ink() {
        // Warm light on the left, shadow on the right; the same red ink dot in both halves.
        let (w, h) = (128, 64);
        let mut data = Vec::with_capacity(w * h * 3);
        for y in 0..h {
            for x in 0..w {
                let paper = if x < 64 { [240.0, 215.0, 170.0] } else { [110.0, 100.0, 80.0] };
                let ink = (x % 64).abs_diff(32) < 3 && y.abs_diff(32) < 3;
                let k = if ink { [0.85, 0.35, 0.38] } else { [1.0, 1.0, 1.0] };
                data.extend((0..3).map(|c| (paper[c] * k[c]) as u8));
            }
        }
        let page = Rgb8::new(w, h, data).expect("page");
        let layers = segment_ink(&page, &SealConfig::default()).expect("layers");
        assert_eq!(layers.class_at(32, 32), InkClass::Red);
        assert_eq!(layers.class_at(96, 32), InkClass::Red);
        assert_eq!(layers.class_at(10, 10), InkClass::Paper);
        assert_eq!(layers.class_at(100, 10), InkClass::Paper);
        assert_eq!(layers.counts()[InkClass::Red as usize], 2 * 25);
    }

    #[test]
    fn hostile_inputs() {
        let cfg = SealConfig::default();
        for (w, h) in [(0, 0), (1, 1), (0, 5)] {
            let page = Rgb8::new(w, h, vec![200; w * h * 3]).expect("page");
            let layers = segment_ink(&page, &cfg).expect("layers");
            assert_eq!(layers.class.len(), w * h);
        }
        // All red: the "paper" is red, so nothing stands out as ink.
        let page = Rgb8::new(40, 40, [210u8, 30, 40].repeat(1600)).expect("red");
        let layers = segment_ink(&page, &cfg).expect("layers");
        assert_eq!(layers.counts()[InkClass::Red as usize], 0);
        assert_eq!(layers.class_at(1000, 0), InkClass::Paper);
        assert_eq!(layers.class_at(0, usize::MAX), InkClass::Paper);
        let small = SealConfig { max_pixels: 100, ..cfg.clone() };
        assert!(matches!(segment_ink(&page, &small), Err(PipelineError::Image(ImageError::TooLarge { .. }))));
        assert_eq!(layers.counts_in([0.0, 0.0, 40.0, 40.0])[InkClass::Paper as usize], 1600);
        assert_eq!(layers.counts_in([-5.0, 10.0, 1e9, 12.0]).iter().sum::<usize>(), 80);
        assert_eq!(layers.counts_in([f32::NAN, 0.0, 4.0, 4.0]), [0; 6]);
        assert_eq!(layers.counts_in([30.0, 30.0, 10.0, 10.0]), [0; 6]);
        let region = segment_region(&page, [30, 30, 100, 100], 8, &cfg).expect("clipped");
        assert_eq!((region.origin(), region.width(), region.height()), ([30, 30], 10, 10));
        let bad = SealConfig { chroma_ratio: 2.0, ..cfg };
        assert!(matches!(segment_ink(&page, &bad), Err(PipelineError::Config(_))));
    }
}
