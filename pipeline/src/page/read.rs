//! Read a page photo: normalise it, then run an OCR engine on the upright page and map every line
//! back onto the photo.

use std::time::{Duration, Instant};

use serde::Serialize;

use super::RedInkMap;
use super::{PageConfig, PageOutcome, PageTimings, UprightPage, upright_page};
use crate::PipelineError;
use crate::image::{Homography, Rgb8};
use crate::ocr::{OcrEngine, PpOcr, TextLine, text_of};

/// The text of a photographed page.
#[derive(Debug, Clone, Serialize)]
pub struct PageReading {
    /// Degrees the content was turned clockwise in the photo.
    pub rotation: u16,
    /// Sheet corners in the photo (top-left, top-right, bottom-right, bottom-left as seen).
    pub sheet_corners: [[f32; 2]; 4],
    /// Lines with polygons in upright-page pixels.
    pub lines: Vec<TextLine>,
    /// The same lines' polygons in photo pixels.
    pub photo_polygons: Vec<[[f32; 2]; 4]>,
    pub text: String,
    pub page_size: (usize, usize),
    pub page_timings: PageTimings,
    pub ocr_time: Duration,
    pub engine: &'static str,
    /// Upright-page pixels to photo pixels.
    #[serde(skip)]
    pub page_to_photo: Homography,
    /// Red (seal) ink on the upright page before it was faded.
    #[serde(skip)]
    pub red_ink: RedInkMap,
}

/// Normalise `photo` with `ppocr` (orientation needs its detector and classifier) and read it with
/// `engine` (PP-OCR itself, reusing the boxes it found, or another engine). `Ok(None)`: no page.
pub fn read_photo(
    photo: &Rgb8,
    cfg: &PageConfig,
    ppocr: &PpOcr,
    engine: Option<&dyn OcrEngine>,
) -> Result<Option<(PageReading, Rgb8)>, PipelineError> {
    let page = match upright_page(photo, cfg, ppocr)? {
        PageOutcome::Page(p) => p,
        PageOutcome::NoPage(_) => return Ok(None),
    };
    let reading = read_upright(&page, ppocr, engine)?;
    Ok(Some((reading, page.image)))
}

/// Read an upright page with `engine` (PP-OCR itself, reusing the boxes it found, or another
/// engine) and map every line back onto the photo.
pub fn read_upright(
    page: &UprightPage,
    ppocr: &PpOcr,
    engine: Option<&dyn OcrEngine>,
) -> Result<PageReading, PipelineError> {
    let t = Instant::now();
    let (lines, engine_name) = match engine {
        None => (ppocr.recognise(&page.image, &page.quads)?, ppocr.name()),
        Some(e) => (e.read(&page.image)?.lines, e.name()),
    };
    let ocr_time = t.elapsed();
    let photo_polygons = lines
        .iter()
        .map(|l| l.polygon.map(|p| page.page_to_photo.apply(p[0], p[1]).map_or([f32::NAN; 2], |(x, y)| [x, y])))
        .collect();
    Ok(PageReading {
        rotation: page.rotation,
        sheet_corners: page.sheet.corners,
        text: text_of(&lines),
        lines,
        photo_polygons,
        page_size: (page.image.width(), page.image.height()),
        page_timings: page.timings,
        ocr_time,
        engine: engine_name,
        page_to_photo: page.page_to_photo,
        red_ink: page.red_ink.clone(),
    })
}
