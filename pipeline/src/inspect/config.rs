//! Post-stamp inspection settings; the shipped values are in `config/sealgate.toml` with what they
//! were measured on.

use serde::Deserialize;

use crate::blank::BlankConfig;
use crate::seal::{SealConfig, SealShape};

/// Settings of [`super::check_photo`] and [`super::report()`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InspectConfig {
    pub blank: BlankConfig,
    pub seal: SealConfig,
    /// Template similarity (the worst window's correlation) below which a whole impression is not
    /// confirmed as the granted seal: it goes to review. Not evidence of another seal on its own:
    /// pale or unevenly inked impressions of the right seal score low too.
    pub min_seal_similarity: f32,
    /// [`min_seal_similarity`](Self::min_seal_similarity) for square (rectangular) impressions:
    /// a personal seal's two to four large characters and thick border fit less closely, and a
    /// changed character is a quarter of it, not one small window of many.
    pub min_seal_similarity_square: f32,
    /// Share of a window's impression strokes with no stroke of the template near them above which
    /// the impression is a wrong seal: a stamp cannot print where its engraving has nothing.
    pub max_extra_strokes: f32,
    /// Median window correlation below which a whole impression is another seal: most of it
    /// differs (another typeface, label or layout), which pale or uneven ink of the right seal,
    /// confined to a few windows, does not do.
    pub min_typical_similarity: f32,
    /// Relative change of the central star's size (each normalised by its outline; either way, in
    /// ratio) beyond which a whole impression is another seal (see `seal/star.rs`).
    pub max_star_change: f32,
    /// Least correlation of the impression's star with the template's, at the best scale, for its
    /// size to be judged.
    pub min_star_match: f32,
    /// How much heavier than the template's, against its star, an impression's lettering may print
    /// (see `seal/lettering.rs`) before it is another typeface, when its median window also
    /// correlates below [`heavy_lettering_max_typical`](Self::heavy_lettering_max_typical).
    pub max_lettering_weight: f32,
    /// Median window correlation from which heavier lettering is the right seal over-inked: its
    /// characters still fit as closely as a right seal's usually do.
    pub heavy_lettering_max_typical: f32,
    /// A round or oval impression not confirmed (its worst window below
    /// [`min_seal_similarity`](Self::min_seal_similarity)) is another seal when every window that
    /// shares no cell with its worst one correlates at least this well and the worst one falls at
    /// least [`min_confined_drop`](Self::min_confined_drop) below them: the difference is confined to
    /// one character, where what spoils the right seal's impression spreads (see `seal/elsewhere.rs`).
    pub min_similarity_elsewhere: f32,
    pub min_confined_drop: f32,
    /// Share of the template visible in an impression below which a difference could hide in the
    /// missing part: such an impression goes to review, never to `wrong_seal` or `ok`.
    pub min_visible_share: f32,
    /// Confidence from which a character of the seal's name read differently on an impression (and
    /// its counterpart on the template) sends a seal that would pass to review (see
    /// [`super::seal_name`]).
    pub min_name_confidence: f32,
    /// Confidence from which a character of the seal's name read differently, on a name otherwise
    /// read exactly as the template's (none added, dropped or doubted), makes the impression another
    /// seal (`wrong_seal`) rather than one to review.
    pub min_name_wrong_confidence: f32,
    /// A round impression not confirmed whose name reads a character differently with at least
    /// this confidence (on the impression; doubted ones included), within
    /// [`max_name_offset_deg`](Self::max_name_offset_deg) of the direction of its worst window, and
    /// whose every window apart from the worst correlates at least
    /// [`min_similarity_elsewhere_named`](Self::min_similarity_elsewhere_named), is another seal:
    /// the text and the shapes both say that one character differs, and at the same place (see
    /// [`super::name_at_worst`]).
    pub min_name_confidence_at_worst: f32,
    pub max_name_offset_deg: f32,
    pub min_similarity_elsewhere_named: f32,
    /// A round or oval impression not confirmed, with at least
    /// [`min_similarity_elsewhere_named`](Self::min_similarity_elsewhere_named) elsewhere, whose label
    /// reads in place of a character of the granted purpose another purpose's character there (务 for
    /// 合同's 同) with at least this confidence, within
    /// [`max_label_offset`](Self::max_label_offset) (share of the label's width) of its worst
    /// window's place across the label, is another seal (see [`super::label_at_worst`]).
    pub min_label_confidence_at_worst: f32,
    pub max_label_offset: f32,
    /// Times each approved page may be photographed (stamped) in one session.
    pub allowed_per_page: usize,
    /// A photo of a stamped page with no impression found asks for review.
    pub flag_no_impression: bool,
}

impl Default for InspectConfig {
    fn default() -> Self {
        InspectConfig {
            blank: BlankConfig::default(),
            seal: SealConfig::default(),
            min_seal_similarity: 0.89,
            min_seal_similarity_square: 0.75,
            max_extra_strokes: 0.4,
            min_typical_similarity: 0.85,
            max_star_change: 0.14,
            min_star_match: 0.8,
            max_lettering_weight: 1.25,
            heavy_lettering_max_typical: 0.96,
            min_similarity_elsewhere: 0.93,
            min_confined_drop: 0.1,
            min_visible_share: 0.8,
            min_name_confidence: 0.99,
            min_name_wrong_confidence: 0.997,
            min_name_confidence_at_worst: 0.9,
            max_name_offset_deg: 12.0,
            min_similarity_elsewhere_named: 0.85,
            min_label_confidence_at_worst: 0.8,
            max_label_offset: 0.25,
            allowed_per_page: 1,
            flag_no_impression: true,
        }
    }
}

impl InspectConfig {
    /// The template similarity below which an impression of this outline is not confirmed.
    pub fn min_similarity_for(&self, shape: &SealShape) -> f32 {
        match shape {
            SealShape::Rectangle { .. } => self.min_seal_similarity_square,
            SealShape::Circle { .. } | SealShape::Ellipse { .. } => self.min_seal_similarity,
        }
    }

    pub fn validate(&self) -> Result<(), String> {
        for (name, v) in [
            ("min_seal_similarity", self.min_seal_similarity),
            ("min_seal_similarity_square", self.min_seal_similarity_square),
            ("max_extra_strokes", self.max_extra_strokes),
            ("min_typical_similarity", self.min_typical_similarity),
            ("max_star_change", self.max_star_change),
            ("min_star_match", self.min_star_match),
            ("heavy_lettering_max_typical", self.heavy_lettering_max_typical),
            ("min_similarity_elsewhere", self.min_similarity_elsewhere),
            ("min_confined_drop", self.min_confined_drop),
            ("min_visible_share", self.min_visible_share),
            ("min_name_confidence", self.min_name_confidence),
            ("min_name_wrong_confidence", self.min_name_wrong_confidence),
            ("min_name_confidence_at_worst", self.min_name_confidence_at_worst),
            ("min_similarity_elsewhere_named", self.min_similarity_elsewhere_named),
            ("min_label_confidence_at_worst", self.min_label_confidence_at_worst),
            ("max_label_offset", self.max_label_offset),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(format!("inspect.{name} must be within [0, 1], not {v}"));
            }
        }
        if !(self.max_lettering_weight.is_finite() && self.max_lettering_weight >= 1.0) {
            return Err(format!("inspect.max_lettering_weight must be at least 1, not {}", self.max_lettering_weight));
        }
        if !(0.0..=180.0).contains(&self.max_name_offset_deg) {
            return Err(format!(
                "inspect.max_name_offset_deg must be within [0, 180], not {}",
                self.max_name_offset_deg
            ));
        }
        self.blank.validate()?;
        self.seal.validate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_validate_and_out_of_range_settings_do_not() {
        assert_eq!(InspectConfig::default().validate(), Ok(()));
        for weight in [0.9, f32::NAN, f32::INFINITY] {
            let cfg = InspectConfig { max_lettering_weight: weight, ..InspectConfig::default() };
            assert!(cfg.validate().is_err(), "{weight}");
        }
        let cfg = InspectConfig { heavy_lettering_max_typical: 1.5, ..InspectConfig::default() };
        assert!(cfg.validate().expect_err("out of range").contains("heavy_lettering_max_typical"));
        for offset in [-1.0, 181.0, f32::NAN] {
            let cfg = InspectConfig { max_name_offset_deg: offset, ..InspectConfig::default() };
            assert!(cfg.validate().expect_err("out of range").contains("max_name_offset_deg"), "{offset}");
        }
    }
}
