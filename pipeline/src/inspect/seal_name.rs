//! The seal's name read on the granted seal's template and on an impression (their name bands
//! unrolled by [`crate::seal::ring_strip`]), and the characters the impression reads differently
//! with confidence: a look-alike with one character of the name changed (海/梅, 贸/货) shows there.
//!
//! Reading an impression is noisy (ink texture, text crossing it): most misread characters are read
//! with low confidence, or with the granted character as the recogniser's second choice. Only a
//! character read with at least `min_confidence`, whose granted counterpart the template read with
//! as much, counts; the others are kept as doubted evidence. A differing name goes to review,
//! unless it was read cleanly (every other character as the template's, none added, dropped or
//! doubted) and surely: then it is another seal's (see [`NameCheck::surely_another`]).
//!
//! The label (合同专用章, cut out by [`crate::seal::label_strip`]) is compared the same way, and by
//! the purpose it names: another purpose read on the impression (财务 where the template reads 合同)
//! is another seal, however unsure its characters (see [`compare_labels`]).

use serde::Serialize;

use crate::PipelineError;
use crate::image::Rgb8;
use crate::ocr::{PpOcr, TextLine};

/// The granted character as the recogniser's second choice with at least this probability makes
/// a differing character a possible misreading.
const GRANTED_AS_ALTERNATIVE: f32 = 0.01;

/// What the name bands read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NameCheck {
    /// The template's name as read.
    pub granted: String,
    /// The impression's name as read.
    pub read: String,
    /// Characters read differently, each sure on both sides.
    pub differing: Vec<NameDifference>,
    /// Characters read differently but not surely (a low confidence on either side, or the granted
    /// character as the recogniser's second choice): evidence for a reviewer, not a finding.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub doubted: Vec<NameDifference>,
    /// Every character but the differing ones read the same as the template's: none added,
    /// dropped or doubted. A reading of worn ink or of text crossing the seal rarely is; a
    /// look-alike with one character changed often is (see [`NameCheck::surely_another`]).
    pub clean: bool,
    /// For a label: the purpose it names when it is not the granted seal's (see [`compare_labels`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_purpose: Option<NameDifference>,
}

/// One character of the name read differently.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NameDifference {
    pub granted: String,
    pub read: String,
    /// The recogniser's confidence in the impression's character.
    pub confidence: f32,
    /// Where the impression's character's centre lies along the strip, as a share of its length
    /// (0 = start; for a name band, a direction on the seal: see [`crate::seal::ring_strip`]).
    pub at: f32,
}

/// Read a name strip with PP-OCR's recogniser (the whole strip is one line).
pub fn read_name(ppocr: &PpOcr, strip: &Rgb8) -> Result<Option<TextLine>, PipelineError> {
    let (w, h) = (strip.width() as f32, strip.height() as f32);
    let quad = [[0.0, 0.0], [w, 0.0], [w, h], [0.0, h]];
    Ok(ppocr.recognise_each(strip, &[quad])?.into_iter().next())
}

/// Align the impression's reading with the template's (edit distance over characters) and keep
/// the substitutions sure on both sides. `None` when either reading has no per-character detail.
pub fn compare_names(granted: &TextLine, read: &TextLine, min_confidence: f32) -> Option<NameCheck> {
    let (g, r) = (&granted.glyphs, &read.glyphs);
    if g.is_empty() || r.is_empty() {
        return None;
    }
    let (n, m) = (r.len(), g.len());
    let cost = |i: usize, j: usize| usize::from(r.get(i).map(|x| &x.text) != g.get(j).map(|x| &x.text));
    // d[i][j]: edit distance between the first i read and the first j granted characters.
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        if let Some(v) = row.first_mut() {
            *v = i;
        }
    }
    if let Some(first) = d.first_mut() {
        for (j, v) in first.iter_mut().enumerate() {
            *v = j;
        }
    }
    for i in 1..=n {
        for j in 1..=m {
            let sub = d[i - 1][j - 1] + cost(i - 1, j - 1);
            d[i][j] = sub.min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
        }
    }
    let (mut differing, mut doubted) = (Vec::new(), Vec::new());
    let (mut i, mut j) = (n, m);
    while i > 0 && j > 0 {
        if d[i][j] == d[i - 1][j - 1] + cost(i - 1, j - 1) {
            if let (Some(x), Some(y)) = (r.get(i - 1), g.get(j - 1))
                && x.text != y.text
            {
                let sure = x.confidence >= min_confidence
                    && y.confidence >= min_confidence
                    && !(x.alternative == y.text && x.alternative_p >= GRANTED_AS_ALTERNATIVE);
                let d = NameDifference {
                    granted: y.text.clone(),
                    read: x.text.clone(),
                    confidence: x.confidence,
                    at: 0.5 * (x.start + x.end),
                };
                if sure { differing.push(d) } else { doubted.push(d) }
            }
            (i, j) = (i - 1, j - 1);
        } else if d[i][j] == d[i - 1][j] + 1 {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    differing.reverse();
    doubted.reverse();
    // Only substitutions (the edit distance is their number) and none of them doubted.
    let clean = n == m && doubted.is_empty() && d[n][m] == differing.len();
    Some(NameCheck {
        granted: granted.text.clone(),
        read: read.text.clone(),
        differing,
        doubted,
        clean,
        other_purpose: None,
    })
}

impl NameCheck {
    /// The characters of another seal's name: read [`clean`](NameCheck::clean)ly, with at least
    /// one character read differently at `min_confidence` or more. `None` otherwise.
    pub fn surely_another(&self, min_confidence: f32) -> Option<&NameDifference> {
        if !self.clean {
            return None;
        }
        self.differing
            .iter()
            .filter(|d| d.confidence >= min_confidence)
            .max_by(|a, b| a.confidence.total_cmp(&b.confidence))
    }
}

/// Purposes a seal's label names before 专用章 (合同专用章 for contracts, 财务专用章 for finance, ...).
const PURPOSES: [&str; 12] =
    ["合同", "财务", "发票", "人事", "业务", "报关", "税务", "质检", "法人", "行政", "销售", "采购"];

/// The purpose a label names, as read: the first of `PURPOSES` in `text`.
pub fn label_purpose(text: &str) -> Option<&'static str> {
    PURPOSES.iter().filter_map(|p| text.find(p).map(|at| (at, *p))).min_by_key(|(at, _)| *at).map(|(_, p)| p)
}

/// Whether `read` is, at `slot` (0-based character position) of a purpose, that purpose's
/// character for a purpose other than `granted` and not `granted`'s own there: 务 at slot 1 for a
/// contract seal's 合同 (财务, 业务, 税务 have it), not 同.
pub fn another_purposes_character(granted: &str, slot: usize, read: &str) -> bool {
    let at = |p: &str| p.chars().nth(slot);
    let Some(own) = at(granted) else { return false };
    let mut chars = read.chars();
    let (Some(r), None) = (chars.next(), chars.next()) else { return false };
    r != own && PURPOSES.iter().any(|p| *p != granted && at(p) == Some(r))
}

/// The label read on an impression against the template's, character by character as
/// [`compare_names`] does; and when both readings name a purpose (see [`label_purpose`]) and they
/// differ, that purpose as `other_purpose` whatever the characters' confidence: a misreading of
/// worn ink gives odd characters, not another word of a handful (a finance seal, 财务专用章, where
/// the contract seal was granted reads 财务 where the template reads 合同). The characters of
/// the purpose are then no longer listed one by one. `None` as for names.
pub fn compare_labels(granted: &TextLine, read: &TextLine, min_confidence: f32) -> Option<NameCheck> {
    let mut check = compare_names(granted, read, min_confidence)?;
    if let (Some(want), Some(got)) = (label_purpose(&granted.text), label_purpose(&read.text))
        && want != got
    {
        // The least confident of the read purpose's characters.
        let start = read.text.find(got).map_or(0, |at| read.text.get(..at).map_or(0, |s| s.chars().count()));
        let n = got.chars().count();
        let purpose = || read.glyphs.iter().skip(start).take(n);
        let confidence = purpose().map(|g| g.confidence).fold(f32::INFINITY, f32::min).min(1.0);
        let at = match (purpose().next(), purpose().next_back()) {
            (Some(first), Some(last)) => 0.5 * (first.start + last.end),
            _ => 0.5,
        };
        check.differing.retain(|d| !want.contains(d.granted.as_str()));
        check.doubted.retain(|d| !want.contains(d.granted.as_str()));
        // Its characters are no longer listed: the reading is not clean (see NameCheck::clean).
        check.clean = false;
        let confidence = if confidence.is_finite() { confidence } else { read.confidence };
        check.other_purpose = Some(NameDifference { granted: want.into(), read: got.into(), confidence, at });
    }
    Some(check)
}

/// Test seals: the contract seal of `granted` (seed 41) registered as a template with its name read,
/// and that seal's design with `company` for its name stamped on a page, turned 25 degrees; what
/// the template comparison finds and its name read against the template's (at 0.99).
#[cfg(test)]
pub(crate) fn stamped_look_alike(
    ocr: &PpOcr,
    granted: &str,
    company: &str,
) -> (crate::seal::TemplateMatch, crate::seal::SealShape, NameCheck) {
    use crate::seal::testutil::{blank_page, seal_params, stamp_on, to_rgb8};
    use crate::seal::{SealConfig, SealTemplate, impressions_on, ring_strip, segment_page};
    let cfg = SealConfig::default();
    let mut image = blank_page(420, 420);
    stamp_on(&mut image, &seal_params(41, granted, "合同专用章", [210.0, 210.0], 0.0));
    let template = SealTemplate::from_image(&to_rgb8(&image), &cfg).expect("template");
    let strip = template.name_strip().expect("a round template has a name strip");
    let name = read_name(ocr, strip).expect("read").expect("a line");
    let mut page = blank_page(1240, 1754);
    stamp_on(&mut page, &seal_params(41, company, "合同专用章", [600.0, 900.0], 25.0));
    let page = to_rgb8(&page);
    let layers = segment_page(&page, &cfg).expect("layers");
    let found = impressions_on(&layers, &cfg);
    let m = template.compare(&page, &found[0], &cfg).expect("compared");
    let strip = ring_strip(&layers, &found[0].shape, 90.0 + f64::from(m.rotation_deg)).expect("strip");
    let read = read_name(ocr, &strip).expect("read").expect("a line");
    let c = compare_names(&name, &read, 0.99).expect("compared");
    (m, found[0].shape, c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::Glyph;

    /// A line of `chars` (text, confidence, alternative, its probability), each an equal share long.
    fn line(chars: &[(&str, f32, &str, f32)]) -> TextLine {
        let share = 1.0 / chars.len().max(1) as f32;
        TextLine {
            text: chars.iter().map(|c| c.0).collect(),
            polygon: [[0.0; 2]; 4],
            confidence: 1.0,
            glyphs: chars
                .iter()
                .enumerate()
                .map(|(i, &(t, p, alt, alt_p))| Glyph {
                    text: t.into(),
                    confidence: p,
                    start: i as f32 * share,
                    end: (i + 1) as f32 * share,
                    alternative: alt.into(),
                    alternative_p: alt_p,
                })
                .collect(),
        }
    }

    fn sure(text: &str) -> TextLine {
        let chars: Vec<String> = text.chars().map(String::from).collect();
        let v: Vec<(&str, f32, &str, f32)> = chars.iter().map(|c| (c.as_str(), 0.9999, "", 0.0)).collect();
        line(&v)
    }

    #[test]
    fn a_surely_read_other_character_differs() {
        let granted = sure("杭州华信贸易有限公司");
        let read = line(&[
            ("杭", 0.99, "", 0.0),
            ("州", 0.98, "", 0.0),
            ("华", 0.97, "", 0.0),
            ("信", 0.999, "", 0.0),
            ("货", 0.999, "贸", 0.0005),
            ("易", 0.999, "", 0.0),
            ("有", 0.999, "", 0.0),
            ("公", 0.999, "", 0.0),
            ("司", 0.999, "", 0.0),
        ]);
        let c = compare_names(&granted, &read, 0.99).expect("compared");
        assert_eq!(
            c.differing,
            vec![NameDifference { granted: "贸".into(), read: "货".into(), confidence: 0.999, at: 0.5 }],
            "a lost character (限) is not a difference"
        );
        assert!(!c.clean && c.surely_another(0.99).is_none(), "a character was lost: {c:?}");
        // Every other character read the same: clean, and surely another name from 0.999.
        let c = compare_names(&granted, &sure("杭州华信货易有限公司"), 0.99).expect("compared");
        assert!(c.clean, "{c:?}");
        assert_eq!(c.surely_another(0.999).map(|d| d.read.as_str()), Some("货"));
        assert!(c.surely_another(0.99995).is_none(), "below the confidence asked for");
        let same = compare_names(&granted, &granted, 0.99).expect("same");
        assert!(same.clean && same.surely_another(0.0).is_none(), "nothing differs: {same:?}");
    }

    #[test]
    fn doubtful_characters_do_not_differ() {
        let granted = sure("上海嘉禾食品有限公司");
        // Misread with low confidence, or with the granted character as the second choice.
        let read = line(&[
            ("上", 0.999, "", 0.0),
            ("樓", 0.76, "機", 0.16),
            ("嘉", 0.999, "", 0.0),
            ("禾", 0.999, "", 0.0),
            ("食", 0.999, "", 0.0),
            ("晶", 0.995, "品", 0.02),
            ("有", 0.999, "", 0.0),
            ("限", 0.999, "", 0.0),
            ("公", 0.999, "", 0.0),
            ("司", 0.999, "", 0.0),
        ]);
        let c = compare_names(&granted, &read, 0.99).expect("compared");
        assert!(c.differing.is_empty() && !c.clean && c.surely_another(0.0).is_none(), "{c:?}");
        assert!(compare_names(&granted, &sure("上海嘉禾食品有限公司"), 0.99).expect("same").differing.is_empty());
        let empty = line(&[]);
        assert!(compare_names(&granted, &empty, 0.99).is_none());
        assert!(compare_names(&empty, &granted, 0.99).is_none());
    }

    #[test]
    fn a_character_of_another_purpose_at_its_place() {
        assert!(another_purposes_character("合同", 1, "务"));
        assert!(another_purposes_character("财务", 0, "合"));
        assert!(another_purposes_character("合同", 0, "财"));
        // The granted purpose's own character, one of no purpose, or at another place: no.
        assert!(!another_purposes_character("合同", 1, "同"));
        assert!(!another_purposes_character("合同", 1, "周"));
        assert!(!another_purposes_character("合同", 0, "务"));
        // 务 ends 财务, 业务 and 税务 alike: not another purpose's for any of them.
        assert!(!another_purposes_character("财务", 1, "务"));
        assert!(!another_purposes_character("合同", 2, "专"));
        assert!(!another_purposes_character("合同", 0, "财务"));
        assert!(!another_purposes_character("合同", 0, ""));
    }

    #[test]
    fn a_label_naming_another_purpose_differs_however_sure() {
        assert_eq!(label_purpose("合同专用章"), Some("合同"));
        assert_eq!(label_purpose("财务专用"), Some("财务"));
        assert_eq!(label_purpose("5寺用章"), None);
        let granted = sure("合同专用章");
        let read = line(&[
            ("财", 0.93, "", 0.0),
            ("务", 0.97, "", 0.0),
            ("专", 0.999, "", 0.0),
            ("用", 0.999, "", 0.0),
            ("章", 0.999, "", 0.0),
        ]);
        let c = compare_labels(&granted, &read, 0.99).expect("compared");
        assert_eq!(
            c.other_purpose,
            Some(NameDifference { granted: "合同".into(), read: "财务".into(), confidence: 0.93, at: 0.2 })
        );
        assert!(c.differing.is_empty() && c.doubted.is_empty() && !c.clean, "{c:?}");
        // Worn ink read as odd characters is not another purpose.
        let worn = line(&[("合", 0.9, "", 0.0), ("雙", 0.5, "同", 0.3), ("利", 0.6, "", 0.0), ("德", 0.4, "", 0.0)]);
        let c = compare_labels(&granted, &worn, 0.99).expect("compared");
        assert!(c.other_purpose.is_none() && c.differing.is_empty() && !c.doubted.is_empty(), "{c:?}");
        let same = compare_labels(&granted, &sure("合同专用章"), 0.99).expect("same");
        assert!(same.other_purpose.is_none() && same.differing.is_empty());
    }

    /// Real recogniser on generated seals: the granted seal's name reads as the template's, a
    /// look-alike's changed character (贸 -> 货) reads differently.
    #[test]
    fn a_one_character_look_alike_reads_differently_and_the_granted_seal_does_not() {
        use crate::ocr::PpOcrConfig;
        let runtime = sealgate_models::Runtime::global().expect("ONNX Runtime installed");
        let ocr = PpOcr::new(runtime, PpOcrConfig::default()).expect("PP-OCR models installed");
        let granted = "杭州卓越贸易有限公司";
        for (company, want) in [(granted, None), ("杭州卓越货易有限公司", Some(("贸", "货")))] {
            let (_, _, c) = stamped_look_alike(&ocr, granted, company);
            let got: Vec<(&str, &str)> = c.differing.iter().map(|d| (d.granted.as_str(), d.read.as_str())).collect();
            assert_eq!(got, want.into_iter().collect::<Vec<_>>(), "{company}: {c:?}");
            // Read cleanly, every other character as the template's: surely another name.
            let sure = c.surely_another(crate::inspect::InspectConfig::default().min_name_wrong_confidence);
            assert_eq!(sure.map(|d| d.read.as_str()), want.map(|w| w.1), "{company}: {c:?}");
        }
    }
}
