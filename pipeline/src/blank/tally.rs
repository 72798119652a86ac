//! Sort the ink components of a page: specks (noise, dust, paper flecks), faint marks with no print
//! in them (show-through), rules (long thin lines: a letterhead's rule, the sheet's edge, a shadow's
//! rim) and components in the margins are dropped; the rest are summed per zone. An end band counts
//! as a header or footer only while its ink spans no more than a letterhead would (two lines); more
//! is text that happens to start high or end low on the page, and counts as body.

use super::components::Component;
use super::zones::{Zone, Zones};

/// What a component must be to count, in cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keep {
    /// Least area.
    pub min_area: usize,
    /// Least number of print-deep cells.
    pub min_strong: usize,
    /// A component at least this long...
    pub rule_min_length: usize,
    /// ...whose area is at most this many cells per cell of its length is a rule.
    pub rule_max_thickness: usize,
    /// The most a band's ink may span along the page's long axis and still be a header or footer.
    pub band_max_extent: usize,
}

/// Ink cells per zone, and what was dropped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Cells of the kept components in the body.
    pub body: usize,
    /// Cells of the kept components in the end bands (page numbers, letterheads).
    pub band: usize,
    /// Components kept (body and bands).
    pub kept: usize,
    /// Components too small to be print.
    pub specks: usize,
    /// Components with too little print-deep ink: show-through, noise.
    pub faint: usize,
    /// Long thin lines.
    pub rules: usize,
    /// Components in the margins (punch-hole rims, the sheet's edge, marginal notes).
    pub in_margin: usize,
    /// End bands whose ink spans more than a header and was counted as body.
    pub bands_as_body: usize,
}

/// The kept ink of one end band.
#[derive(Debug, Clone, Copy, Default)]
struct Band {
    area: usize,
    /// Extent along the long axis; `start > end` while empty.
    start: usize,
    end: usize,
}

impl Band {
    const EMPTY: Band = Band { area: 0, start: usize::MAX, end: 0 };

    fn add(&mut self, area: usize, (start, end): (usize, usize)) {
        self.area += area;
        self.start = self.start.min(start);
        self.end = self.end.max(end);
    }

    fn extent(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
}

/// Tally `components` against `keep` and `zones`.
pub fn tally(components: &[Component], zones: &Zones, keep: &Keep) -> Tally {
    let mut t = Tally::default();
    let mut bands = [Band::EMPTY; 2];
    for c in components {
        if c.area < keep.min_area {
            t.specks += 1;
        } else if c.strong < keep.min_strong {
            t.faint += 1;
        } else if is_rule(c, keep) {
            t.rules += 1;
        } else {
            match zones.of(c.centre_x2()) {
                Zone::Margin => t.in_margin += 1,
                Zone::Band { far } => {
                    if let Some(band) = bands.get_mut(usize::from(far)) {
                        band.add(c.area, zones.along_long_axis(c.bbox));
                    }
                    t.kept += 1;
                }
                Zone::Body => {
                    t.body += c.area;
                    t.kept += 1;
                }
            }
        }
    }
    for band in bands {
        if band.extent() > keep.band_max_extent {
            t.body += band.area;
            t.bands_as_body += 1;
        } else {
            t.band += band.area;
        }
    }
    t
}

/// A long line no thicker on average than `rule_max_thickness`.
fn is_rule(c: &Component, keep: &Keep) -> bool {
    let [x0, y0, x1, y1] = c.bbox;
    let length = (x1 - x0).max(y1 - y0);
    length >= keep.rule_min_length && c.area <= length.saturating_mul(keep.rule_max_thickness)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEEP: Keep =
        Keep { min_area: 10, min_strong: 3, rule_min_length: 40, rule_max_thickness: 2, band_max_extent: 10 };

    fn at(x: usize, y: usize, area: usize) -> Component {
        Component { area, strong: area, bbox: [x, y, x + 4, y + 4] }
    }

    #[test]
    fn specks_faint_marks_rules_margins_bands_and_body() {
        let zones = Zones::new(100, 140, 0.05, 0.12);
        let faint = Component { strong: 2, ..at(50, 60, 30) };
        let rule = Component { area: 70, strong: 70, bbox: [20, 60, 80, 62] };
        let thick_line = Component { area: 300, strong: 300, bbox: [20, 80, 80, 90] };
        let comps =
            [at(50, 70, 30), at(50, 70, 2), at(1, 70, 40), at(50, 5, 25), at(50, 128, 25), faint, rule, thick_line];
        let t = tally(&comps, &zones, &KEEP);
        let want =
            Tally { body: 330, band: 50, kept: 4, specks: 1, faint: 1, rules: 1, in_margin: 1, bands_as_body: 0 };
        assert_eq!(t, want);
        assert_eq!(tally(&[], &zones, &KEEP), Tally::default());
    }

    #[test]
    fn a_band_holding_more_than_a_header_counts_as_body() {
        let zones = Zones::new(100, 140, 0.05, 0.12);
        // Three "lines" from row 5 to row 17 in the top band: 12 rows, more than 10.
        let lines = [at(30, 5, 16), at(30, 9, 16), at(30, 13, 16)];
        let t = tally(&lines, &zones, &KEEP);
        assert_eq!((t.body, t.band, t.bands_as_body), (48, 0, 1));
        // Two of them span 8 rows: a letterhead.
        let t = tally(&lines[..2], &zones, &KEEP);
        assert_eq!((t.body, t.band, t.bands_as_body), (0, 32, 0));
        // One line in each band: a header and a footer.
        let t = tally(&[at(30, 6, 16), at(30, 126, 16)], &zones, &KEEP);
        assert_eq!((t.body, t.band, t.bands_as_body), (0, 32, 0));
    }
}
