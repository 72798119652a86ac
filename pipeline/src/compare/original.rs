//! An approved original, processed once when it is approved and reused for every comparison: each
//! page's text lines with their boxes (upright-page pixels at the page size of [`PageConfig`]), the
//! parties named in it, and the page image (grey) that photos are registered to on the region path.

use serde::Serialize;

use super::critical::party_names;
use crate::PipelineError;
use crate::image::{Gray8, Rgb8, resize_bilinear, to_gray};
use crate::ocr::{OcrEngine, PpOcr};
use crate::page::PageConfig;
use crate::text::normalize_with_sources;

/// Where an approved page's text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OriginalSource {
    /// A page image (scan or render), read by OCR.
    Image,
    /// A PDF page with a text layer: the text is exact.
    PdfText,
    /// A PDF page without a text layer, rendered and read by OCR.
    PdfScanned,
}

/// One line of approved text with its box `[x0, y0, x1, y1]` in upright-page pixels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApprovedLine {
    pub text: String,
    pub bbox: [f32; 4],
}

/// One approved page.
#[derive(Debug, Clone, Serialize)]
pub struct ApprovedPage {
    pub width: usize,
    pub height: usize,
    pub lines: Vec<ApprovedLine>,
    pub source: OriginalSource,
    /// The upright page in grey (lighting evened out, red ink faded, as photos are normalised).
    #[serde(skip)]
    pub image: Option<Gray8>,
}

/// An approved document: its pages and the parties it names.
#[derive(Debug, Clone, Serialize)]
pub struct ApprovedOriginal {
    pub pages: Vec<ApprovedPage>,
    /// Party names (comparison form), from every page.
    #[serde(skip)]
    pub parties: Vec<Vec<char>>,
    /// The engine that read the pages (the same engine should read the photos).
    pub engine: &'static str,
}

impl ApprovedOriginal {
    pub fn new(pages: Vec<ApprovedPage>, engine: &'static str) -> ApprovedOriginal {
        let lines: Vec<Vec<char>> = pages
            .iter()
            .flat_map(|p| &p.lines)
            .map(|l| normalize_with_sources(&l.text).into_iter().map(|c| c.0).collect())
            .collect();
        ApprovedOriginal { parties: party_names(&lines), pages, engine }
    }

    /// The text of page `i`, one line per line.
    pub fn page_text(&self, i: usize) -> String {
        self.pages
            .get(i)
            .map(|p| p.lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join("\n"))
            .unwrap_or_default()
    }
}

/// Bounding box of a polygon.
pub(crate) fn bbox_of(q: &[[f32; 2]; 4]) -> [f32; 4] {
    let (mut b0, mut b1, mut b2, mut b3) = (f32::INFINITY, f32::INFINITY, f32::NEG_INFINITY, f32::NEG_INFINITY);
    for p in q {
        b0 = b0.min(p[0]);
        b1 = b1.min(p[1]);
        b2 = b2.max(p[0]);
        b3 = b3.max(p[1]);
    }
    [b0, b1, b2, b3]
}

/// Process an approved page image (a scan or a render, upright, the whole page): as a rendered PDF
/// page, read with `engine`. A photo of the approved paper is not an original: the sheet finder
/// could take a table's ruled box for the page.
pub fn approve_image(
    image: &Rgb8,
    page_cfg: &PageConfig,
    ppocr: &PpOcr,
    engine: Option<&dyn OcrEngine>,
) -> Result<ApprovedPage, PipelineError> {
    let mut page = approve_rendered(image, None, page_cfg, ppocr, engine)?;
    page.source = OriginalSource::Image;
    if page.lines.is_empty() {
        return Err(PipelineError::Compare("no text found in the approved image".into()));
    }
    Ok(page)
}

/// Process an approved page that is already upright (a rendered PDF page): resize it to the page size
/// of `page_cfg` (portrait or landscape as it is), then take `text_layer` (lines with boxes in the
/// rendered image's pixels) when there is one, else read it with `engine`.
pub fn approve_rendered(
    rendered: &Rgb8,
    text_layer: Option<Vec<ApprovedLine>>,
    page_cfg: &PageConfig,
    ppocr: &PpOcr,
    engine: Option<&dyn OcrEngine>,
) -> Result<ApprovedPage, PipelineError> {
    let landscape = rendered.width() > rendered.height();
    let (w, h) =
        if landscape { (page_cfg.long_side, page_cfg.short_side) } else { (page_cfg.short_side, page_cfg.long_side) };
    if rendered.width() == 0 || rendered.height() == 0 {
        return Err(PipelineError::Compare("empty approved page".into()));
    }
    let mut page = Rgb8::zeros(w, h)?;
    resize_bilinear(rendered, &mut page);
    crate::page::even_out_lighting(&mut page);
    if page_cfg.suppress_red_ink {
        crate::page::suppress_red_ink(&mut page);
    }
    let (sx, sy) = (w as f32 / rendered.width() as f32, h as f32 / rendered.height() as f32);
    let (lines, source) = match text_layer {
        Some(lines) => (
            lines
                .into_iter()
                .map(|l| ApprovedLine {
                    text: l.text,
                    bbox: [l.bbox[0] * sx, l.bbox[1] * sy, l.bbox[2] * sx, l.bbox[3] * sy],
                })
                .collect(),
            OriginalSource::PdfText,
        ),
        None => {
            let out = match engine {
                Some(e) => e.read(&page)?.lines,
                None => ppocr.read(&page)?.lines,
            };
            (
                out.iter().map(|l| ApprovedLine { text: l.text.clone(), bbox: bbox_of(&l.polygon) }).collect(),
                OriginalSource::PdfScanned,
            )
        }
    };
    Ok(ApprovedPage { width: w, height: h, lines, source, image: Some(to_gray(&page)) })
}

/// Process every page of an approved PDF: rendered with poppler within `limits`, its text layer
/// taken where the page has one, otherwise read with `engine`.
pub fn approve_pdf(
    bytes: &[u8],
    limits: &crate::original::pdf::PdfLimits,
    page_cfg: &PageConfig,
    ppocr: &PpOcr,
    engine: Option<&dyn OcrEngine>,
) -> Result<Vec<ApprovedPage>, PipelineError> {
    let pages = crate::original::pdf::read_pdf(bytes, limits)?;
    pages
        .into_iter()
        .map(|p| {
            let layer = p
                .text_lines
                .map(|lines| lines.into_iter().map(|l| ApprovedLine { text: l.text, bbox: l.bbox }).collect());
            approve_rendered(&p.image, layer, page_cfg, ppocr, engine)
        })
        .collect()
}
