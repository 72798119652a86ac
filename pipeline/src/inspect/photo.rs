//! Everything found on one photo of a stamped page: the page normalised with its colours kept, read,
//! checked for blankness (seal ink excluded), compared with the approved original (which page it is,
//! if any), and its seal impressions found, fitted and compared with the granted seal's template.
//! Findings become flags in [`super::report`]; nothing here decides for the session.

use std::time::{Duration, Instant};

use serde::Serialize;

use super::config::InspectConfig;
use super::session::PageIdentity;
use crate::PipelineError;
use crate::blank::{BlankEvidence, assess_blank};
use crate::compare::reread::Photo;
use crate::compare::text_path::compare_reading;
use crate::compare::{ApprovedOriginal, CompareConfig, Comparison};
use crate::image::{Homography, Rgb8};
use crate::ocr::{OcrEngine, PpOcr};
use crate::page::{PageConfig, PageOutcome, PageReading, SealInks, read_upright, suppress_seal_ink, upright_page};
use crate::seal::{Impression, SealTemplate, TemplateMatch, find_impressions};

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
    let text_chars = reading.text.chars().filter(|c| c.is_alphanumeric()).count();
    let colour = page.colour.as_ref().unwrap_or(&page.image);

    let t = Instant::now();
    let (blank, impressions) = stamp_checks(colour, &reading, &page.page_to_photo, template, region, checker.inspect)?;
    let checks = t.elapsed();

    let t = Instant::now();
    let (identity, comparison) = if blank.blank {
        (PageIdentity::unidentified(), None)
    } else {
        let mut faded = photo.clone();
        suppress_seal_ink(&mut faded, page_cfg.seal_inks);
        let rereader =
            Photo { image: &faded, page_to_photo: &page.page_to_photo, ppocr: checker.ppocr, engine: checker.engine };
        let c = compare_reading(original, &reading, Some(&rereader), checker.compare)?;
        (PageIdentity::of(&c), Some(c))
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

/// The post-stamp checks proper, on the upright page in colour and what was read on it: impressions
/// found and fitted, each compared with `template`, placed against the text and the expected
/// `region`; the page assessed for blankness with the seal ink left out. This is the part measured by
/// `cargo bench -p sealgate-benches --bench inspect` (decoding, normalisation and OCR excluded).
pub fn stamp_checks(
    colour: &Rgb8,
    reading: &PageReading,
    page_to_photo: &Homography,
    template: Option<&SealTemplate>,
    region: Option<[f32; 4]>,
    cfg: &InspectConfig,
) -> Result<(BlankEvidence, Vec<ImpressionCheck>), PipelineError> {
    let text_chars = reading.text.chars().filter(|c| c.is_alphanumeric()).count();
    let found = find_impressions(colour, &cfg.seal)?;
    let seal_boxes: Vec<[f32; 4]> = found.iter().map(|i| i.bbox).collect();
    let blank = assess_blank(colour, text_chars, &seal_boxes, &cfg.blank)?;
    let mut impressions = Vec::with_capacity(found.len());
    for impression in found {
        let template = template.map(|t| t.compare(colour, &impression, &cfg.seal)).transpose()?;
        impressions.push(ImpressionCheck {
            photo_box: to_photo(&impression.bbox, page_to_photo),
            on_blank_area: !blank.blank && on_blank_area(&impression.bbox, reading),
            outside_region: region.is_some_and(|r| !contains(r, impression.shape.centre())),
            template,
            impression,
        });
    }
    Ok((blank, impressions))
}

/// `[x0, y0, x1, y1]` on the upright page as a quad on the photo.
fn to_photo(b: &[f32; 4], page_to_photo: &Homography) -> [[f32; 2]; 4] {
    [[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]]]
        .map(|p| page_to_photo.apply(p[0], p[1]).map_or([f32::NAN; 2], |(x, y)| [x, y]))
}

fn contains(r: [f32; 4], p: [f32; 2]) -> bool {
    p[0] >= r[0] && p[0] <= r[2] && p[1] >= r[1] && p[1] <= r[3]
}

/// No line read on the page overlaps the impression's box grown by half its size: nothing written
/// there or beside it (seals go over the 盖章 line or the signature block, not on empty paper).
fn on_blank_area(bbox: &[f32; 4], reading: &PageReading) -> bool {
    let (w, h) = (bbox[2] - bbox[0], bbox[3] - bbox[1]);
    let grown = [bbox[0] - w / 2.0, bbox[1] - h / 2.0, bbox[2] + w / 2.0, bbox[3] + h / 2.0];
    !reading.lines.iter().any(|l| {
        let [x0, y0, x1, y1] = crate::image::quad_bounds(&l.polygon);
        x0 < grown[2] && grown[0] < x1 && y0 < grown[3] && grown[1] < y1
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_contain_their_points_only() {
        let r = [100.0, 100.0, 300.0, 200.0];
        assert!(contains(r, [150.0, 150.0]));
        assert!(contains(r, [100.0, 200.0]));
        assert!(!contains(r, [99.0, 150.0]));
        assert!(!contains(r, [f32::NAN, 150.0]));
    }
}
