//! Everything found on one photo of a stamped page: the page normalised with its colours kept, read,
//! checked for blankness (seal ink excluded), compared with the approved original (which page it is,
//! if any), and its seal impressions found, fitted and compared with the granted seal's template.
//! Findings become flags in [`super::report`](mod@super::report); nothing here decides for the session.

use std::time::{Duration, Instant};

use serde::Serialize;

use super::config::InspectConfig;
use super::seal_name::{NameCheck, compare_labels, compare_names, read_name};
use super::session::PageIdentity;
use crate::PipelineError;
use crate::blank::{BlankEvidence, assess_blank, print_depth};
use crate::compare::reread::Photo;
use crate::compare::text_path::compare_reading;
use crate::compare::{ApprovedOriginal, CompareConfig, Comparison};
use crate::image::{Homography, Rgb8};
use crate::ocr::{OcrEngine, PpOcr, TextLine, text_of};
use crate::page::{PageConfig, PageOutcome, PageReading, SealInks, read_upright, suppress_seal_ink, upright_page};
use crate::seal::{
    Impression, InkClass, InkLayers, SealTemplate, TemplateMatch, impressions_on, ring_strip, segment_page,
};

/// Least share of the ink in a line's box that is seal-coloured for the line to be the seal's own
/// text (see [`seal_text_lines`]; seal labels read on the held-out set: 0.69-1.0).
const SEAL_TEXT_MIN_SHARE: f64 = 0.5;
/// Most letters in a seal's label as read (合同专用章 is 5; room for a misread or split one).
const SEAL_LABEL_MAX_CHARS: usize = 8;
/// Normalised radius of the impression's outline within which every corner of a line's box must
/// lie for the line to be the seal's own text: a detector's box reaches a little past the strokes,
/// and the label or name runs close to the ring (boxes reached 1.04 on the calibration set).
const SEAL_TEXT_MAX_RHO: f64 = 1.1;
/// Least share of a line's letters found in the granted seal's name (as read on its template) for
/// a seal-coloured line inside an impression to be the seal's name band read as a line.
const SEAL_NAME_MIN_SHARE: f64 = 0.8;
/// A piece of the name band read as a line is boxed along the chord of its arc: the box's centre
/// lies inside the outline and its corners up to this normalised radius (1.25 on the calibration
/// set) past it.
const SEAL_NAME_MAX_RHO: f64 = 1.3;
/// Least share of seal-coloured ink in such a line's box: the page's own line of the party's name
/// (the same letters) lies under the seal too, and black text crossed by a seal reached 0.64.
const SEAL_NAME_MIN_COLOUR: f64 = 0.8;

/// One impression on the photo and what is known about it.
#[derive(Debug, Clone, Serialize)]
pub struct ImpressionCheck {
    pub impression: Impression,
    /// Comparison with the granted seal's template, when one was given.
    pub template: Option<TemplateMatch>,
    /// The impression's box on the photo (TL, TR, BR, BL), photo pixels.
    #[serde(rename = "box")]
    pub photo_box: [[f32; 2]; 4],
    /// No text read under or beside it: stamped on an empty part of the page.
    pub on_blank_area: bool,
    /// Its centre lies outside the region the application expects (when it names one).
    pub outside_region: bool,
    /// The seal's name read on it and on the template, when both are round and were read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<NameCheck>,
    /// The seal's label (合同专用章) read on it and on the template, when the template has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<NameCheck>,
}

/// The readers and settings a photo is checked with.
pub struct Checker<'a> {
    pub page: &'a PageConfig,
    pub ppocr: &'a PpOcr,
    /// Another engine to read with instead of PP-OCR.
    pub engine: Option<&'a dyn OcrEngine>,
    pub compare: &'a CompareConfig,
    pub inspect: &'a InspectConfig,
}

/// Wall time of each part of the checks of one photo.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct CheckTimings {
    /// Sheet, warp, lighting, orientation (the detector runs here).
    pub normalise: Duration,
    /// Recognition, then comparison with the original (re-reading included).
    pub read: Duration,
    pub compare: Duration,
    /// The post-stamp checks themselves: impressions, template, blank page.
    pub checks: Duration,
}

/// What one photo showed.
#[derive(Debug, Clone, Serialize)]
pub struct PhotoChecks {
    /// A sheet of paper was found in the photo.
    pub page_found: bool,
    pub blank: Option<BlankEvidence>,
    pub identity: PageIdentity,
    /// The comparison with the approved original (absent for a blank page or no page).
    pub comparison: Option<Comparison>,
    pub impressions: Vec<ImpressionCheck>,
    /// Letters and digits read on the page.
    pub text_chars: usize,
    /// The sheet's corners on the photo, to box page-level findings.
    pub sheet: Option<[[f32; 2]; 4]>,
    pub timings: CheckTimings,
}

impl PhotoChecks {
    fn no_page(elapsed: Duration) -> PhotoChecks {
        PhotoChecks {
            page_found: false,
            blank: None,
            identity: PageIdentity::unidentified(),
            comparison: None,
            impressions: Vec::new(),
            text_chars: 0,
            sheet: None,
            timings: CheckTimings { normalise: elapsed, ..CheckTimings::default() },
        }
    }
}

/// Check one photo of a stamped page against `original`, the granted seal's `template` and the
/// expected impression `region` (`[x0, y0, x1, y1]`, approved-page pixels).
pub fn check_photo(
    photo: &Rgb8,
    original: &ApprovedOriginal,
    template: Option<&SealTemplate>,
    region: Option<[f32; 4]>,
    checker: &Checker,
) -> Result<PhotoChecks, PipelineError> {
    let t = Instant::now();
    // Stamped pages carry blue and purple seals too: their text must not be read as the page's.
    let page_cfg = PageConfig { keep_colour: true, seal_inks: SealInks::RedBluePurple, ..checker.page.clone() };
    let page = match upright_page(photo, &page_cfg, checker.ppocr)? {
        PageOutcome::Page(p) => p,
        PageOutcome::NoPage(_) => return Ok(PhotoChecks::no_page(t.elapsed())),
    };
    let normalise = t.elapsed();
    let t = Instant::now();
    let reading = read_upright(&page, checker.ppocr, checker.engine)?;
    let read = t.elapsed();
    let colour = page.colour.as_ref().unwrap_or(&page.image);

    let t = Instant::now();
    let StampFindings { mut blank, mut impressions, mut seal_text, seal_coloured, name_strips, label_strips } =
        stamp_checks(colour, &reading, &page.page_to_photo, template, region, checker.inspect)?;
    let checks = t.elapsed();
    let granted = read_names(&mut impressions, name_strips, template, !seal_coloured.is_empty(), checker)?;
    read_labels(&mut impressions, label_strips, template, checker)?;
    if let Some(name) = granted {
        seal_text.extend(seal_name_lines(&reading, &seal_coloured, &name.text));
    }
    // The seal's own label and name are not the page's text: compared, they would read as
    // inserted lines.
    let mut reading = reading;
    drop_lines(&mut reading, &seal_text);
    let text_chars = reading.text.chars().filter(|c| c.is_alphanumeric()).count();

    let t = Instant::now();
    let compared = || -> Result<Comparison, PipelineError> {
        let mut faded = photo.clone();
        suppress_seal_ink(&mut faded, page_cfg.seal_inks);
        let rereader =
            Photo { image: &faded, page_to_photo: &page.page_to_photo, ppocr: checker.ppocr, engine: checker.engine };
        // Every stamped page has a seal on it, often over the signature block's names and dates:
        // a change there that reads the same again with the seal faded is a change.
        let compare =
            CompareConfig { confirm_under_seal: true, keep_repeated_changes: true, ..checker.compare.clone() };
        compare_reading(original, &reading, Some(&rereader), &compare)
    };
    // A page called blank is still compared when the OCR read text on it. A short approved page (a
    // signature page: the company's name and a date in the top band, under the seal) scores blank
    // and reads as that page (held-out 0083, 0579; seed 7 0068, 0247): it is that page, not blank
    // paper, when what was read is printed on it. The OCR reads show-through as well (held-out
    // blank 0097: 298 characters, no print), so a blank sheet laid over the approved page and
    // stamped reads as that page too; its lines are too shallow to be print, and it stays blank
    // and unidentified. A near copy of the page (the company's name changed under the seal,
    // held-out 0219) stays blank and is named as a near copy. Any other comparison adds nothing to
    // the blank verdict, and one that fails leaves the page unidentified.
    let (identity, comparison) = if !blank.blank {
        let c = compared()?;
        (PageIdentity::of(&c), Some(c))
    } else if text_chars > 0 {
        match compared().map(|c| (PageIdentity::of(&c), c)) {
            Ok((identity, c)) if identity.page.is_some() => {
                let page_no = identity.page.map_or(0, |p| p + 1);
                match read_on_print(colour, &reading) {
                    Some(share) if share >= MIN_READ_ON_PRINT => {
                        blank.blank = false;
                        blank.reasons.push(format!(
                            "not blank paper: it reads as approved page {page_no}, and {:.0}% of the characters read are printed",
                            100.0 * share
                        ));
                        (identity, Some(c))
                    }
                    share => {
                        blank.reasons.push(format!(
                            "reads as approved page {page_no}, but {} of the characters read are printed (show-through?)",
                            share.map_or("none".into(), |s| format!("only {:.0}%", 100.0 * s))
                        ));
                        (PageIdentity::unidentified(), None)
                    }
                }
            }
            Ok((identity, c)) if identity.near_copy_of.is_some() => (identity, Some(c)),
            Ok(_) => (PageIdentity::unidentified(), None),
            Err(e) => {
                tracing::warn!(error = %e, "comparing a blank page with the approved original failed");
                (PageIdentity::unidentified(), None)
            }
        }
    } else {
        (PageIdentity::unidentified(), None)
    };
    let compare = t.elapsed();
    Ok(PhotoChecks {
        page_found: true,
        blank: Some(blank),
        identity,
        comparison,
        impressions,
        text_chars,
        sheet: Some(reading.sheet_corners),
        timings: CheckTimings { normalise, read, compare, checks },
    })
}

/// What the post-stamp checks found on one page.
#[derive(Debug, Clone)]
pub struct StampFindings {
    pub blank: BlankEvidence,
    pub impressions: Vec<ImpressionCheck>,
    /// Indices of the lines read that a found seal printed itself (its label; see
    /// `seal_text_lines`). They are not the page's text: left out of the blank check's text count,
    /// and to be left out of the comparison.
    pub seal_text: Vec<usize>,
    /// Other lines inside an impression and mostly seal-coloured: the seal's name band when their
    /// letters are its name's (see `seal_name_lines`, once the template's name is read).
    pub seal_coloured: Vec<usize>,
    /// For each impression, its name band unrolled (see [`crate::seal::ring_strip`]) when it and
    /// the template are round and it is whole: to be read by a text recogniser.
    pub name_strips: Vec<Option<Rgb8>>,
    /// For each impression, its label cut out (see [`crate::seal::label_strip`]) when the template
    /// has one and the impression is whole.
    pub label_strips: Vec<Option<Rgb8>>,
}

/// The post-stamp checks proper, on the upright page in colour and what was read on it: impressions
/// found and fitted, each compared with `template`, placed against the text and the expected
/// `region`; the lines the seals printed told apart; the page assessed for blankness with the seal
/// ink and its text left out. This is the part measured by `cargo bench -p sealgate-benches --bench
/// inspect` (decoding, normalisation and OCR excluded).
pub fn stamp_checks(
    colour: &Rgb8,
    reading: &PageReading,
    page_to_photo: &Homography,
    template: Option<&SealTemplate>,
    region: Option<[f32; 4]>,
    cfg: &InspectConfig,
) -> Result<StampFindings, PipelineError> {
    let layers = segment_page(colour, &cfg.seal)?;
    let found = impressions_on(&layers, &cfg.seal);
    let (seal_text, seal_coloured) = seal_text_lines(reading, &found, &layers);
    let text_chars: usize = reading
        .lines
        .iter()
        .enumerate()
        .filter(|(i, _)| !seal_text.contains(i))
        .map(|(_, l)| l.text.chars().filter(|c| c.is_alphanumeric()).count())
        .sum();
    let seal_boxes: Vec<[f32; 4]> = found.iter().map(|i| i.bbox).collect();
    let blank = assess_blank(colour, text_chars, &seal_boxes, &cfg.blank)?;
    let mut impressions = Vec::with_capacity(found.len());
    let mut name_strips = Vec::with_capacity(found.len());
    let mut label_strips = Vec::with_capacity(found.len());
    for impression in found {
        let matched = template.map(|t| t.compare(colour, &impression, &cfg.seal)).transpose()?;
        // The name band from the impression's bottom as the comparison turned it (the template's
        // is upright), when the template has one.
        name_strips.push(match (template.and_then(SealTemplate::name_strip), &matched) {
            (Some(_), Some(m)) if !m.outline_differs && !impression.partial => {
                ring_strip(&layers, &impression.shape, 90.0 + f64::from(m.rotation_deg))
            }
            _ => None,
        });
        label_strips.push(match (template, &matched) {
            (Some(t), Some(m)) if !impression.partial => t.impression_label(&layers, &impression, m),
            _ => None,
        });
        impressions.push(ImpressionCheck {
            photo_box: to_photo(&impression.bbox, page_to_photo),
            on_blank_area: !blank.blank && on_blank_area(&impression.bbox, reading, &seal_text),
            outside_region: region.is_some_and(|r| !contains(r, impression.shape.centre())),
            template: matched,
            name: None,
            label: None,
            impression,
        });
    }
    Ok(StampFindings { blank, impressions, seal_text, seal_coloured, name_strips, label_strips })
}

/// The lines of `reading` printed by one of the `found` seals: every corner within
/// [`SEAL_TEXT_MAX_RHO`] of its outline, the text a seal's label (see [`looks_like_seal_label`]),
/// and at least [`SEAL_TEXT_MIN_SHARE`] of the ink in the line's box seal-coloured. Black text
/// fully inside a seal (a date, 甲方（盖章）) is never taken: on the held-out set its share reached
/// 0.64 with the seal's strokes crossing it, so the colour alone does not tell them apart, and
/// dropping a date would hide a change to it.
///
/// Returns those labels, and the other lines inside an impression with at least
/// [`SEAL_NAME_MIN_COLOUR`] of their ink seal-coloured, for [`seal_name_lines`].
fn seal_text_lines(reading: &PageReading, found: &[Impression], layers: &InkLayers) -> (Vec<usize>, Vec<usize>) {
    let (mut labels, mut others) = (Vec::new(), Vec::new());
    for (i, line) in reading.lines.iter().enumerate() {
        let within = |imp: &Impression, max_rho: f64| line.polygon.iter().all(|&p| imp.rho(p) <= max_rho);
        let centre = line.polygon.iter().fold([0.0f32; 2], |a, p| [a[0] + p[0] / 4.0, a[1] + p[1] / 4.0]);
        let label_inside = found.iter().any(|imp| within(imp, SEAL_TEXT_MAX_RHO));
        let arc_inside = found.iter().any(|imp| imp.rho(centre) <= 1.0 && within(imp, SEAL_NAME_MAX_RHO));
        if !arc_inside && !label_inside {
            continue;
        }
        let n = layers.counts_in(crate::image::quad_bounds(&line.polygon));
        let seal = n[InkClass::Red as usize] + n[InkClass::Blue as usize] + n[InkClass::Purple as usize];
        let ink = seal + n[InkClass::Dark as usize];
        let share = if ink > 0 { seal as f64 / ink as f64 } else { 0.0 };
        if label_inside && share >= SEAL_TEXT_MIN_SHARE && looks_like_seal_label(&line.text) {
            labels.push(i);
        } else if arc_inside && share >= SEAL_NAME_MIN_COLOUR {
            others.push(i);
        }
    }
    (labels, others)
}

/// Of the `candidates` (lines inside an impression, their ink seal-coloured), those whose letters are
/// nearly all letters of the granted seal's `name` as read on its template: a piece of the name
/// band read as a line (盛贸易股份, 公司) where the approved page has none. Were a page line of the
/// party's name under the seal taken so, the approved page's line would show as missing under a
/// seal, which is reviewed (or, read again with the seal faded, confirmed), never passed.
fn seal_name_lines(reading: &PageReading, candidates: &[usize], name: &str) -> Vec<usize> {
    let name: Vec<char> = name.chars().filter(|c| c.is_alphanumeric()).collect();
    candidates
        .iter()
        .copied()
        .filter(|&i| {
            let Some(line) = reading.lines.get(i) else { return false };
            let chars: Vec<char> = line.text.chars().filter(|c| c.is_alphanumeric()).collect();
            let in_name = chars.iter().filter(|c| name.contains(c)).count();
            chars.len() >= 2 && in_name as f64 >= SEAL_NAME_MIN_SHARE * chars.len() as f64
        })
        .collect()
}

/// A seal's label as OCR reads it: a few characters with at least two of 专用章 (合同专用章,
/// 财务专用章, 发票专用章; misread ones such as 金同专用章 or 专用章合同 too). 甲方（盖章） and
/// other page text with 章 alone are not.
fn looks_like_seal_label(text: &str) -> bool {
    let chars: Vec<char> = text.chars().filter(|c| c.is_alphanumeric()).collect();
    let marks = ['专', '用', '章'].iter().filter(|m| chars.contains(m)).count();
    chars.len() <= SEAL_LABEL_MAX_CHARS && marks >= 2
}

/// Read the seal's name on the template and on every impression whose name band was unrolled
/// (`strips`, one per impression), and compare them (see [`super::seal_name`]). The template's
/// reading is returned; it is read only when an impression's band is to be compared with it or
/// `wanted` (lines that may be pieces of the name wait for it).
fn read_names(
    impressions: &mut [ImpressionCheck],
    strips: Vec<Option<Rgb8>>,
    template: Option<&SealTemplate>,
    wanted: bool,
    checker: &Checker,
) -> Result<Option<TextLine>, PipelineError> {
    let Some(strip) = template.and_then(SealTemplate::name_strip) else { return Ok(None) };
    if !wanted && strips.iter().all(Option::is_none) {
        return Ok(None);
    }
    let Some(granted) = read_name(checker.ppocr, strip)? else { return Ok(None) };
    for (imp, strip) in impressions.iter_mut().zip(strips) {
        let Some(strip) = strip else { continue };
        if let Some(read) = read_name(checker.ppocr, &strip)? {
            imp.name = compare_names(&granted, &read, checker.inspect.min_name_confidence);
        }
    }
    Ok(Some(granted))
}

/// Read the seal's label on the template and on every impression it was cut from (`strips`, one
/// per impression), and compare them as the names are.
fn read_labels(
    impressions: &mut [ImpressionCheck],
    strips: Vec<Option<Rgb8>>,
    template: Option<&SealTemplate>,
    checker: &Checker,
) -> Result<(), PipelineError> {
    let Some(strip) = template.and_then(SealTemplate::label_strip) else { return Ok(()) };
    if strips.iter().all(Option::is_none) {
        return Ok(());
    }
    let Some(granted) = read_name(checker.ppocr, strip)? else { return Ok(()) };
    for (imp, strip) in impressions.iter_mut().zip(strips) {
        let Some(strip) = strip else { continue };
        if let Some(read) = read_name(checker.ppocr, &strip)? {
            imp.label = compare_labels(&granted, &read, checker.inspect.min_name_confidence);
        }
    }
    Ok(())
}

/// Remove the lines at `indices` from `reading` (their photo polygons too) and rebuild its text.
fn drop_lines(reading: &mut PageReading, indices: &[usize]) {
    if indices.is_empty() {
        return;
    }
    let keep = |i: usize| !indices.contains(&i);
    let lines = std::mem::take(&mut reading.lines);
    reading.lines = lines.into_iter().enumerate().filter(|&(i, _)| keep(i)).map(|(_, l)| l).collect();
    let polygons = std::mem::take(&mut reading.photo_polygons);
    reading.photo_polygons = polygons.into_iter().enumerate().filter(|&(i, _)| keep(i)).map(|(_, p)| p).collect();
    reading.text = text_of(&reading.lines);
}

/// Least share of the characters read on a page scored blank that must be printed (see
/// [`read_on_print`]) for the page to be taken as the approved page it reads as. The short approved
/// pages that score blank: 85-100% (the rest a seal's own name misread as a line); a blank sheet
/// over them: none, and 60% in a test that keeps the print's darkness wherever seal ink lies on it
/// (tests/inspect.rs; the page under the sheet shows through the seal as faintly as elsewhere).
const MIN_READ_ON_PRINT: f32 = 0.75;

/// Least [`print_depth`] of a line's box for its characters to be printed. Printed lines of the
/// short approved pages: 0.47 and deeper; a seal's name read as a line: 0.37; the pages' print
/// under a blank sheet (its darkness cut to 40%): 0.30 at most. Shallower lines are not
/// necessarily show-through (small print in a blurred photo measures 0.35): a short page whose print
/// is that shallow stays blank, for a reviewer.
const MIN_PRINT_DEPTH: f32 = 0.42;

/// Share of the characters read (`reading`, on the upright page `colour`) whose line is printed:
/// its box's [`print_depth`] at least [`MIN_PRINT_DEPTH`]. A line too small to judge is not
/// printed. `None` when no character was read.
fn read_on_print(colour: &Rgb8, reading: &PageReading) -> Option<f32> {
    let (mut total, mut printed) = (0usize, 0usize);
    for line in &reading.lines {
        let chars = line.text.chars().filter(|c| c.is_alphanumeric()).count();
        total += chars;
        let depth = print_depth(colour, crate::image::quad_bounds(&line.polygon));
        tracing::debug!(line = %line.text, ?depth, "print depth of a line read on a page scored blank");
        if depth.is_some_and(|d| d >= MIN_PRINT_DEPTH) {
            printed += chars;
        }
    }
    (total > 0).then(|| printed as f32 / total as f32)
}

/// `[x0, y0, x1, y1]` on the upright page as a quad on the photo.
fn to_photo(b: &[f32; 4], page_to_photo: &Homography) -> [[f32; 2]; 4] {
    [[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]]]
        .map(|p| page_to_photo.apply(p[0], p[1]).map_or([f32::NAN; 2], |(x, y)| [x, y]))
}

fn contains(r: [f32; 4], p: [f32; 2]) -> bool {
    p[0] >= r[0] && p[0] <= r[2] && p[1] >= r[1] && p[1] <= r[3]
}

/// No line read on the page (the seals' own text left out) overlaps the impression's box grown by
/// half its size: nothing written there or beside it (seals go over the 盖章 line or the signature
/// block, not on empty paper).
fn on_blank_area(bbox: &[f32; 4], reading: &PageReading, seal_text: &[usize]) -> bool {
    let (w, h) = (bbox[2] - bbox[0], bbox[3] - bbox[1]);
    let grown = [bbox[0] - w / 2.0, bbox[1] - h / 2.0, bbox[2] + w / 2.0, bbox[3] + h / 2.0];
    !reading.lines.iter().enumerate().filter(|(i, _)| !seal_text.contains(i)).any(|(_, l)| {
        let [x0, y0, x1, y1] = crate::image::quad_bounds(&l.polygon);
        x0 < grown[2] && grown[0] < x1 && y0 < grown[3] && grown[1] < y1
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::TextLine;
    use crate::seal::{SealConfig, segment_ink};

    fn reading(lines: &[(&str, [f32; 4])]) -> PageReading {
        let lines: Vec<TextLine> = lines
            .iter()
            .map(|&(text, b)| TextLine {
                text: text.into(),
                polygon: [[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]]],
                confidence: 0.99,
                glyphs: Vec::new(),
            })
            .collect();
        PageReading {
            rotation: 0,
            sheet_corners: [[0.0; 2]; 4],
            photo_polygons: lines.iter().map(|l| l.polygon).collect(),
            text: text_of(&lines),
            lines,
            page_size: (600, 600),
            page_timings: Default::default(),
            ocr_time: Duration::ZERO,
            engine: "test",
            page_to_photo: Homography([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]),
            red_ink: Default::default(),
        }
    }

    /// Characters on printed lines count, on shallow lines (show-through) they do not; a line off
    /// the page is not printed; nothing read is `None`.
    #[test]
    fn characters_read_on_print_are_counted_by_line() {
        let (w, h) = (600, 200);
        // Paper 235; a printed line of strokes at 30 in rows 20..50, show-through at 153 in rows
        // 100..130, every eighth column.
        let data = (0..w * h)
            .flat_map(|i| {
                let (x, y) = (i % w, i / w);
                match (x % 8 == 0, y) {
                    (true, 20..50) => [30; 3],
                    (true, 100..130) => [153; 3],
                    _ => [235; 3],
                }
            })
            .collect();
        let page = Rgb8::new(w, h, data).expect("shape");
        let printed = ("南京永盛新材料有限公司", [10.0, 15.0, 500.0, 55.0]);
        let shown = ("2026年12月4日", [10.0, 95.0, 300.0, 135.0]);
        let off = ("第2页", [700.0, 0.0, 800.0, 40.0]);
        assert_eq!(read_on_print(&page, &reading(&[printed])), Some(1.0));
        assert_eq!(read_on_print(&page, &reading(&[shown])), Some(0.0));
        assert_eq!(read_on_print(&page, &reading(&[printed, shown])), Some(11.0 / 21.0));
        assert_eq!(read_on_print(&page, &reading(&[printed, off])), Some(11.0 / 14.0));
        assert_eq!(read_on_print(&page, &reading(&[])), None);
        assert_eq!(read_on_print(&page, &reading(&[("- -", [10.0, 15.0, 500.0, 55.0])])), None);
    }

    fn circle(centre: [f32; 2], radius: f32) -> Impression {
        let shape = crate::seal::SealShape::Circle { centre, radius };
        Impression {
            shape,
            colour: crate::seal::InkColour::Red,
            bbox: shape.bbox(),
            ink_pixels: 0,
            completeness: 1.0,
            partial: false,
            double_struck: false,
            smudged: false,
            measures: Default::default(),
        }
    }

    /// A 600x600 page: a red label block at (250..350, 380..410), black text at (250..350, 200..230),
    /// both inside a seal of radius 150 at (300, 300); black text outside it at (20..200, 20..50).
    fn page() -> Rgb8 {
        let mut data = vec![250u8; 600 * 600 * 3];
        let mut fill = |b: [usize; 4], c: [u8; 3]| {
            for y in b[1]..b[3] {
                for x in (b[0]..b[2]).step_by(3) {
                    data[(y * 600 + x) * 3..(y * 600 + x) * 3 + 3].copy_from_slice(&c);
                }
            }
        };
        fill([250, 380, 350, 410], [210, 40, 50]);
        fill([250, 200, 350, 230], [20, 20, 24]);
        fill([20, 20, 200, 50], [20, 20, 24]);
        Rgb8::new(600, 600, data).expect("page")
    }

    #[test]
    fn the_seals_own_label_is_told_apart_from_page_text() {
        let page = page();
        let layers = segment_ink(&page, &SealConfig::default()).expect("layers");
        let r = reading(&[
            ("甲方（盖章）：", [20.0, 20.0, 200.0, 50.0]),
            ("2026年3月11日", [250.0, 200.0, 350.0, 230.0]),
            ("合同专用章", [250.0, 380.0, 350.0, 410.0]),
        ]);
        let seal = circle([300.0, 300.0], 150.0);
        assert_eq!(seal_text_lines(&r, std::slice::from_ref(&seal), &layers), (vec![2], vec![]));
        // No impression there: nothing is the seal's.
        assert_eq!(seal_text_lines(&r, &[], &layers), (vec![], vec![]));
        // A label-like text in black is page text.
        let black = reading(&[("合同专用章", [250.0, 200.0, 350.0, 230.0])]);
        assert_eq!(seal_text_lines(&black, std::slice::from_ref(&seal), &layers), (vec![], vec![]));
        // A box reaching a little past the outline (rho 1.05) is still inside; far past it, not.
        let small = circle([300.0, 300.0], 120.0);
        assert_eq!(seal_text_lines(&r, std::slice::from_ref(&small), &layers).0, vec![2]);
        assert_eq!(seal_text_lines(&r, &[circle([300.0, 300.0], 100.0)], &layers).0, Vec::<usize>::new());
    }

    #[test]
    fn pieces_of_the_seals_name_read_as_lines_are_the_seals() {
        let page = page();
        let layers = segment_ink(&page, &SealConfig::default()).expect("layers");
        let seal = circle([300.0, 300.0], 150.0);
        let name = "上海昌盛贸易股份有限公司";
        // Red, inside the seal: candidates; the name's letters make them the seal's.
        for (text, theirs) in
            [("盛贸易股份", true), ("公司", true), ("昌盛贸易股分", true), ("总价款叁万元", false), ("司", false)]
        {
            let r = reading(&[(text, [250.0, 380.0, 350.0, 410.0])]);
            let (labels, candidates) = seal_text_lines(&r, std::slice::from_ref(&seal), &layers);
            assert!(labels.is_empty() && candidates == [0], "{text}");
            assert_eq!(seal_name_lines(&r, &candidates, name) == [0], theirs, "{text}");
        }
        // Boxed along its arc's chord, the piece's corners lie past the outline (1.2): its centre
        // inside makes it a candidate; with its centre outside it is not.
        let r = reading(&[("盛贸易股份", [250.0, 380.0, 350.0, 410.0])]);
        assert_eq!(seal_text_lines(&r, &[circle([300.0, 300.0], 100.0)], &layers), (vec![], vec![0]));
        assert_eq!(seal_text_lines(&r, &[circle([300.0, 300.0], 90.0)], &layers), (vec![], vec![]));
        // The party's name in black under the seal is never a candidate.
        let black = reading(&[("上海昌盛贸易股份有限公司", [250.0, 200.0, 350.0, 230.0])]);
        assert_eq!(seal_text_lines(&black, std::slice::from_ref(&seal), &layers), (vec![], vec![]));
        assert!(seal_name_lines(&black, &[5], name).is_empty(), "an index out of range is nothing");
    }

    #[test]
    fn seal_labels_as_read() {
        for label in ["合同专用章", "财务专用章", "金同专用章", "专用章合同", "发票专用章"] {
            assert!(looks_like_seal_label(label), "{label}");
        }
        for text in ["甲方（盖章）：", "盖章", "", "本合同一式两份专用章具有同等效力", "2026年3月11日"]
        {
            assert!(!looks_like_seal_label(text), "{text}");
        }
    }

    #[test]
    fn dropped_lines_take_their_polygons_and_text_with_them() {
        let mut r =
            reading(&[("一", [0.0, 0.0, 1.0, 1.0]), ("二", [0.0, 2.0, 1.0, 3.0]), ("三", [0.0, 4.0, 1.0, 5.0])]);
        drop_lines(&mut r, &[1]);
        assert_eq!(r.text, "一\n三");
        assert_eq!(r.photo_polygons.len(), 2);
        assert_eq!(r.photo_polygons[1][0], [0.0, 4.0]);
        drop_lines(&mut r, &[]);
        assert_eq!(r.lines.len(), 2);
        drop_lines(&mut r, &[7]);
        assert_eq!(r.lines.len(), 2);
    }

    #[test]
    fn regions_contain_their_points_only() {
        let r = [100.0, 100.0, 300.0, 200.0];
        assert!(contains(r, [150.0, 150.0]));
        assert!(contains(r, [100.0, 200.0]));
        assert!(!contains(r, [99.0, 150.0]));
        assert!(!contains(r, [f32::NAN, 150.0]));
    }
}
