//! Two witnesses to one changed character: the name band read as text (see [`super::seal_name`])
//! and the window comparison with the template (see `seal/template.rs`) each point at a place on
//! the seal, and a one-character look-alike (医/区, 晨/晟) makes them point at the same one.
//!
//! Either alone is weak. The recogniser misreads worn ink and text crossing the seal, often
//! confidently; a low window comes from pale ink or a smudge as well as from a changed stroke, and
//! a changed dot (设/没) barely lowers one. But a misreading caused by such damage rarely falls
//! where the worst window is while every other window fits the template: pale ink and smudges
//! spread, and the right seal's confident misreadings lie anywhere on the band. So a round
//! impression is another seal when a character of its name reads differently in the direction of
//! its worst window (within [`InspectConfig::max_name_offset_deg`], about half a character of a
//! ten- to fourteen-character name), with that window on the name band and every window apart
//! from it correlating at least [`InspectConfig::min_similarity_elsewhere_named`], and the
//! character read
//! - with [`InspectConfig::min_name_confidence_at_worst`] or more (doubted ones included) when the
//!   impression is not confirmed (its worst window below [`InspectConfig::min_seal_similarity`]);
//! - surely (a differing character of [`NameCheck`], which sends a confirmed seal to review) when
//!   it is confirmed.
//!
//! Measured (`doc eval` over the right-seal, double-stamp and wrong-seal photos of both generated
//! sets, whole round impressions; see `config/sealgate.toml`): one-character look-alikes not
//! confirmed read 0.926-1.0 at 0.4-9.4 degrees from their worst window with 0.87-0.95 elsewhere,
//! right seals at most 0.83 within 12 degrees; confirmed look-alikes read surely 5-6 degrees from
//! it, and no right seal read 0.97 or more lies within 16 degrees of its worst window.

use super::InspectConfig;
use super::seal_name::{NameCheck, NameDifference};
use crate::seal::{SealShape, TemplateMatch, on_name_band, strip_direction_deg};

/// How far beyond the strip's rows a worst window's centre may lie and still be on the name band
/// (normalised radius: half a window, whose centre is a character's middle).
const BAND_MARGIN: f64 = 0.1;

/// A character read differently where the template comparison found its worst window.
#[derive(Debug, Clone, PartialEq)]
pub struct NameAtWorst<'a> {
    pub difference: &'a NameDifference,
    /// Degrees between the character's direction on the seal and the worst window's.
    pub offset_deg: f64,
}

/// The character of `name` read with the most confidence in the direction of `t`'s worst window,
/// when the impression of outline `shape` is round and otherwise fits the template (see the
/// module's documentation); `None` otherwise.
pub fn name_differs_at_worst<'a>(
    t: &TemplateMatch,
    name: &'a NameCheck,
    shape: &SealShape,
    cfg: &InspectConfig,
) -> Option<NameAtWorst<'a>> {
    if !matches!(shape, SealShape::Circle { .. }) || t.similarity_elsewhere < cfg.min_similarity_elsewhere_named {
        return None;
    }
    let [x, y] = t.worst_window?.map(f64::from);
    if !on_name_band([x, y], BAND_MARGIN) {
        return None;
    }
    let worst_deg = y.atan2(x).to_degrees();
    let confirmed = t.similarity >= cfg.min_similarity_for(shape);
    let doubted: &[NameDifference] = if confirmed { &[] } else { &name.doubted };
    name.differing
        .iter()
        .chain(doubted)
        .filter(|d| confirmed || d.confidence >= cfg.min_name_confidence_at_worst)
        .map(|d| {
            let apart = (strip_direction_deg(f64::from(d.at)) - worst_deg).rem_euclid(360.0);
            NameAtWorst { difference: d, offset_deg: apart.min(360.0 - apart) }
        })
        .filter(|w| w.offset_deg <= f64::from(cfg.max_name_offset_deg))
        .max_by(|a, b| a.difference.confidence.total_cmp(&b.difference.confidence))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seal::testutil::GRANTED_MATCH;

    const CIRCLE: SealShape = SealShape::Circle { centre: [100.0, 100.0], radius: 80.0 };

    /// Not confirmed (0.7 < 0.89), everything else fitting (0.9), worst at 12 o'clock on the band.
    fn unconfirmed() -> TemplateMatch {
        TemplateMatch { similarity: 0.7, similarity_elsewhere: 0.9, worst_window: Some([0.0, -0.75]), ..GRANTED_MATCH }
    }

    fn read(differing: Vec<NameDifference>, doubted: Vec<NameDifference>) -> NameCheck {
        NameCheck {
            granted: "苏州晨光科技有限公司".into(),
            read: "苏州晟光科技有限公司".into(),
            differing,
            doubted,
            clean: false,
            other_purpose: None,
        }
    }

    fn char_at(at: f32, confidence: f32) -> NameDifference {
        NameDifference { granted: "晨".into(), read: "晟".into(), confidence, at }
    }

    #[test]
    fn a_confident_misreading_where_the_worst_window_is_makes_another_seal() {
        let cfg = InspectConfig::default();
        // Half-way along the strip is the top of the seal: 12 o'clock.
        let name = read(Vec::new(), vec![char_at(0.48, 0.95)]);
        let w = name_differs_at_worst(&unconfirmed(), &name, &CIRCLE, &cfg).expect("at the worst window");
        assert_eq!(w.difference.read, "晟");
        assert!(w.offset_deg < 6.0, "{}", w.offset_deg);
        // The most confident of those near is named.
        let two = read(vec![char_at(0.5, 0.999)], vec![char_at(0.48, 0.95)]);
        let w = name_differs_at_worst(&unconfirmed(), &two, &CIRCLE, &cfg).expect("two near");
        assert_eq!(w.difference.confidence, 0.999);
    }

    #[test]
    fn elsewhere_unsure_unconfirmed_or_not_round_is_not_enough() {
        let cfg = InspectConfig::default();
        let t = unconfirmed();
        let near = read(Vec::new(), vec![char_at(0.48, 0.95)]);
        // A character read at 3 o'clock (a quarter of the way round from the top).
        let far = read(Vec::new(), vec![char_at(0.8, 0.999)]);
        assert_eq!(name_differs_at_worst(&t, &far, &CIRCLE, &cfg), None);
        let unsure = read(Vec::new(), vec![char_at(0.5, cfg.min_name_confidence_at_worst - 0.01)]);
        assert_eq!(name_differs_at_worst(&t, &unsure, &CIRCLE, &cfg), None);
        // Confirmed, only a sure (differing) character counts, not a doubted one however confident.
        let confirmed = TemplateMatch { similarity: cfg.min_seal_similarity, similarity_elsewhere: 0.97, ..t };
        assert_eq!(name_differs_at_worst(&confirmed, &near, &CIRCLE, &cfg), None);
        let sure = read(vec![char_at(0.48, 0.995)], Vec::new());
        assert!(name_differs_at_worst(&confirmed, &sure, &CIRCLE, &cfg).is_some());
        let sure_far = read(vec![char_at(0.8, 0.999)], Vec::new());
        assert_eq!(name_differs_at_worst(&confirmed, &sure_far, &CIRCLE, &cfg), None);
        let spread = TemplateMatch { similarity_elsewhere: cfg.min_similarity_elsewhere_named - 0.01, ..t };
        assert_eq!(name_differs_at_worst(&spread, &near, &CIRCLE, &cfg), None);
        // The worst window at the centre (the star) or on the label: not on the name band.
        for off in [[0.0, 0.0], [0.0, 0.5]] {
            let elsewhere = TemplateMatch { worst_window: Some(off), ..t };
            assert_eq!(name_differs_at_worst(&elsewhere, &near, &CIRCLE, &cfg), None, "{off:?}");
        }
        assert_eq!(name_differs_at_worst(&TemplateMatch { worst_window: None, ..t }, &near, &CIRCLE, &cfg), None);
        let oval = SealShape::Ellipse { centre: [100.0, 100.0], semi_axes: [90.0, 60.0], angle_deg: 0.0 };
        assert_eq!(name_differs_at_worst(&t, &near, &oval, &cfg), None);
        assert_eq!(name_differs_at_worst(&t, &read(Vec::new(), Vec::new()), &CIRCLE, &cfg), None);
    }

    /// Real recogniser on generated seals: a look-alike's changed character (贸 -> 货) reads where
    /// the comparison finds its worst window.
    #[test]
    fn a_look_alikes_changed_character_reads_where_its_worst_window_is() {
        use crate::inspect::seal_name::stamped_look_alike;
        use crate::ocr::{PpOcr, PpOcrConfig};
        let runtime = sealgate_models::Runtime::global().expect("ONNX Runtime installed");
        let ocr = PpOcr::new(runtime, PpOcrConfig::default()).expect("PP-OCR models installed");
        let (m, shape, name) = stamped_look_alike(&ocr, "杭州卓越贸易有限公司", "杭州卓越货易有限公司");
        let d = name.differing.iter().find(|d| d.read == "货").expect("货 read");
        let [x, y] = m.worst_window.expect("a worst window").map(f64::from);
        let apart = (strip_direction_deg(f64::from(d.at)) - y.atan2(x).to_degrees()).rem_euclid(360.0);
        assert!(apart.min(360.0 - apart) < 12.0, "{apart} degrees: {m:?} {name:?}");
        let w = name_differs_at_worst(&m, &name, &shape, &InspectConfig::default()).expect("another seal");
        assert_eq!(w.difference.read, "货");
    }
}
