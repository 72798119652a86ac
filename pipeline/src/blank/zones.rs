//! Where on the page a piece of ink lies, and how much it weighs towards "this page holds a
//! document": nothing in the margins, little in the two end bands where page numbers and letterheads
//! sit, fully in the body.
//!
//! The end bands run across the page's long axis (top and bottom of a portrait page; left and right
//! of a landscape one), so a blank page that could not be turned upright (it has no text to turn it
//! by) is zoned the same whichever way it lies.

/// The zone a piece of ink falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// Within the margin of any edge: ignored.
    Margin,
    /// In an end band (header or footer): weighed lightly. `far` tells the band at the far end of
    /// the long axis (the bottom of a portrait page) from the near one.
    Band { far: bool },
    /// The rest: weighed fully.
    Body,
}

/// The zones of a `width` x `height` grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zones {
    width: usize,
    height: usize,
    /// Margin depth, cells, on all four sides.
    margin: usize,
    /// End band depth, cells, from the ends of the long axis.
    band: usize,
}

impl Zones {
    /// Zones of a grid, with the margin a share of the short side and the bands a share of the long
    /// side (shares are clamped to `[0, 0.5]`).
    pub fn new(width: usize, height: usize, margin_share: f32, band_share: f32) -> Zones {
        let (short, long) = (width.min(height), width.max(height));
        let depth = |share: f32, side: usize| (share.clamp(0.0, 0.5) * side as f32).round() as usize;
        Zones { width, height, margin: depth(margin_share, short), band: depth(band_share, long) }
    }

    /// The zone of the point whose doubled coordinates are `centre_x2` (cells).
    pub fn of(&self, centre_x2: [usize; 2]) -> Zone {
        let [cx, cy] = centre_x2;
        let depth_x2 = |c: usize, side: usize| c.min(side.saturating_mul(2).saturating_sub(c));
        let (dx, dy) = (depth_x2(cx, self.width), depth_x2(cy, self.height));
        if dx.min(dy) < self.margin.saturating_mul(2) {
            return Zone::Margin;
        }
        let (along_long_axis, centre, long) =
            if self.width > self.height { (dx, cx, self.width) } else { (dy, cy, self.height) };
        if along_long_axis < self.band.saturating_mul(2) { Zone::Band { far: centre > long } } else { Zone::Body }
    }

    /// The extent of `bbox` (`[x0, y0, x1, y1]`, cells) along the page's long axis.
    pub fn along_long_axis(&self, bbox: [usize; 4]) -> (usize, usize) {
        let [x0, y0, x1, y1] = bbox;
        if self.width > self.height { (x0, x1) } else { (y0, y1) }
    }

    /// Cells of the body and of the two end bands (outside the margins).
    pub fn areas(&self) -> (usize, usize) {
        let inner_w = self.width.saturating_sub(self.margin.saturating_mul(2));
        let inner_h = self.height.saturating_sub(self.margin.saturating_mul(2));
        let inner = inner_w.saturating_mul(inner_h);
        let (across, along) = if self.width > self.height { (inner_h, inner_w) } else { (inner_w, inner_h) };
        let body_along = along.saturating_sub(self.band.saturating_sub(self.margin).saturating_mul(2));
        let body = across.saturating_mul(body_along);
        (body, inner.saturating_sub(body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portrait_and_landscape_pages_have_their_bands_on_the_long_axis() {
        let portrait = Zones::new(100, 140, 0.05, 0.12);
        assert_eq!(portrait.of([100, 140]), Zone::Body);
        assert_eq!(portrait.of([6, 140]), Zone::Margin);
        assert_eq!(portrait.of([100, 20]), Zone::Band { far: false });
        assert_eq!(portrait.of([100, 260]), Zone::Band { far: true });
        assert_eq!(portrait.of([194, 140]), Zone::Margin);
        let landscape = Zones::new(140, 100, 0.05, 0.12);
        assert_eq!(landscape.of([20, 100]), Zone::Band { far: false });
        assert_eq!(landscape.of([260, 100]), Zone::Band { far: true });
        assert_eq!(landscape.along_long_axis([1, 2, 3, 4]), (1, 3));
        assert_eq!(portrait.along_long_axis([1, 2, 3, 4]), (2, 4));
        assert_eq!(landscape.of([140, 20]), Zone::Body);
        let (body, bands) = portrait.areas();
        // Inner 90 x 130; bands end 17 cells from each end, 12 of them inside the margin.
        assert_eq!((body, bands), (90 * 106, 90 * 24));
    }

    #[test]
    fn degenerate_grids_and_shares() {
        let z = Zones::new(0, 0, 0.05, 0.12);
        assert_eq!(z.of([0, 0]), Zone::Body);
        assert_eq!(z.areas(), (0, 0));
        let all_margin = Zones::new(10, 10, 9.0, f32::NAN);
        assert_eq!(all_margin.of([4, 8]), Zone::Margin);
        assert_eq!(all_margin.areas(), (0, 0));
        assert_eq!(Zones::new(1, 1, 0.0, 0.0).of([usize::MAX, usize::MAX]), Zone::Body);
    }
}
