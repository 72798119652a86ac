//! From what each photo showed to what a reviewer must look at: every finding a flag with its reason,
//! its boxes on the photo and its score; each photo's verdict the most serious of its flags; and the
//! session summed up (pages inserted, over-stamped, missing, out of order; impressions against the
//! number authorised).

use serde::Serialize;

use super::config::InspectConfig;
use super::label_at_worst::{label_purpose_at_worst, purpose_unread_at_worst};
use super::name_at_worst::name_differs_at_worst;
use super::photo::PhotoChecks;
use super::session::{SessionPages, assign_pages};
use crate::compare::Verdict;
use crate::seal::{SealShape, TemplateMatch};

/// A photo's verdict, from least to most serious (the order is the derived `Ord`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PhotoVerdict {
    Ok,
    /// A person must look (uncertain comparison, partial or double-struck impression, order change,
    /// an impression on an empty area or outside the expected region, no impression, no page).
    Review,
    /// More impressions than authorised for the session.
    ExtraImpression,
    /// An approved page stamped more often than allowed.
    Duplicate,
    /// An impression that is not the granted seal.
    WrongSeal,
    /// A page not in the approved set: inserted or swapped, near-copies included.
    Inserted,
    /// A blank sheet was stamped.
    Blank,
}

/// What a flag is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    NoPage,
    Blank,
    Inserted,
    NearCopy,
    Duplicate,
    OutOfOrder,
    CompareReview,
    WrongSeal,
    SealUnconfirmed,
    PartialImpression,
    DoubleStruck,
    Smudged,
    ImpressionOnBlankArea,
    OutsideRegion,
    NoImpression,
    ExtraImpression,
}

/// One finding, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    pub kind: FlagKind,
    /// The verdict this finding leads to.
    pub verdict: PhotoVerdict,
    pub reason: String,
    /// Where on the photo (TL, TR, BR, BL; photo pixels): the sheet for page findings, the
    /// impression, the differences.
    pub boxes: Vec<[[f32; 2]; 4]>,
    /// The measure behind it (blank score, template similarity, visible share, page similarity).
    pub score: Option<f32>,
}

/// One photo's findings.
#[derive(Debug, Clone, Serialize)]
pub struct PhotoReport {
    pub photo: String,
    pub verdict: PhotoVerdict,
    pub flags: Vec<Flag>,
    /// Every flag's boxes together.
    pub boxes: Vec<[[f32; 2]; 4]>,
    /// The approved page it shows (0-based), if any.
    pub page: Option<usize>,
    pub impressions: usize,
}

/// The session at a glance.
#[derive(Debug, Clone, Serialize)]
pub struct SessionSummary {
    pub photos: usize,
    pub approved_pages: usize,
    pub pages: SessionPages,
    pub impressions: usize,
    pub authorized: Option<usize>,
    /// Impressions beyond the authorised number.
    pub extra_impressions: usize,
    /// The most serious photo verdict.
    pub verdict: PhotoVerdict,
    /// Photos per verdict, least serious first.
    pub counts: Vec<(PhotoVerdict, usize)>,
}

/// The report of a session: `names` and `checks` of its photos in the order they were taken, the
/// original's page count, and the impressions `authorized` for the whole session (when known).
pub fn report(
    names: &[String],
    checks: &[PhotoChecks],
    approved_pages: usize,
    authorized: Option<usize>,
    cfg: &InspectConfig,
) -> (Vec<PhotoReport>, SessionSummary) {
    let identities: Vec<_> = checks.iter().map(|c| c.identity).collect();
    let pages = assign_pages(&identities, approved_pages, cfg.allowed_per_page);
    let mut seen_impressions = 0usize;
    let mut extra_total = 0usize;
    let mut reports = Vec::with_capacity(checks.len());
    for (i, c) in checks.iter().enumerate() {
        let mut flags = photo_flags(c, cfg);
        let sheet: Vec<[[f32; 2]; 4]> = c.sheet.into_iter().collect();
        if pages.duplicates.contains(&i) {
            let page = pages.assigned.get(i).copied().flatten().map_or(0, |p| p + 1);
            flags.push(Flag {
                kind: FlagKind::Duplicate,
                verdict: PhotoVerdict::Duplicate,
                reason: format!(
                    "approved page {page} stamped more than {} time(s) in this session",
                    cfg.allowed_per_page
                ),
                boxes: sheet.clone(),
                score: None,
            });
        }
        if pages.out_of_order.contains(&i) {
            flags.push(Flag {
                kind: FlagKind::OutOfOrder,
                verdict: PhotoVerdict::Review,
                reason: "shows an earlier approved page than the photo before it".into(),
                boxes: sheet.clone(),
                score: None,
            });
        }
        // Impressions beyond the authorised number, counted in the order the photos were taken.
        if let Some(limit) = authorized {
            let extra: Vec<[[f32; 2]; 4]> = c
                .impressions
                .iter()
                .enumerate()
                .filter(|(k, _)| seen_impressions + k + 1 > limit)
                .map(|(_, imp)| imp.photo_box)
                .collect();
            if !extra.is_empty() {
                extra_total += extra.len();
                flags.push(Flag {
                    kind: FlagKind::ExtraImpression,
                    verdict: PhotoVerdict::ExtraImpression,
                    reason: format!("{} impression(s) beyond the {limit} authorised for the session", extra.len()),
                    boxes: extra,
                    score: None,
                });
            }
        }
        seen_impressions += c.impressions.len();
        let verdict = flags.iter().map(|f| f.verdict).max().unwrap_or(PhotoVerdict::Ok);
        reports.push(PhotoReport {
            photo: names.get(i).cloned().unwrap_or_else(|| format!("photo {i}")),
            verdict,
            boxes: flags.iter().flat_map(|f| f.boxes.iter().copied()).collect(),
            flags,
            page: pages.assigned.get(i).copied().flatten(),
            impressions: c.impressions.len(),
        });
    }
    let order = [
        PhotoVerdict::Ok,
        PhotoVerdict::Review,
        PhotoVerdict::ExtraImpression,
        PhotoVerdict::Duplicate,
        PhotoVerdict::WrongSeal,
        PhotoVerdict::Inserted,
        PhotoVerdict::Blank,
    ];
    let counts = order.iter().map(|v| (*v, reports.iter().filter(|r| r.verdict == *v).count())).collect();
    let summary = SessionSummary {
        photos: checks.len(),
        approved_pages,
        impressions: seen_impressions,
        authorized,
        extra_impressions: extra_total,
        verdict: reports.iter().map(|r| r.verdict).max().unwrap_or(PhotoVerdict::Ok),
        counts,
        pages,
    };
    (reports, summary)
}

/// Why a whole impression of outline `shape` that compares with the granted seal's template as `t`
/// is another seal, from the comparison alone (the outline's kind, strokes, typeface or layout, the
/// star's size, a difference confined to one character); `None` when the comparison does not say so.
pub fn template_differs(t: &TemplateMatch, shape: &SealShape, cfg: &InspectConfig) -> Option<String> {
    let star_off = |s: f32| s.is_finite() && s > 0.0 && s.ln().abs() > (1.0 + cfg.max_star_change).ln();
    if t.outline_differs {
        Some("its outline is of another kind or aspect than the granted seal's".into())
    } else if t.extra_strokes > cfg.max_extra_strokes {
        Some(format!(
            "strokes where the granted seal has none ({:.0}% of a window's ink > {:.0}%; similarity {:.2}, best at {:.0} degrees)",
            100.0 * t.extra_strokes,
            100.0 * cfg.max_extra_strokes,
            t.similarity,
            t.rotation_deg
        ))
    } else if t.typical_similarity < cfg.min_typical_similarity {
        Some(format!(
            "most of it differs from the granted seal (median window similarity {:.2} < {:.2}, best at {:.0} degrees)",
            t.typical_similarity, cfg.min_typical_similarity, t.rotation_deg
        ))
    } else if let (Some(scale), Some(fit)) = (t.star_scale, t.star_match)
        && fit >= cfg.min_star_match
        && star_off(scale)
    {
        Some(format!(
            "its star is {:.0}% {} than the granted seal's (size over the template's {:.2}, each to its outline; beyond {:.0}%; star correlation {:.2})",
            100.0 * (scale - 1.0).abs().max((1.0 / scale - 1.0).abs()),
            if scale > 1.0 { "larger" } else { "smaller" },
            scale,
            100.0 * cfg.max_star_change,
            fit
        ))
    } else if let Some(weight) = t.lettering_weight
        && weight > cfg.max_lettering_weight
        && t.typical_similarity < cfg.heavy_lettering_max_typical
    {
        Some(format!(
            "its lettering prints {:.0}% heavier than the granted seal's against the star (another typeface? beyond {:.0}%; median window similarity {:.2} < {:.2})",
            100.0 * (weight - 1.0),
            100.0 * (cfg.max_lettering_weight - 1.0),
            t.typical_similarity,
            cfg.heavy_lettering_max_typical
        ))
    } else if shape.is_round()
        && t.similarity < cfg.min_similarity_for(shape)
        && t.similarity_elsewhere >= cfg.min_similarity_elsewhere
        && t.similarity_elsewhere - t.similarity >= cfg.min_confined_drop
    {
        Some(format!(
            "one character-sized area differs from the granted seal{} while the rest matches it closely (window similarity {:.2} there, at least {:.2} everywhere else; confined when the rest is >= {:.2} and the drop >= {:.2})",
            t.worst_window.map(where_on_template).unwrap_or_default(),
            t.similarity,
            t.similarity_elsewhere,
            cfg.min_similarity_elsewhere,
            cfg.min_confined_drop
        ))
    } else {
        None
    }
}

/// A point of the template's normalised frame as a clock position and a share of the radius.
fn where_on_template([x, y]: [f32; 2]) -> String {
    let out = f64::from(x.hypot(y));
    if out < 0.15 {
        return " at the centre of its template".into();
    }
    let hour = (f64::from(x).atan2(-f64::from(y)).to_degrees().rem_euclid(360.0) / 30.0).round() as i64 % 12;
    format!(" at {} o'clock on its template, {:.0}% of the radius out", if hour == 0 { 12 } else { hour }, 100.0 * out)
}

/// The findings of one photo on its own.
fn photo_flags(c: &PhotoChecks, cfg: &InspectConfig) -> Vec<Flag> {
    let mut flags = Vec::new();
    let sheet: Vec<[[f32; 2]; 4]> = c.sheet.into_iter().collect();
    if !c.page_found {
        flags.push(Flag {
            kind: FlagKind::NoPage,
            verdict: PhotoVerdict::Review,
            reason: "no sheet of paper found in the photo".into(),
            boxes: Vec::new(),
            score: None,
        });
        return flags;
    }
    if let Some(b) = c.blank.as_ref().filter(|b| b.blank) {
        flags.push(Flag {
            kind: FlagKind::Blank,
            verdict: PhotoVerdict::Blank,
            reason: format!("blank page: {}", b.reasons.join("; ")),
            boxes: sheet.clone(),
            score: Some(b.score),
        });
    }
    if let Some(comparison) = &c.comparison {
        let diff_boxes: Vec<[[f32; 2]; 4]> = comparison.differences.iter().filter_map(|d| d.photo_box).collect();
        match comparison.verdict {
            Verdict::Mismatch => {
                let (kind, reason) = match c.identity.near_copy_of {
                    Some(p) => (
                        FlagKind::NearCopy,
                        format!("a near-copy of approved page {}: {}", p + 1, comparison.reasons.join("; ")),
                    ),
                    None => (FlagKind::Inserted, format!("not an approved page: {}", comparison.reasons.join("; "))),
                };
                let boxes = if diff_boxes.is_empty() { sheet.clone() } else { diff_boxes };
                flags.push(Flag {
                    kind,
                    verdict: PhotoVerdict::Inserted,
                    reason,
                    boxes,
                    score: Some(comparison.similarity),
                });
            }
            Verdict::Review => flags.push(Flag {
                kind: FlagKind::CompareReview,
                verdict: PhotoVerdict::Review,
                reason: format!("comparison with the approved page asks for review: {}", comparison.reasons.join("; ")),
                boxes: diff_boxes,
                score: Some(comparison.similarity),
            }),
            Verdict::Match => {}
        }
    }
    for imp in &c.impressions {
        let b = vec![imp.photo_box];
        let i = &imp.impression;
        let visible = imp.template.as_ref().map(|t| t.visible_share);
        let hidden_part = i.partial || visible.is_some_and(|v| v < cfg.min_visible_share);
        if hidden_part {
            flags.push(Flag {
                kind: FlagKind::PartialImpression,
                verdict: PhotoVerdict::Review,
                reason: format!(
                    "partial impression ({:.0}% of the outline, {} of the template visible): a difference could hide in the missing part",
                    100.0 * i.completeness,
                    visible.map_or("unknown share".to_string(), |v| format!("{:.0}%", 100.0 * v))
                ),
                boxes: b.clone(),
                score: Some(i.completeness),
            });
        } else if let Some(t) = imp.template.as_ref() {
            let min_similarity = cfg.min_similarity_for(&i.shape);
            let reason = if t.outline_differs {
                Some(format!("outline unlike the granted seal's ({:?})", i.shape))
            } else if let Some(reason) = template_differs(t, &i.shape, cfg) {
                Some(reason)
            } else if let Some((name, d)) =
                imp.name.as_ref().and_then(|n| n.surely_another(cfg.min_name_wrong_confidence).map(|d| (n, d)))
            {
                Some(format!(
                    "its name reads {} for {} ({:.4}), every other character as the granted seal's (read {:?}, granted {:?})",
                    d.read, d.granted, d.confidence, name.read, name.granted
                ))
            } else if let Some((name, w)) =
                imp.name.as_ref().and_then(|n| name_differs_at_worst(t, n, &i.shape, cfg).map(|w| (n, w)))
            {
                Some(format!(
                    "its name reads {} for {} ({:.3}) where its one differing area is{}, {:.0} degrees from it, while the rest matches the granted seal (window similarity {:.2} there, at least {:.2} everywhere else; read {:?}, granted {:?})",
                    w.difference.read,
                    w.difference.granted,
                    w.difference.confidence,
                    t.worst_window.map(where_on_template).unwrap_or_default(),
                    w.offset_deg,
                    t.similarity,
                    t.similarity_elsewhere,
                    name.read,
                    name.granted
                ))
            } else if let Some((label, purpose)) =
                imp.label.as_ref().and_then(|l| l.other_purpose.as_ref().map(|p| (l, p)))
            {
                Some(format!(
                    "its label names another purpose: {} where the granted seal's reads {} ({:.3}; read {:?}, granted {:?})",
                    purpose.read, purpose.granted, purpose.confidence, label.read, label.granted
                ))
            } else if let Some((label, w)) =
                imp.label.as_ref().and_then(|l| label_purpose_at_worst(t, l, &i.shape, cfg).map(|w| (l, w)))
            {
                Some(format!(
                    "its label reads {} for {} ({:.3}), a character of another purpose than {}, where its worst window lies on the label while the rest matches the granted seal (window similarity {:.2} there, at least {:.2} everywhere else; read {:?}, granted {:?})",
                    w.difference.read,
                    w.difference.granted,
                    w.difference.confidence,
                    w.granted_purpose,
                    t.similarity,
                    t.similarity_elsewhere,
                    label.read,
                    label.granted
                ))
            } else if let Some((label, w)) =
                imp.label.as_ref().and_then(|l| purpose_unread_at_worst(t, l, &i.shape, cfg).map(|w| (l, w)))
            {
                Some(format!(
                    "its worst window lies on the label, {:.0}% of the way across, over the granted purpose {}, none of whose characters the label reads, while the rest matches the granted seal (window similarity {:.2} there, at least {:.2} everywhere else; read {:?}, granted {:?})",
                    100.0 * w.across,
                    w.granted_purpose,
                    t.similarity,
                    t.similarity_elsewhere,
                    label.read,
                    label.granted
                ))
            } else {
                None
            };
            if let Some(reason) = reason {
                flags.push(Flag {
                    kind: FlagKind::WrongSeal,
                    verdict: PhotoVerdict::WrongSeal,
                    reason: format!("impression of another seal: {reason}"),
                    boxes: b.clone(),
                    score: Some(t.similarity),
                });
            } else if t.similarity < min_similarity {
                flags.push(Flag {
                    kind: FlagKind::SealUnconfirmed,
                    verdict: PhotoVerdict::Review,
                    reason: format!(
                        "impression not confirmed as the granted seal (similarity {:.2} < {:.2}, best at {:.0} degrees)",
                        t.similarity, min_similarity, t.rotation_deg
                    ),
                    boxes: b.clone(),
                    score: Some(t.similarity),
                });
            } else if let Some((what, text)) = [("name", &imp.name), ("label", &imp.label)]
                .into_iter()
                .find_map(|(what, t)| t.as_ref().filter(|t| !t.differing.is_empty()).map(|t| (what, t)))
            {
                let chars: Vec<String> = text
                    .differing
                    .iter()
                    .map(|d| format!("{} for {} ({:.3})", d.read, d.granted, d.confidence))
                    .collect();
                flags.push(Flag {
                    kind: FlagKind::SealUnconfirmed,
                    verdict: PhotoVerdict::Review,
                    reason: format!(
                        "the seal's {what} reads another character than the granted seal's: {} (read {:?}, granted {:?})",
                        chars.join(", "),
                        text.read,
                        text.granted
                    ),
                    boxes: b.clone(),
                    score: text.differing.first().map(|d| d.confidence),
                });
            }
        }
        if i.double_struck {
            flags.push(Flag {
                kind: FlagKind::DoubleStruck,
                verdict: PhotoVerdict::Review,
                reason: "double-struck impression".into(),
                boxes: b.clone(),
                score: None,
            });
        }
        if i.smudged {
            flags.push(Flag {
                kind: FlagKind::Smudged,
                verdict: PhotoVerdict::Review,
                reason: "smudged impression".into(),
                boxes: b.clone(),
                score: None,
            });
        }
        if imp.on_blank_area {
            flags.push(Flag {
                kind: FlagKind::ImpressionOnBlankArea,
                verdict: PhotoVerdict::Review,
                reason: "impression on an empty part of the page (no text under or beside it)".into(),
                boxes: b.clone(),
                score: None,
            });
        }
        if imp.outside_region {
            flags.push(Flag {
                kind: FlagKind::OutsideRegion,
                verdict: PhotoVerdict::Review,
                reason: "impression outside the region the application expects".into(),
                boxes: b,
                score: None,
            });
        }
    }
    if cfg.flag_no_impression && c.impressions.is_empty() {
        flags.push(Flag {
            kind: FlagKind::NoImpression,
            verdict: PhotoVerdict::Review,
            reason: "no seal impression found on the stamped page".into(),
            boxes: sheet,
            score: None,
        });
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspect::photo::CheckTimings;
    use crate::inspect::session::PageIdentity;
    use crate::seal::Impression;

    fn on_page(page: usize) -> PhotoChecks {
        PhotoChecks {
            page_found: true,
            blank: None,
            identity: PageIdentity { page: Some(page), near_copy_of: None, review: false, similarity: 1.0 },
            comparison: None,
            impressions: Vec::new(),
            text_chars: 500,
            sheet: Some([[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]]),
            timings: CheckTimings::default(),
        }
    }

    #[test]
    fn verdicts_are_ordered_by_seriousness() {
        assert!(PhotoVerdict::Blank > PhotoVerdict::Inserted);
        assert!(PhotoVerdict::Inserted > PhotoVerdict::WrongSeal);
        assert!(PhotoVerdict::WrongSeal > PhotoVerdict::Duplicate);
        assert!(PhotoVerdict::Duplicate > PhotoVerdict::ExtraImpression);
        assert!(PhotoVerdict::ExtraImpression > PhotoVerdict::Review);
        assert!(PhotoVerdict::Review > PhotoVerdict::Ok);
    }

    #[test]
    fn a_page_stamped_twice_is_a_duplicate_and_a_missing_impression_asks_for_review() {
        let cfg = InspectConfig::default();
        let names = vec!["a.jpg".to_string(), "b.jpg".to_string()];
        let (photos, session) = report(&names, &[on_page(0), on_page(0)], 2, Some(2), &cfg);
        assert_eq!(photos[0].verdict, PhotoVerdict::Review, "{:?}", photos[0].flags);
        assert!(photos[0].flags.iter().any(|f| f.kind == FlagKind::NoImpression));
        assert_eq!(photos[1].verdict, PhotoVerdict::Duplicate);
        assert!(photos[1].flags.iter().all(|f| !f.reason.is_empty()));
        assert_eq!(session.pages.missing, vec![1]);
        assert_eq!(session.verdict, PhotoVerdict::Duplicate);
        assert_eq!(session.extra_impressions, 0);
    }

    use crate::seal::testutil::GRANTED_MATCH as RIGHT;

    /// One whole impression on page 0 that compares with the template as `m`.
    fn stamped(m: TemplateMatch) -> PhotoChecks {
        use crate::seal::{InkColour, OutlineMeasures, SealShape};
        let mut checks = on_page(0);
        checks.impressions.push(crate::inspect::photo::ImpressionCheck {
            impression: Impression {
                shape: SealShape::Circle { centre: [5.0, 5.0], radius: 2.0 },
                colour: InkColour::Red,
                bbox: [3.0, 3.0, 7.0, 7.0],
                ink_pixels: 100,
                completeness: 1.0,
                partial: false,
                double_struck: false,
                smudged: false,
                measures: OutlineMeasures::default(),
            },
            template: Some(m),
            photo_box: [[3.0, 3.0], [7.0, 3.0], [7.0, 7.0], [3.0, 7.0]],
            on_blank_area: false,
            outside_region: false,
            name: None,
            label: None,
        });
        checks
    }

    #[test]
    fn a_seal_is_the_granted_one_another_or_unconfirmed_by_its_three_scores() {
        let cfg = InspectConfig::default();
        let right = RIGHT;
        let verdict = |m: TemplateMatch| {
            let (photos, _) = report(&["p.jpg".into()], &[stamped(m)], 1, Some(1), &cfg);
            let p = photos.into_iter().next().expect("one photo");
            assert!(p.flags.iter().all(|f| !f.reason.is_empty() && !f.boxes.is_empty()), "{:?}", p.flags);
            p.verdict
        };
        assert_eq!(verdict(right), PhotoVerdict::Ok);
        // Pale in a few windows: the worst window is low, the median is not, and the windows apart
        // from the worst fit no better than a right seal's usually do.
        assert_eq!(verdict(TemplateMatch { similarity: 0.3, ..right }), PhotoVerdict::Review);
        // Most windows differ (another typeface or label), or strokes where the engraving has none.
        assert_eq!(
            verdict(TemplateMatch { similarity: 0.3, typical_similarity: 0.5, ..right }),
            PhotoVerdict::WrongSeal
        );
        assert_eq!(verdict(TemplateMatch { extra_strokes: 0.5, ..right }), PhotoVerdict::WrongSeal);
        assert_eq!(verdict(TemplateMatch { outline_differs: true, ..right }), PhotoVerdict::WrongSeal);
        // Heavier lettering against the star: another typeface when the characters also fit less
        // closely than a right seal's; the right seal over-inked when they fit as usual. Lighter
        // lettering (pale ink) and no star to weigh against are no evidence.
        let heavy = Some(cfg.max_lettering_weight + 0.1);
        let typical_of_heavy = cfg.heavy_lettering_max_typical - 0.02;
        assert_eq!(
            verdict(TemplateMatch { lettering_weight: heavy, typical_similarity: typical_of_heavy, ..right }),
            PhotoVerdict::WrongSeal
        );
        assert_eq!(
            verdict(TemplateMatch {
                lettering_weight: heavy,
                typical_similarity: cfg.heavy_lettering_max_typical + 0.01,
                ..right
            }),
            PhotoVerdict::Ok
        );
        for lettering_weight in [Some(0.5), None] {
            assert_eq!(
                verdict(TemplateMatch { lettering_weight, typical_similarity: typical_of_heavy, ..right }),
                PhotoVerdict::Ok
            );
        }
    }

    #[test]
    fn a_difference_confined_to_one_character_of_a_round_seal_is_another_seal() {
        use crate::seal::SealShape;
        let cfg = InspectConfig::default();
        let report_of = |m: TemplateMatch, shape: SealShape| {
            let mut c = stamped(m);
            if let Some(i) = c.impressions.first_mut() {
                i.impression.shape = shape;
            }
            let (photos, _) = report(&["p.jpg".into()], &[c], 1, Some(1), &cfg);
            photos.into_iter().next().expect("one photo")
        };
        let round = SealShape::Circle { centre: [5.0, 5.0], radius: 2.0 };
        // One window at 0.7, every window apart from it at least 0.96: one character differs.
        let confined =
            TemplateMatch { similarity: 0.7, similarity_elsewhere: 0.96, worst_window: Some([0.7, 0.0]), ..RIGHT };
        let p = report_of(confined, round);
        assert_eq!(p.verdict, PhotoVerdict::WrongSeal, "{:?}", p.flags);
        let flag = p.flags.iter().find(|f| f.kind == FlagKind::WrongSeal).expect("the finding");
        assert!(flag.reason.contains("at 3 o'clock") && !flag.boxes.is_empty(), "{flag:?}");
        // The rest only fits as a pale right seal's does, or the drop is small: review.
        let spread = TemplateMatch { similarity_elsewhere: cfg.min_similarity_elsewhere - 0.01, ..confined };
        assert_eq!(report_of(spread, round).verdict, PhotoVerdict::Review);
        let small_drop = TemplateMatch { similarity: 0.87, similarity_elsewhere: 0.95, ..confined };
        assert_eq!(report_of(small_drop, round).verdict, PhotoVerdict::Review);
        // A worst window that confirms the seal is not a finding, however good the rest.
        let confirmed = TemplateMatch { similarity: cfg.min_seal_similarity, similarity_elsewhere: 1.0, ..confined };
        assert_eq!(report_of(confirmed, round).verdict, PhotoVerdict::Ok);
        // Squares: a character is a quarter of the seal, and their own threshold rules.
        let square = SealShape::Rectangle { centre: [5.0, 5.0], size: [4.0, 4.0], angle_deg: 0.0 };
        assert_eq!(report_of(TemplateMatch { similarity: 0.6, ..confined }, square).verdict, PhotoVerdict::Review);
    }

    #[test]
    fn where_on_the_template_reads_as_a_clock_position() {
        assert!(
            where_on_template([0.0, -0.8]).contains("at 12 o'clock") && where_on_template([0.0, -0.8]).contains("80%")
        );
        assert!(where_on_template([0.4, 0.7]).contains("at 5 o'clock"));
        assert!(where_on_template([-0.7, 0.0]).contains("at 9 o'clock"));
        assert_eq!(where_on_template([0.0, 0.05]), " at the centre of its template");
    }

    #[test]
    fn a_square_seal_is_confirmed_from_its_own_similarity() {
        use crate::seal::SealShape;
        let cfg = InspectConfig::default();
        let between = (cfg.min_seal_similarity + cfg.min_seal_similarity_square) / 2.0;
        let verdict = |shape: SealShape, similarity: f32| {
            let mut c = stamped(TemplateMatch { similarity, ..RIGHT });
            if let Some(i) = c.impressions.first_mut() {
                i.impression.shape = shape;
            }
            let (photos, _) = report(&["p.jpg".into()], &[c], 1, Some(1), &cfg);
            photos.into_iter().next().expect("one photo").verdict
        };
        let square = SealShape::Rectangle { centre: [5.0, 5.0], size: [4.0, 4.0], angle_deg: 0.0 };
        assert_eq!(verdict(square, between), PhotoVerdict::Ok);
        assert_eq!(verdict(SealShape::Circle { centre: [5.0, 5.0], radius: 2.0 }, between), PhotoVerdict::Review);
        assert_eq!(verdict(square, cfg.min_seal_similarity_square - 0.05), PhotoVerdict::Review);
    }

    #[test]
    fn a_seal_whose_name_reads_another_character_is_not_passed() {
        use crate::inspect::seal_name::{NameCheck, NameDifference};
        let cfg = InspectConfig::default();
        let right = RIGHT;
        let with_name = |differing: Vec<NameDifference>, clean: bool| {
            let mut c = stamped(right);
            if let Some(i) = c.impressions.first_mut() {
                i.name = Some(NameCheck {
                    granted: "杭州华信贸易有限公司".into(),
                    read: "杭州华信货易有限公司".into(),
                    differing,
                    doubted: Vec::new(),
                    clean,
                    other_purpose: None,
                });
            }
            let (photos, _) = report(&["p.jpg".into()], &[c], 1, Some(1), &cfg);
            photos.into_iter().next().expect("one photo")
        };
        assert_eq!(with_name(Vec::new(), true).verdict, PhotoVerdict::Ok);
        let sure = |confidence| vec![NameDifference { granted: "贸".into(), read: "货".into(), confidence, at: 0.4 }];
        // Other characters of the name dropped or doubted: a misreading is possible, review.
        let p = with_name(sure(0.99999), false);
        assert_eq!(p.verdict, PhotoVerdict::Review);
        let f = p.flags.iter().find(|f| f.kind == FlagKind::SealUnconfirmed).expect("flagged");
        assert!(f.reason.contains("货 for 贸") && !f.boxes.is_empty(), "{f:?}");
        // Read cleanly but the character below min_name_wrong_confidence: review.
        assert_eq!(with_name(sure(0.995), true).verdict, PhotoVerdict::Review);
        // Read cleanly and surely: another seal, whatever its template similarity.
        let p = with_name(sure(0.9999), true);
        assert_eq!(p.verdict, PhotoVerdict::WrongSeal);
        let f = p.flags.iter().find(|f| f.kind == FlagKind::WrongSeal).expect("flagged");
        assert!(f.reason.contains("its name reads 货 for 贸") && !f.boxes.is_empty(), "{f:?}");
        // Read surely where the comparison found its worst window (12 o'clock, half-way along the
        // band), though not cleanly: two witnesses to one place, another seal.
        let at_worst = vec![NameDifference { granted: "贸".into(), read: "货".into(), confidence: 0.995, at: 0.5 }];
        let p = with_name(at_worst, false);
        assert_eq!(p.verdict, PhotoVerdict::WrongSeal);
        let f = p.flags.iter().find(|f| f.kind == FlagKind::WrongSeal).expect("flagged");
        assert!(f.reason.contains("where its one differing area is at 12 o'clock"), "{f:?}");
    }

    #[test]
    fn a_seal_whose_label_names_another_purpose_is_another_seal() {
        use crate::inspect::seal_name::{NameCheck, NameDifference};
        let cfg = InspectConfig::default();
        let with_label = |other_purpose: Option<NameDifference>, doubted: Vec<NameDifference>| {
            let mut c = stamped(RIGHT);
            if let Some(i) = c.impressions.first_mut() {
                i.label = Some(NameCheck {
                    granted: "合同专用章".into(),
                    read: "财务专用章".into(),
                    differing: Vec::new(),
                    doubted,
                    clean: false,
                    other_purpose,
                });
            }
            let (photos, _) = report(&["p.jpg".into()], &[c], 1, Some(1), &cfg);
            photos.into_iter().next().expect("one photo")
        };
        let misread = NameDifference { granted: "同".into(), read: "雙".into(), confidence: 0.5, at: 0.3 };
        assert_eq!(with_label(None, vec![misread]).verdict, PhotoVerdict::Ok, "a doubted character is evidence only");
        let finance = NameDifference { granted: "合同".into(), read: "财务".into(), confidence: 0.93, at: 0.2 };
        let p = with_label(Some(finance), Vec::new());
        assert_eq!(p.verdict, PhotoVerdict::WrongSeal);
        let f = p.flags.iter().find(|f| f.kind == FlagKind::WrongSeal).expect("flagged");
        assert!(f.reason.contains("财务 where the granted seal's reads 合同") && !f.boxes.is_empty(), "{f:?}");
    }

    #[test]
    fn no_page_and_no_photos() {
        let cfg = InspectConfig::default();
        let mut none = on_page(0);
        none.page_found = false;
        none.identity = PageIdentity::unidentified();
        let (photos, session) = report(&[], &[none], 1, None, &cfg);
        assert_eq!(photos[0].photo, "photo 0");
        assert_eq!(photos[0].flags[0].kind, FlagKind::NoPage);
        assert_eq!(session.pages.not_approved, vec![0]);
        let (photos, session) = report(&[], &[], 1, Some(1), &cfg);
        assert!(photos.is_empty());
        assert_eq!(session.verdict, PhotoVerdict::Ok);
        assert_eq!(session.pages.missing, vec![0]);
    }
}
