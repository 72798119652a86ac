//! Reading the text of a page: text lines with their polygons and confidences.
//!
//! [`OcrEngine`] is what the page stages (comparison with the approved original, orientation) call;
//! [`PpOcr`] (PP-OCRv6 on ONNX Runtime, as RapidOCR runs it) is the default engine.

pub mod ppocr;
pub mod tesseract;

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::PipelineError;
use crate::image::Rgb8;

pub use ppocr::{PpOcr, PpOcrConfig};
pub use tesseract::{TesseractConfig, TesseractOcr};

/// One recognised line of text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextLine {
    pub text: String,
    /// Corners in the pixels of the image given to the engine: top-left, top-right, bottom-right,
    /// bottom-left (as read, so a line rotated by 90 degrees starts at its reading start only when
    /// the page is upright).
    pub polygon: [[f32; 2]; 4],
    /// Mean probability of the recognised characters, 0..1.
    pub confidence: f32,
    /// Each character of `text` with where it lies along the line, when the engine says (PP-OCR does;
    /// Tesseract gives none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub glyphs: Vec<Glyph>,
}

/// One recognised character.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Glyph {
    pub text: String,
    pub confidence: f32,
    /// Where the character starts and ends along the line, as shares of its length (0 = start).
    pub start: f32,
    pub end: f32,
    /// The most probable other character at the same place ("" when none) and its probability.
    pub alternative: String,
    pub alternative_p: f32,
}

/// Wall time of the two OCR stages of one page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct OcrTimings {
    pub detect: Duration,
    /// Cropping, recognition and decoding of every detected line.
    pub recognise: Duration,
}

impl OcrTimings {
    pub fn total(&self) -> Duration {
        self.detect + self.recognise
    }
}

/// The text of one page, in reading order (top to bottom, then left to right within a row).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OcrOutput {
    pub lines: Vec<TextLine>,
    pub timings: OcrTimings,
}

/// A text reader. Implementations are shared across request threads.
pub trait OcrEngine: Send + Sync {
    /// Stable engine name, for reports.
    fn name(&self) -> &'static str;

    /// Every line of text on `page` the engine is confident about, in reading order. An empty or
    /// blank page gives no lines, not an error.
    fn read(&self, page: &Rgb8) -> Result<OcrOutput, PipelineError>;
}

/// The text of `lines`, one line per line, joined with `'\n'`.
pub fn text_of(lines: &[TextLine]) -> String {
    let mut out = String::with_capacity(lines.iter().map(|l| l.text.len() + 1).sum());
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&l.text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> TextLine {
        TextLine { text: text.into(), polygon: [[0.0; 2]; 4], confidence: 1.0, glyphs: Vec::new() }
    }

    #[test]
    fn text_of_joins_lines() {
        assert_eq!(text_of(&[]), "");
        assert_eq!(text_of(&[line("甲方")]), "甲方");
        assert_eq!(text_of(&[line("甲方"), line(""), line("乙方")]), "甲方\n\n乙方");
    }

    #[test]
    fn output_serialises() {
        let out = OcrOutput { lines: vec![line("¥128,560.00")], timings: OcrTimings::default() };
        let json = serde_json::to_string(&out).expect("serialise");
        assert!(json.contains("¥128,560.00") && json.contains("\"polygon\""));
    }
}
