//! Two witnesses to another purpose: the label read as text (see
//! [`super::seal_name::compare_labels`]) and the window comparison with the template each point at
//! a place on the label, and a seal cut for another purpose (财务专用章 where 合同专用章 was granted)
//! makes them point at the same one.
//!
//! A label whose purpose reads as another's whole (财务 for 合同) is another seal already. Worn
//! labels read as odd characters, and one character of the other purpose often survives the
//! misreading (信务 for 财务: 务 where the template reads 同). Alone that is weak; but when the
//! impression is not confirmed, its worst window lies on the label at that character, and every
//! window apart from the worst fits the template, the impression is another seal. Precisely: a
//! round or oval impression not confirmed, with [`InspectConfig::min_similarity_elsewhere_named`]
//! or more elsewhere, whose label reads, at the place of a character of the granted purpose, the
//! character another purpose has there (see [`another_purposes_character`]) with at least
//! [`InspectConfig::min_label_confidence_at_worst`], within
//! [`InspectConfig::max_label_offset`] of the worst window's place across the label.
//!
//! Measured (`doc eval` over the right-seal, double-stamp and wrong-seal photos of both generated
//! sets; see `config/sealgate.toml`): of the right seals' labels (about 300), one read another
//! purpose's character (行 for 合, 0.88), with its worst window at the name band's top, not on the
//! label; the label look-alikes not confirmed that read one did so at 0.81-0.99.
//!
//! Often no character of the other purpose survives (劣分专用章 for a finance seal where the
//! contract seal was granted), but none of the granted purpose does either. An impression not
//! confirmed, with the same fit elsewhere, whose worst window lies across the label on the granted
//! purpose's characters, and whose label reads neither of them anywhere, is another seal too
//! ([`purpose_unread_at_worst`]). Measured over every photo of both generated sets (`doc eval`,
//! whole round and oval impressions whose worst window lies on the label's first 45%): of the 22
//! right seals' impressions there, the 6 whose label lost both purpose characters were all
//! confirmed (0.92-0.96), and the one not confirmed (seed 7 0899, 0.79) read 合 of 合同; look-alikes
//! in review that lost both were 0.81-0.86 at the worst window and 0.86-0.95 elsewhere on seed 7
//! (4), 0.41-0.86 and 0.77-0.93 held out (4, two of them below 0.85 elsewhere and left to review).

use super::InspectConfig;
use super::seal_name::{NameCheck, NameDifference, another_purposes_character, label_purpose};
use crate::seal::{SealShape, TemplateMatch};

/// A character of another purpose read where the template comparison found its worst window.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelAtWorst<'a> {
    pub difference: &'a NameDifference,
    /// The granted purpose (合同), whose character the impression reads as another's.
    pub granted_purpose: &'static str,
    /// Share of the label's width between the character and the worst window.
    pub offset: f32,
}

/// The character of another purpose in `label` read with the most confidence at the place of `t`'s
/// worst window, when the impression of outline `shape` is round or oval, not confirmed, and
/// otherwise fits the template (see the module's documentation); `None` otherwise.
pub fn label_purpose_at_worst<'a>(
    t: &TemplateMatch,
    label: &'a NameCheck,
    shape: &SealShape,
    cfg: &InspectConfig,
) -> Option<LabelAtWorst<'a>> {
    let (across, purpose) = worst_on_label(t, label, shape, cfg)?;
    label
        .differing
        .iter()
        .chain(&label.doubted)
        .filter(|d| d.confidence >= cfg.min_label_confidence_at_worst)
        .filter(|d| {
            let slot = purpose.chars().position(|c| d.granted.chars().eq(std::iter::once(c)));
            slot.is_some_and(|slot| another_purposes_character(purpose, slot, &d.read))
        })
        .map(|d| LabelAtWorst { difference: d, granted_purpose: purpose, offset: (d.at - across).abs() })
        .filter(|w| w.offset <= cfg.max_label_offset)
        .max_by(|a, b| a.difference.confidence.total_cmp(&b.difference.confidence))
}

/// The granted purpose lost where the template comparison found its worst window.
#[derive(Debug, Clone, PartialEq)]
pub struct PurposeUnread {
    /// The granted purpose (合同), none of whose characters the impression's label reads.
    pub granted_purpose: &'static str,
    /// The worst window's place across the label (0 its left end, 1 its right).
    pub across: f32,
}

/// Whether the impression of outline `shape` is round or oval, not confirmed, fits the template
/// elsewhere, has its worst window across the label on the granted purpose's characters, and its
/// `label` reads none of them (see the module's documentation). `None` otherwise, and when the
/// granted label names no purpose.
pub fn purpose_unread_at_worst(
    t: &TemplateMatch,
    label: &NameCheck,
    shape: &SealShape,
    cfg: &InspectConfig,
) -> Option<PurposeUnread> {
    let (across, purpose) = worst_on_label(t, label, shape, cfg)?;
    // The purpose's place across the granted label, as shares of its characters.
    let n = label.granted.chars().count() as f32;
    let byte_at = label.granted.find(purpose)?;
    let first = label.granted[..byte_at].chars().count() as f32;
    let last = first + purpose.chars().count() as f32;
    let on_purpose = (first / n..=last / n).contains(&across);
    let lost = !purpose.chars().any(|c| label.read.contains(c));
    (on_purpose && lost).then_some(PurposeUnread { granted_purpose: purpose, across })
}

/// Where `t`'s worst window lies across the label (a share of its width) and the purpose the
/// granted label names, when the impression of outline `shape` is round or oval, not confirmed, and
/// fits the template elsewhere: what both rules of this module start from. `None` otherwise.
fn worst_on_label(
    t: &TemplateMatch,
    label: &NameCheck,
    shape: &SealShape,
    cfg: &InspectConfig,
) -> Option<(f32, &'static str)> {
    if !shape.is_round()
        || t.similarity >= cfg.min_similarity_for(shape)
        || t.similarity_elsewhere < cfg.min_similarity_elsewhere_named
    {
        return None;
    }
    Some((t.worst_across_label?, label_purpose(&label.granted)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seal::testutil::GRANTED_MATCH;

    const OVAL: SealShape = SealShape::Ellipse { centre: [100.0, 100.0], semi_axes: [90.0, 60.0], angle_deg: 0.0 };

    /// Not confirmed, everything else fitting, the worst window over the label's second character.
    fn unconfirmed() -> TemplateMatch {
        TemplateMatch {
            similarity: 0.8,
            similarity_elsewhere: 0.9,
            worst_window: Some([-0.1, 0.42]),
            worst_across_label: Some(0.35),
            ..GRANTED_MATCH
        }
    }

    /// The contract seal's label read as 信务音用章, its second character `second` at `confidence`.
    fn read(second: &str, confidence: f32) -> NameCheck {
        let misread = |granted: &str, read: &str, confidence, at| NameDifference {
            granted: granted.into(),
            read: read.into(),
            confidence,
            at,
        };
        NameCheck {
            granted: "合同专用章".into(),
            read: format!("信{second}音用章"),
            differing: Vec::new(),
            doubted: vec![
                misread("合", "信", 0.16, 0.1),
                misread("同", second, confidence, 0.3),
                misread("专", "音", 0.54, 0.5),
            ],
            clean: false,
            other_purpose: None,
        }
    }

    #[test]
    fn another_purposes_character_where_the_worst_window_is_makes_another_seal() {
        let cfg = InspectConfig::default();
        let label = read("务", 0.99);
        let w = label_purpose_at_worst(&unconfirmed(), &label, &OVAL, &cfg).expect("another purpose");
        assert_eq!((w.difference.read.as_str(), w.granted_purpose), ("务", "合同"));
        assert!((w.offset - 0.05).abs() < 1e-6, "{}", w.offset);
        let circle = SealShape::Circle { centre: [0.0, 0.0], radius: 50.0 };
        assert!(label_purpose_at_worst(&unconfirmed(), &label, &circle, &cfg).is_some());
    }

    #[test]
    fn a_misreading_of_no_purpose_elsewhere_unsure_or_confirmed_is_not_enough() {
        let cfg = InspectConfig::default();
        let t = unconfirmed();
        // 周 is no purpose's character; 同 is the granted one's.
        assert_eq!(label_purpose_at_worst(&t, &read("周", 0.99), &OVAL, &cfg), None);
        assert_eq!(
            label_purpose_at_worst(&t, &read("务", cfg.min_label_confidence_at_worst - 0.01), &OVAL, &cfg),
            None
        );
        let label = read("务", 0.99);
        let far = TemplateMatch { worst_across_label: Some(0.9), ..t };
        assert_eq!(label_purpose_at_worst(&far, &label, &OVAL, &cfg), None);
        let off_label = TemplateMatch { worst_across_label: None, ..t };
        assert_eq!(label_purpose_at_worst(&off_label, &label, &OVAL, &cfg), None);
        let confirmed = TemplateMatch { similarity: cfg.min_seal_similarity, ..t };
        assert_eq!(label_purpose_at_worst(&confirmed, &label, &OVAL, &cfg), None);
        let spread = TemplateMatch { similarity_elsewhere: cfg.min_similarity_elsewhere_named - 0.01, ..t };
        assert_eq!(label_purpose_at_worst(&spread, &label, &OVAL, &cfg), None);
        let square = SealShape::Rectangle { centre: [0.0, 0.0], size: [50.0, 50.0], angle_deg: 0.0 };
        assert_eq!(label_purpose_at_worst(&t, &label, &square, &cfg), None);
        // A label naming no purpose.
        let odd = NameCheck { granted: "专用章".into(), ..label.clone() };
        assert_eq!(label_purpose_at_worst(&t, &odd, &OVAL, &cfg), None);
    }

    /// Generated seals: a finance seal's worst window against the contract seal's template lies on
    /// the label, over its purpose.
    #[test]
    fn another_purposes_worst_window_lies_on_the_label_over_its_purpose() {
        use crate::seal::testutil::{blank_page, seal_params, stamp_on, to_rgb8};
        use crate::seal::{SealConfig, SealTemplate, impressions_on, segment_page};
        let cfg = SealConfig::default();
        let company = "杭州卓越贸易有限公司";
        let mut image = blank_page(420, 420);
        stamp_on(&mut image, &seal_params(41, company, "合同专用章", [210.0, 210.0], 0.0));
        let template = SealTemplate::from_image(&to_rgb8(&image), &cfg).expect("template");
        let mut page = blank_page(1240, 1754);
        stamp_on(&mut page, &seal_params(41, company, "财务专用章", [600.0, 900.0], 25.0));
        let page = to_rgb8(&page);
        let found = impressions_on(&segment_page(&page, &cfg).expect("layers"), &cfg);
        let m = template.compare(&page, &found[0], &cfg).expect("compared");
        let across = m.worst_across_label.unwrap_or_else(|| panic!("worst window on the label: {m:?}"));
        // 财务 spans the label's first two fifths.
        assert!(across < 0.4, "{across}: {m:?}");
    }

    #[test]
    fn a_granted_purpose_unread_where_the_worst_window_is_makes_another_seal() {
        let cfg = InspectConfig::default();
        let t = unconfirmed();
        let lost = |text: &str| NameCheck { read: text.into(), ..read("务", 0.5) };
        let w = purpose_unread_at_worst(&t, &lost("劣分专用章"), &OVAL, &cfg).expect("purpose lost");
        assert_eq!((w.granted_purpose, w.across), ("合同", 0.35));
        // One character of the granted purpose read anywhere: not lost.
        for read in ["劣同专用章", "合分专用章", "专用章合"] {
            assert_eq!(purpose_unread_at_worst(&t, &lost(read), &OVAL, &cfg), None, "{read}");
        }
        let label = lost("劣分专用章");
        // The worst window across the label past the purpose (专用章), or not on the label.
        for across in [Some(0.41), Some(0.9), None] {
            let elsewhere = TemplateMatch { worst_across_label: across, ..t };
            assert_eq!(purpose_unread_at_worst(&elsewhere, &label, &OVAL, &cfg), None, "{across:?}");
        }
        let confirmed = TemplateMatch { similarity: cfg.min_seal_similarity, ..t };
        assert_eq!(purpose_unread_at_worst(&confirmed, &label, &OVAL, &cfg), None);
        let spread = TemplateMatch { similarity_elsewhere: cfg.min_similarity_elsewhere_named - 0.01, ..t };
        assert_eq!(purpose_unread_at_worst(&spread, &label, &OVAL, &cfg), None);
        let square = SealShape::Rectangle { centre: [0.0, 0.0], size: [50.0, 50.0], angle_deg: 0.0 };
        assert_eq!(purpose_unread_at_worst(&t, &label, &square, &cfg), None);
        let no_purpose = NameCheck { granted: "专用章".into(), ..label };
        assert_eq!(purpose_unread_at_worst(&t, &no_purpose, &OVAL, &cfg), None);
    }
}
