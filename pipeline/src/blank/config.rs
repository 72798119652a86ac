//! Settings of the blank-page check, each with what it was calibrated on.
//!
//! Calibration: `BLANK_CACHE=/tmp/blankcal cargo test -p sealgate-pipeline --lib
//! blank::tests::calibration -- --ignored --nocapture`. Pages from
//! `sealgate_datasets::documents::blank`: 25 of each of the 12 `BlankKind`s and 120 of each of the 3
//! `LittleTextKind`s (seeds 1000..), photographed through `capture.rs` at all four rotations under
//! random light, shadow, blur, noise and JPEG quality, normalised by [`crate::page::flatten_page`]
//! with `suppress_red_ink: false`; 4 photos where no sheet was found were left out. Held out:
//! seeds 2000.. (25 per blank kind, 60 per little-text kind; `BLANK_SEED0=2000`).
//!
//! The OCR count in the calibration is a proxy, not an engine's: the page's printed characters plus
//! every character of its seals, as if an engine read all of them. It reached 32 on blank pages (two
//! seals and a page number). Checked with PP-OCR on 25 pages of each kind
//! (`blank::tests::with_real_ocr_counts`, red ink faded as the page reader does): blank pages read
//! 0-22 characters, except show-through, where PP-OCR read the mirrored back up to 159 characters;
//! hence the OCR count raises print evidence and never stands in for it (see `score.rs`).
//!
//! Results with these settings (score min / max):
//!
//! | pages | blank kinds | signature | paragraph | table |
//! |---|---|---|---|---|
//! | calibration | 0.000 / 0.000 (all 12 kinds) | 0.000 / 17.1 | 0.577 / 69.4 | 13.5 / 44.5 |
//! | held out | 0.000 / 0.143 (sensor_noise; 0 for the other 11) | 0.000 / 14.5 | 3.01 / 64.9 | 12.3 / 47.0 |
//!
//! Every blank page is blank. Two signature pages (1 of 360, 1 of 180: 0.37%) are called blank:
//! their whole two-line signature block sits in the top band, where it cannot be told from a
//! two-line letterhead; flagging them costs a look. Apart from those, the lowest little-text page
//! (0.577: three lines at the top of a blurred photo) is 4.0 times the highest blank page (0.143:
//! pieces of the sheet's edge where the sheet was found too large); [`BlankConfig::blank_below`] sits
//! between them, 2.1 times above the one and 1.9 times below the other.

use serde::{Deserialize, Serialize};

/// Blank-page check settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BlankConfig {
    /// How far, in page pixels, paper is looked for on both sides of a stroke: wider than the widest
    /// stroke of a bold title (about 8 px at 150 dpi), narrower than a punch hole (30-40 px) or the
    /// corner of a cast shadow, which then are not strokes. At 16 px shadows' corners and punch holes
    /// scored up to 14.5 on blank pages.
    pub valley_radius_px: usize,
    /// Least darkness below the local paper level for print, grey levels. Show-through on the
    /// calibration pages is at most 29 levels before the photo blurs it.
    pub print_contrast: u8,
    /// The same as a share of the local paper level, so that print in a shadow still counts and
    /// noise on a dark area does not.
    pub print_relative_contrast: f32,
    /// Least darkness below the local paper level for faint ink: the blurred edges and thin strokes
    /// of print, which join the print they belong to. Faint ink without print in it (show-through,
    /// noise) does not count. With print taken down to 40 levels instead, specks and show-through
    /// scored up to 1.6 and 0.9.
    pub faint_contrast: u8,
    pub faint_relative_contrast: f32,
    /// A component needs this many page pixels of print-deep ink to count.
    pub min_print_px: usize,
    /// A component at least this long (page pixels)...
    pub rule_min_length_px: usize,
    /// ...and on average no thicker than this (page pixels) is a rule, not text: a letterhead's rule,
    /// a fill-in line, the sheet's edge where the sheet was not found exactly.
    pub rule_max_thickness_px: usize,
    /// A pixel has a seal's colour when `max(R, B) - G` reaches this. Seal strokes on the calibration
    /// pages reach 60-150; paper tones (yellowish, recycled) stay under 20.
    pub seal_chroma: u8,
    /// Ink within this many page pixels of a seal-coloured pixel is the seal's own (JPEG colour
    /// fringes) unless its level is at most [`BlankConfig::dark_under_seal`].
    pub seal_halo_px: usize,
    /// Ink level (brightest channel) at or below which ink near a seal is print under the seal.
    /// Seal-only pages stay at 0 from 110 to 210 (seal-coloured cells themselves are always
    /// cleared: without that, where a red seal crosses a blue one scored 0.23; without any clearing,
    /// seal-only pages scored up to 2.9).
    pub dark_under_seal: u8,
    /// Ink closer than this, in page pixels, joins one component: the strokes of a character are
    /// 2-6 px apart at 150 dpi, specks scattered over a page rarely are.
    pub join_px: usize,
    /// Ink components smaller than this, in page pixels, are specks (dust, toner, paper flecks,
    /// noise) and ignored. Calibration specks are up to 3 x 3 px before the photo's blur; at 48 px,
    /// clusters of them scored up to 1.9; 96 to 240 px all clear them.
    pub min_component_px: usize,
    /// Margin ignored on every side, as a share of the page's short side (punch holes sit 10-14 mm in,
    /// 5-7% of an A4 width, and are blots rather than strokes anyway). At 0.05, pieces of a sheet's
    /// edge 58-66 px in scored 0.13.
    pub margin_share: f32,
    /// Depth of the two end bands (page number, letterhead) as a share of the long side: generated
    /// letterheads end 11% down the page.
    pub band_share: f32,
    /// Weight of ink in an end band that holds no more than a header or footer, relative to the
    /// body. Letterheads scored up to 0.7 at 0.05 and 0.14 at 0.01; a large black logo would score
    /// more, so they weigh nothing.
    pub band_weight: f32,
    /// The most a band's ink may span along the long axis (page pixels) and still be a header or
    /// footer: a letterhead of two lines. A band holding more (a signature block or a paragraph at
    /// the top of the page) counts as body.
    pub band_max_extent_px: usize,
    /// Weighted ink share (ink cells over the weighted area) that scores 1: about 15 characters of body
    /// text (two `日期：年 月 日`, 12 characters, scored 0.8).
    pub ink_unit: f32,
    /// Characters the OCR may read on a blank page before they raise the score: blank pages read at
    /// most 32 by the proxy and 22 by PP-OCR (show-through aside).
    pub text_allowance: usize,
    /// Characters beyond the allowance that double the score.
    pub chars_unit: f32,
    /// The most the OCR count may add to the score's factor (1: at most double it).
    pub max_text_boost: f32,
    /// A page whose score is below this is blank: the ink of four or five characters of body text.
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
            chars_unit: 300.0,
            max_text_boost: 1.0,
            blank_below: 0.3,
            max_pixels: 40_000_000,
        }
    }
}

impl BlankConfig {
    /// Check that every setting is usable.
    pub fn validate(&self) -> Result<(), String> {
        // Bounded so that no setting makes the check slow: the work per ink cell grows with these.
        if !(1..=32).contains(&self.valley_radius_px) || self.seal_halo_px > 16 || self.join_px > 16 {
            return Err("blank.valley_radius_px must be within [1, 32], seal_halo_px and join_px at most 16".into());
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
        if !(0.0..=10.0).contains(&self.max_text_boost) {
            return Err("blank.max_text_boost must be within [0, 10]".into());
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
