//! The blank-page score: weighted ink coverage (in [`BlankConfig::ink_unit`]s), raised by the OCR
//! characters beyond what a blank page may carry. Below [`BlankConfig::blank_below`] the page is
//! blank.
//!
//! The OCR count multiplies, it does not add: characters read where the pixels found no print
//! (PP-OCR reads mirrored show-through, up to 159 characters on one calibration page) cannot make a
//! blank page a document, while many characters over a little print confirm it.

use super::config::BlankConfig;
use super::tally::Tally;

/// The parts of a score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    pub score: f32,
    /// Kept ink cells over the cells outside the margins.
    pub ink_share: f32,
    /// Kept ink cells over the cells outside the margins, end bands weighed by `band_weight`.
    pub weighted_ink: f32,
    /// The factor the OCR count raised the ink's part by, at least 1.
    pub text_boost: f32,
}

/// Score a page from its tally, its zone areas (body cells, end-band cells) and the OCR count.
pub fn score(t: &Tally, areas: (usize, usize), text_chars: usize, cfg: &BlankConfig) -> Score {
    let (body_area, band_area) = (areas.0 as f64, areas.1 as f64);
    let (body, band) = (t.body as f64, t.band as f64);
    let w = f64::from(cfg.band_weight);
    let share = |ink: f64, area: f64| if area > 0.0 { (ink / area) as f32 } else { 0.0 };
    let ink_share = share(body + band, body_area + band_area);
    let weighted_ink = share(body + w * band, body_area + w * band_area);
    let excess = text_chars.saturating_sub(cfg.text_allowance) as f32;
    let text_boost = 1.0 + (excess / cfg.chars_unit).min(cfg.max_text_boost);
    let score = weighted_ink / cfg.ink_unit * text_boost;
    Score { score: if score.is_finite() { score } else { f32::MAX }, ink_share, weighted_ink, text_boost }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ink_in_the_body_outweighs_ink_in_the_bands_and_text_raises_it_beyond_the_allowance() {
        let cfg = BlankConfig {
            band_weight: 0.1,
            ink_unit: 0.01,
            text_allowance: 10,
            chars_unit: 50.0,
            max_text_boost: 1.0,
            ..Default::default()
        };
        let body = Tally { body: 100, ..Default::default() };
        let band = Tally { band: 100, ..Default::default() };
        let areas = (9_000, 1_000);
        let in_body = score(&body, areas, 0, &cfg);
        let in_band = score(&band, areas, 0, &cfg);
        assert!((in_body.ink_share - 0.01).abs() < 1e-6 && (in_band.ink_share - 0.01).abs() < 1e-6);
        assert!((in_body.weighted_ink - 100.0 / 9_100.0).abs() < 1e-6);
        assert!((in_band.weighted_ink - 10.0 / 9_100.0).abs() < 1e-6);
        assert!(in_body.score > 9.0 * in_band.score);
        assert_eq!(score(&body, areas, 10, &cfg).text_boost, 1.0);
        assert_eq!(score(&body, areas, 35, &cfg).text_boost, 1.5);
        let many = score(&body, areas, usize::MAX, &cfg);
        assert!(many.text_boost == 2.0 && (many.score - 2.0 * in_body.score).abs() < 1e-4);
        // Characters alone, without ink: still nothing.
        assert_eq!(score(&Tally::default(), areas, 1_000, &cfg).score, 0.0);
        assert_eq!(score(&Tally::default(), (0, 0), 0, &cfg).score, 0.0);
    }
}
