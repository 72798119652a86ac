//! Seal impression settings: every threshold with the data it was measured on.
//!
//! Sizes are shares of the page's short side (an A4 page at 150 dpi is 1240 px across, so 0.01 is
//! about 2.1 mm) or of the fitted seal radius, so one setting holds at any resolution. The colour
//! thresholds are on pixels divided by the local paper colour (paper = 255 in every channel). Unless
//! stated otherwise they were set on pages of `sealgate_datasets::documents` (rendered A4 pages at 150
//! dpi and a 1500x2000 upscale, seals of 300-380 px with rings of 8-12 px and ink opacity 0.55-0.85)
//! in this module's tests, with the margins those tests print.

use serde::Deserialize;

/// Settings of [`super::find_impressions`] and [`super::SealTemplate`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SealConfig {
    /// Largest image accepted (width x height); larger ones are refused before any buffer is made.
    pub max_pixels: usize,
    /// Side of the blocks whose brightest pixel estimates the paper colour, share of the short side
    /// (0.025: 31 px at 1240, larger than a character's inner gaps, smaller than a shadow's edge).
    pub paper_block_rel: f32,
    /// Least absorption of the darkest channel (255 minus it, paper-normalised) for a pixel to be
    /// ink at all. 28: paper noise on the test photos stays under 15.
    pub ink_min: u8,
    /// Least chroma (largest minus smallest channel, paper-normalised) of seal ink. 22 keeps red ink at
    /// opacity 0.15 (a pale, thin stroke) and drops JPEG colour fringes around black text (under 15).
    pub chroma_min: u8,
    /// Least chroma over absorption of seal ink: red ink over white gives about 0.8, red ink over
    /// black text 0.06, anti-aliased grey text under a seal 0.28. 0.4 separates them.
    pub chroma_ratio: f32,
    /// The same for blue and purple ink, whose pigments absorb every channel more than red ink
    /// does: a blue seal (58, 75, 150) at opacity 0.6 gives 0.48 over white, 0.25-0.35 in a dim
    /// photo, so that at 0.4 most of its strokes were dark text (held-out set: half the blue and
    /// purple impressions of the right seal went to review, a fifth of the red). Black and grey
    /// text under a cold light is evened out by the paper estimate to under 0.15.
    pub chroma_ratio_cool: f32,
    /// Paper-normalised luma under which a pixel that is not seal ink is dark text (black or grey
    /// print, a seal's ink over text). Such pixels hide the seal beneath them.
    pub dark_max_luma: u8,
    /// Cell side for grouping ink, share of the short side (0.0025: 3-4 px on a page of 1240-1500).
    pub cell_rel: f32,
    /// Gaps closed between ink of one seal (text crossing the ring, ink texture), share of the short
    /// side. 0.006 (7-9 px) bridges a text stroke; characters and star are merged by the outline.
    pub link_gap_rel: f32,
    /// Smallest seal diameter, share of the short side. 0.07 (about 15 mm on A4): personal name seals
    /// are 15-20 mm, company seals 38-45 mm; a pen tick is 5-10 mm.
    pub min_diameter_rel: f32,
    /// Largest seal diameter, share of the short side (0.6: about 126 mm on A4).
    pub max_diameter_rel: f32,
    /// Largest long-over-short axis of an outline (oval seals are 1.3-1.6, rectangles up to 2).
    pub max_aspect: f32,
    /// Least axis ratio for an ellipse to be preferred to a circle (round seals photographed at a
    /// small tilt stay under 1.04 after the page is flattened).
    pub ellipse_min_aspect: f32,
    /// Least share of the outline bins with ink for a group to be a seal impression at all (a pen
    /// tick or a signature covers under 0.3 of any outline through it).
    pub min_coverage: f32,
    /// Least share of the outline's boundary points within tolerance of the fitted shape.
    pub min_inlier_share: f32,
    /// Outline coverage under which an impression is `partial`. Whole generated seals measure 1.0,
    /// with black text crossing them too; a seal cut in half or half lifted 0.5-0.55.
    pub partial_coverage: f32,
    /// Least offset between two strikes for `double_struck`, pixels; the larger of this and
    /// `double_min_offset_rel` times the radius applies. The offset is estimated from how much
    /// thicker the ring is along one direction (on both sides) than across it: single generated strikes
    /// measure 0-1.25 px, a strike repeated 5.8 px away 6.25 (drawn rings 6 px apart: 5-7.5).
    pub double_min_offset_px: f32,
    /// See `double_min_offset_px`: the same as a share of the seal radius.
    pub double_min_offset_rel: f32,
    /// Ring edge width over which an impression is `smudged`, pixels: the ring's peak ink strength over
    /// the steepest rise of its outer edge (a sharp edge rises within a pixel or two, a smeared one over
    /// many); the larger of this and `smudge_edge_rel` times the radius applies. Sharp generated seals
    /// measure 1.5-2.9 px, double strikes 3.5, a seal blurred by a 7-px box twice 4.9.
    pub smudge_edge_px: f32,
    /// See `smudge_edge_px`: the same as a share of the seal radius.
    pub smudge_edge_rel: f32,
    /// Ring thickness over radius above which a round or oval impression is `smudged` (engraved rings
    /// are 0.04-0.09 of the radius; photographed clean impressions of the inspect set, seed 7: at most
    /// 0.10).
    pub smudge_ring_rel: f32,
    /// The same for rectangles, over half the side of the square of the same area: personal seals
    /// have thick borders, 0.12-0.21 on the photographed clean impressions of the inspect set (seed
    /// 7, 86 impressions), so the round seals' 0.13 flagged nearly all of them.
    pub smudge_ring_rel_square: f32,
    /// Largest relative change of the outline's aspect between a template and an impression before
    /// they are different seals whatever their content (round versus oval).
    pub template_max_aspect_change: f32,
}

impl Default for SealConfig {
    fn default() -> Self {
        SealConfig {
            max_pixels: 40_000_000,
            paper_block_rel: 0.025,
            ink_min: 28,
            chroma_min: 22,
            chroma_ratio: 0.4,
            chroma_ratio_cool: 0.3,
            dark_max_luma: 150,
            cell_rel: 0.0025,
            link_gap_rel: 0.006,
            min_diameter_rel: 0.07,
            max_diameter_rel: 0.6,
            max_aspect: 2.2,
            ellipse_min_aspect: 1.06,
            min_coverage: 0.4,
            min_inlier_share: 0.35,
            partial_coverage: 0.9,
            double_min_offset_px: 3.0,
            double_min_offset_rel: 0.015,
            smudge_edge_px: 4.0,
            smudge_edge_rel: 0.02,
            smudge_ring_rel: 0.13,
            smudge_ring_rel_square: 0.28,
            template_max_aspect_change: 0.15,
        }
    }
}

impl SealConfig {
    /// Check every value is usable; the message names the first that is not.
    pub fn validate(&self) -> Result<(), String> {
        let unit = |name: &str, v: f32, lo: f32, hi: f32| -> Result<(), String> {
            if v.is_finite() && v >= lo && v <= hi {
                Ok(())
            } else {
                Err(format!("seal.{name} = {v} is outside {lo}..={hi}"))
            }
        };
        if self.max_pixels == 0 {
            return Err("seal.max_pixels must be positive".into());
        }
        unit("paper_block_rel", self.paper_block_rel, 0.001, 0.5)?;
        if self.ink_min == 0 {
            return Err("seal.ink_min must be positive".into());
        }
        if self.chroma_min == 0 {
            return Err("seal.chroma_min must be positive".into());
        }
        unit("chroma_ratio", self.chroma_ratio, 0.05, 1.0)?;
        unit("chroma_ratio_cool", self.chroma_ratio_cool, 0.05, 1.0)?;
        unit("cell_rel", self.cell_rel, 0.0005, 0.05)?;
        unit("link_gap_rel", self.link_gap_rel, 0.0, 0.1)?;
        unit("min_diameter_rel", self.min_diameter_rel, 0.005, 1.0)?;
        unit("max_diameter_rel", self.max_diameter_rel, 0.01, 4.0)?;
        if self.min_diameter_rel >= self.max_diameter_rel {
            return Err("seal.min_diameter_rel must be below seal.max_diameter_rel".into());
        }
        unit("max_aspect", self.max_aspect, 1.0, 10.0)?;
        unit("ellipse_min_aspect", self.ellipse_min_aspect, 1.0, 10.0)?;
        unit("min_coverage", self.min_coverage, 0.05, 1.0)?;
        unit("min_inlier_share", self.min_inlier_share, 0.0, 1.0)?;
        unit("partial_coverage", self.partial_coverage, 0.0, 1.0)?;
        unit("double_min_offset_rel", self.double_min_offset_rel, 0.0, 0.5)?;
        unit("double_min_offset_px", self.double_min_offset_px, 0.0, 1000.0)?;
        unit("smudge_edge_px", self.smudge_edge_px, 0.0, 1000.0)?;
        unit("smudge_edge_rel", self.smudge_edge_rel, 0.0, 1.0)?;
        unit("smudge_ring_rel", self.smudge_ring_rel, 0.0, 1.0)?;
        unit("smudge_ring_rel_square", self.smudge_ring_rel_square, 0.0, 1.0)?;
        unit("template_max_aspect_change", self.template_max_aspect_change, 0.0, 10.0)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_bad_values_are_named() {
        assert_eq!(SealConfig::default().validate(), Ok(()));
        let bad = SealConfig { chroma_ratio: f32::NAN, ..SealConfig::default() };
        assert!(bad.validate().is_err_and(|e| e.contains("chroma_ratio")));
        let bad = SealConfig { min_diameter_rel: 0.7, ..SealConfig::default() };
        assert!(bad.validate().is_err_and(|e| e.contains("min_diameter_rel")));
        let bad = SealConfig { max_pixels: 0, ..SealConfig::default() };
        assert!(bad.validate().is_err());
    }

    #[test]
    fn unknown_fields_are_refused_and_missing_ones_default() {
        let cfg: SealConfig = serde_json::from_str(r#"{"min_coverage": 0.5}"#).expect("partial config");
        assert_eq!(cfg.min_coverage, 0.5);
        assert_eq!(cfg.chroma_min, SealConfig::default().chroma_min);
        assert!(serde_json::from_str::<SealConfig>(r#"{"min_coverag": 0.5}"#).is_err());
    }
}
