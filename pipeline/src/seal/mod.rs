//! Seal impressions on a page photo: where they are, what outline they have, whether they are
//! whole, and whether they match a registered seal (印模).
//!
//! Pure and synchronous, one operation per file:
//!
//! - `paper.rs`: the local paper colour (brightest pixels per block, median-filtered), so that shadows
//!   and coloured light do not change what counts as ink;
//! - `segment.rs` ([`segment_ink`]): each pixel divided by that paper estimate, then classed as red,
//!   blue or purple seal ink, dark text, or paper, by its chromaticity;
//! - `off_sheet.rs`: strips of desk or tablecloth left along the sides of a page normalised from a
//!   photo (the sheet's outline found a little outside the paper) cleared, so that a red check or
//!   reddish wood is not taken for seal ink;
//! - `grid.rs`, `dilate.rs`, `components.rs`: seal-coloured ink pooled into cells at a scale relative
//!   to the page, gaps closed, connected groups labelled;
//! - `fit.rs`: the outline of a group fitted as a circle, an ellipse or a rectangle (RANSAC circle,
//!   then robust Levenberg-Marquardt for each shape) and the best shape chosen;
//! - `outline.rs`: along the fitted outline, the share of the ring present, the ring's thickness and
//!   edge sharpness, and whether the ring is thicker along one direction on both sides than across
//!   it, as two strikes a few pixels apart make it (double strike);
//! - `impressions.rs` ([`find_impressions`]): the above for a page, fragments of one seal merged;
//! - `ring_strip.rs` ([`ring_strip`]): a round seal's name band unrolled into a straight strip for a
//!   text recogniser (a one-character look-alike is told by reading it), and where a place along
//!   the strip lies on the seal ([`strip_direction_deg`], [`on_name_band`]);
//! - `label_strip.rs` ([`label_strip`]): a seal's label (合同专用章) found on the registered seal and
//!   cut out upright from an impression, for the same;
//! - `polar.rs`, `ncc.rs`, `canvas.rs`, `template.rs` ([`SealTemplate`]): an impression unwrapped
//!   around its outline into a radius-normalised polar image and aligned with a registered seal over
//!   every rotation, then turned back onto a normalised canvas and compared window by window, only
//!   where the impression is visible;
//! - `star.rs`: a round or oval seal's central star found on the registered seal and the scale at
//!   which an impression's overlays it (a look-alike cut with a larger or smaller star);
//! - `elsewhere.rs`: the worst compared window against the worst of those that share no cell with
//!   it (a difference confined to one character);
//! - `lettering.rs`: how heavily an impression's lettering printed against that star, each over the
//!   registered seal's (a look-alike engraved in another typeface).
//!
//! The page must keep its colour: give an upright page normalised with
//! [`crate::page::PageConfig::suppress_red_ink`] off (or the photo itself; lighting is evened out here
//! too). Coordinates are page pixels with pixel `(x, y)` at `(x, y)` (its centre), angles are degrees
//! clockwise on screen (y points down).

mod canvas;
mod components;
mod config;
mod dilate;
mod elsewhere;
mod fit;
mod geometry;
mod grid;
mod impressions;
mod label_strip;
mod lettering;
mod ncc;
mod off_sheet;
mod outline;
mod paper;
mod polar;
mod ring_strip;
mod segment;
mod star;
mod strokes;
mod template;
#[cfg(test)]
pub(crate) mod testutil;

use serde::{Deserialize, Serialize};

pub use config::SealConfig;
pub use impressions::{find_impressions, impressions_on, segment_page};
pub use label_strip::{LABEL_HEIGHT, label_strip};
pub use ring_strip::{STRIP_HEIGHT, STRIP_WIDTH, on_name_band, ring_strip, strip_direction_deg};
pub use segment::{InkClass, InkLayers, segment_ink};
pub use template::{SealTemplate, TemplateMatch};

/// The colour of a seal's ink.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InkColour {
    Red,
    Blue,
    Purple,
}

/// A fitted seal outline (the outer edge of its ring or border), in page pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SealShape {
    Circle {
        centre: [f32; 2],
        radius: f32,
    },
    /// `semi_axes[0]` lies along `angle_deg` (clockwise from +x), and is the longer one.
    Ellipse {
        centre: [f32; 2],
        semi_axes: [f32; 2],
        angle_deg: f32,
    },
    /// Full side lengths; `size[0]` lies along `angle_deg` (clockwise from +x), and is the longer one.
    Rectangle {
        centre: [f32; 2],
        size: [f32; 2],
        angle_deg: f32,
    },
}

impl SealShape {
    /// The shape's centre.
    pub fn centre(&self) -> [f32; 2] {
        match *self {
            SealShape::Circle { centre, .. }
            | SealShape::Ellipse { centre, .. }
            | SealShape::Rectangle { centre, .. } => centre,
        }
    }

    /// Radius of the circle of the same area for round shapes, half the side of the square of the same
    /// area for rectangles: the scale an impression is normalised by.
    pub fn equivalent_radius(&self) -> f32 {
        match *self {
            SealShape::Circle { radius, .. } => radius,
            SealShape::Ellipse { semi_axes, .. } => (semi_axes[0] * semi_axes[1]).max(0.0).sqrt(),
            SealShape::Rectangle { size, .. } => (size[0] * size[1]).max(0.0).sqrt() / 2.0,
        }
    }

    /// Longer over shorter axis (1 for a circle or a square).
    pub fn aspect(&self) -> f32 {
        let (a, b) = match *self {
            SealShape::Circle { .. } => (1.0, 1.0),
            SealShape::Ellipse { semi_axes, .. } => (semi_axes[0], semi_axes[1]),
            SealShape::Rectangle { size, .. } => (size[0], size[1]),
        };
        let (hi, lo) = (a.max(b), a.min(b));
        if lo > 0.0 { hi / lo } else { f32::INFINITY }
    }

    /// True for circles and ellipses.
    pub fn is_round(&self) -> bool {
        !matches!(self, SealShape::Rectangle { .. })
    }

    /// Axis-aligned bounding box `[x0, y0, x1, y1]` (it may reach past the page for a cut impression).
    pub fn bbox(&self) -> [f32; 4] {
        let (c, hw, hh) = match *self {
            SealShape::Circle { centre, radius } => (centre, radius, radius),
            SealShape::Ellipse { centre, semi_axes: [a, b], angle_deg } => {
                let (s, co) = angle_deg.to_radians().sin_cos();
                (centre, (a * a * co * co + b * b * s * s).sqrt(), (a * a * s * s + b * b * co * co).sqrt())
            }
            SealShape::Rectangle { centre, size: [w, h], angle_deg } => {
                let (s, co) = angle_deg.to_radians().sin_cos();
                let (hx, hy) = (w / 2.0, h / 2.0);
                (centre, (hx * co).abs() + (hy * s).abs(), (hx * s).abs() + (hy * co).abs())
            }
        };
        [c[0] - hw, c[1] - hh, c[0] + hw, c[1] + hh]
    }
}

/// One seal impression found on a page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Impression {
    pub shape: SealShape,
    pub colour: InkColour,
    /// The fitted outline's bounding box `[x0, y0, x1, y1]`, page pixels.
    pub bbox: [f32; 4],
    /// Seal-coloured pixels inside the outline.
    pub ink_pixels: usize,
    /// Share of the outline (ring or border) with ink on it, 0..1, in angular bins around the centre.
    pub completeness: f32,
    /// Completeness below [`SealConfig::partial_coverage`]: cut by the page edge, lifted, half-inked.
    pub partial: bool,
    /// The ring is explained clearly better by two copies offset by a few pixels than by one.
    pub double_struck: bool,
    /// Blurred ring edges or a ring much thicker than seals have (smeared, over-inked).
    pub smudged: bool,
    /// The measures behind the flags, for calibration and for the reviewer.
    pub measures: OutlineMeasures,
}

impl Impression {
    /// Normalised radius of page point `p` in the impression's outline: 1 on it, below inside
    /// (for a rectangle, the larger of the two normalised coordinates); infinite for a degenerate
    /// outline.
    pub fn rho(&self, p: [f32; 2]) -> f64 {
        geometry::Frame::of(&self.shape).map_or(f64::INFINITY, |f| f.rho(f64::from(p[0]), f64::from(p[1])))
    }
}

/// What the outline of an impression measured (page pixels).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct OutlineMeasures {
    /// Offset between two strikes, estimated from the ring's thickness along and across one direction.
    pub double_offset_px: f32,
    /// Width of the ring's outer edge (peak ink over steepest rise).
    pub edge_width_px: f32,
    /// Thickness of the ring or border.
    pub ring_thickness_px: f32,
}
