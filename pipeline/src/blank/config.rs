//! Settings of the blank-page check, each with what it was calibrated on.
//!
//! Calibration (`cargo test -p sealgate-pipeline --lib blank::calibration -- --ignored --nocapture`):
//! pages from `sealgate_datasets::documents::blank` (every `BlankKind` and `LittleTextKind`),
//! photographed through `capture.rs` at random rotations and conditions, normalised by
//! [`crate::page::flatten_page`] with `suppress_red_ink: false`. The OCR count was not measured with an
//! engine: the proxy is the page's printed characters plus every character of its seals, as if an
//! engine read all of them (the worst case for blank pages, which carry page numbers, letterheads and
//! seal text).

use serde::{Deserialize, Serialize};

/// Blank-page check settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BlankConfig {
    /// How far, in page pixels, paper is looked for on both sides of a stroke. Wider than the widest
    /// stroke of a bold title (about 8 px at 150 dpi), narrower than a punch hole (30-40 px): the
    /// holes and other blots are then not strokes.
    pub valley_radius_px: usize,
    /// Least darkness below the local paper level for print, grey levels: printed strokes reach it
    /// even in blurred photos, show-through on the calibration pages (28 levels before the photo)
    /// does not.
    pub print_contrast: u8,
    /// The same as a share of the local paper level, so that print in a shadow still counts and
    /// noise on a dark area does not.
    pub print_relative_contrast: f32,
    /// Least darkness below the local paper level for faint ink: the blurred edges and thin strokes
    /// of print, joined to the print they belong to. Faint ink alone (show-through, noise) does not
    /// count.
    pub faint_contrast: u8,
    pub faint_relative_contrast: f32,
    /// A component needs this many page pixels of print-deep ink to count.
    pub min_print_px: usize,
    /// A component at least this long (page pixels)...
    pub rule_min_length_px: usize,
    /// ...and on average no thicker than this (page pixels) is a rule, not text: a letterhead's rule,
    /// the sheet's edge or a shadow's rim where the sheet was not found exactly.
    pub rule_max_thickness_px: usize,
    /// A pixel has a seal's colour when `max(R, B) - G` reaches this. Seal inks exceed 100 at their
    /// core; yellowish paper stays under 15.
    pub seal_chroma: u8,
    /// Ink within this many page pixels of a seal-coloured pixel is the seal's own (JPEG colour
    /// fringes) unless it is darker than [`BlankConfig::dark_under_seal`].
    pub seal_halo_px: usize,
    /// Ink level (brightest channel) at or below which ink near a seal is print under the seal.
    pub dark_under_seal: u8,
    /// Ink closer than this, in page pixels, joins one component: the strokes of a character are
    /// 2-6 px apart at 150 dpi, specks scattered over a page rarely are.
    pub join_px: usize,
    /// Ink components smaller than this, in page pixels, are specks (dust, toner, paper flecks,
    /// noise) and ignored. The calibration specks reach 3 x 3 px before the photo's blur.
    pub min_component_px: usize,
    /// Margin ignored on every side, as a share of the page's short side (punch holes sit 10-14 mm in,
    /// 5-7% of an A4 width, and are not strokes anyway).
    pub margin_share: f32,
    /// Depth of the two end bands (page number, letterhead) as a share of the long side.
    pub band_share: f32,
    /// Weight of ink in the end bands relative to the body.
    pub band_weight: f32,
    /// The most a band's ink may span along the long axis (page pixels) and still be a header or
    /// footer: a letterhead of two lines. A band holding more (a signature block or a paragraph at
    /// the top of the page) counts as body.
    pub band_max_extent_px: usize,
    /// Weighted ink share (ink cells / weighted area) that adds 1 to the score.
    pub ink_unit: f32,
    /// Characters the OCR may read on a blank page before they count: a page number, a letterhead
    /// and a seal's text.
    pub text_allowance: usize,
    /// Characters beyond the allowance that add 1 to the score.
    pub chars_unit: f32,
    /// A page whose score is below this is blank.
    pub blank_below: f32,
    /// Pages with more pixels are refused (the upright page is 1240 x 1754).
    pub max_pixels: usize,
}

impl Default for BlankConfig {
    fn default() -> Self {
        BlankConfig {
            valley_radius_px: 8,
            print_contrast: 60,
            print_relative_contrast: 0.3,
            faint_contrast: 36,
            faint_relative_contrast: 0.15,
            min_print_px: 16,
            rule_min_length_px: 120,
            rule_max_thickness_px: 5,
            seal_chroma: 35,
            seal_halo_px: 6,
            dark_under_seal: 150,
            join_px: 6,
            min_component_px: 160,
            margin_share: 0.06,
            band_share: 0.12,
            band_weight: 0.0,
            band_max_extent_px: 120,
            ink_unit: 0.001,
            text_allowance: 60,
            chars_unit: 150.0,
            blank_below: 0.3,
            max_pixels: 40_000_000,
        }
    }
}

impl BlankConfig {
    /// Check that every setting is usable.
    pub fn validate(&self) -> Result<(), String> {
        if !(1..=64).contains(&self.valley_radius_px) || self.seal_halo_px > 64 || self.join_px > 64 {
            return Err("blank.valley_radius_px must be within [1, 64], seal_halo_px and join_px at most 64".into());
        }
        let share = |v: f32| (0.0..=1.0).contains(&v);
        if self.faint_contrast == 0 || !share(self.print_relative_contrast) || !share(self.faint_relative_contrast) {
            return Err("blank.faint_contrast must be positive and the relative contrasts within [0, 1]".into());
        }
        if self.faint_contrast > self.print_contrast || self.faint_relative_contrast > self.print_relative_contrast {
            return Err("blank.faint_contrast and faint_relative_contrast must not exceed the print ones".into());
        }
        if self.seal_chroma == 0 {
            return Err("blank.seal_chroma must be positive (0 would call every pixel seal ink)".into());
        }
        if !(0.0..0.5).contains(&self.margin_share) || !(0.0..0.5).contains(&self.band_share) {
            return Err("blank.margin_share and blank.band_share must be within [0, 0.5)".into());
        }
        if !(0.0..=1.0).contains(&self.band_weight) {
            return Err("blank.band_weight must be within [0, 1]".into());
        }
        let positive = |v: f32| v.is_finite() && v > 0.0;
        if !positive(self.ink_unit) || !positive(self.chars_unit) || !positive(self.blank_below) {
            return Err("blank.ink_unit, blank.chars_unit and blank.blank_below must be positive".into());
        }
        if self.max_pixels == 0 {
            return Err("blank.max_pixels must be positive".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_bad_values_are_named() {
        assert_eq!(BlankConfig::default().validate(), Ok(()));
        let bad = [
            BlankConfig { valley_radius_px: 0, ..Default::default() },
            BlankConfig { print_relative_contrast: f32::NAN, ..Default::default() },
            BlankConfig { faint_contrast: 61, ..Default::default() },
            BlankConfig { seal_chroma: 0, ..Default::default() },
            BlankConfig { margin_share: 0.5, ..Default::default() },
            BlankConfig { band_weight: 2.0, ..Default::default() },
            BlankConfig { ink_unit: 0.0, ..Default::default() },
            BlankConfig { blank_below: f32::INFINITY, ..Default::default() },
            BlankConfig { max_pixels: 0, ..Default::default() },
        ];
        for cfg in bad {
            let why = cfg.validate().expect_err("invalid");
            assert!(why.starts_with("blank."), "{why}");
        }
    }

    #[test]
    fn partial_settings_fill_from_defaults_and_unknown_ones_are_refused() {
        let cfg: BlankConfig = serde_json::from_str(r#"{"blank_below": 2.5}"#).expect("partial");
        assert_eq!(cfg, BlankConfig { blank_below: 2.5, ..Default::default() });
        assert!(serde_json::from_str::<BlankConfig>(r#"{"blank_bellow": 2.5}"#).is_err());
    }
}
