//! PP-OCRv6 (small det + small rec) on ONNX Runtime, run as RapidOCR 3.10 runs it, without the
//! per-line 180-degree classifier (page orientation is decided from whole-page results instead):
//!
//! 1. detect (`det.rs`): page to a multiple-of-32 input (longer side <= `det_max_side`), DB probability
//!    map, threshold 0.3, 2x2 dilation, regions (`contours.rs`), minimum-area rectangles
//!    (`min_area_rect.rs`), mean-probability filter and unclip (`db_postprocess.rs`), reading order;
//! 2. crop (`crop.rs`): each box warped upright, vertical boxes turned a quarter left;
//! 3. recognise (`rec.rs`): 48 pixels high, batches by aspect ratio, CTC greedy decoding (`ctc.rs`);
//!    lines below `min_confidence` or without text are dropped.
//!
//! Measured on the rendered A4 contract page in `testdata/` (1240x1754, 36 lines), one intra-op thread:
//! detect 0.34-0.45 s, recognise 3.5-3.8 s (RapidOCR 3.10 with the same settings: 0.37 s and 3.6 s);
//! two threads: 2.3-2.6 s in all. The recogniser's run is 98% of recognition, about 0.12 ms per input
//! column per line, so the cost follows the amount of text; post-processing takes ~1 ms.

mod cls;
mod config;
mod contours;
mod crop;
pub(crate) use crop::crop_quad;
mod ctc;
mod db_postprocess;
mod det;
mod min_area_rect;
mod reading_order;
mod rec;
mod tensor;

use std::time::Instant;

use sealgate_models::Runtime;

pub use config::PpOcrConfig;
pub use ctc::CtcDecoder;
pub use db_postprocess::Quad;
pub use reading_order::reading_order;

use super::{OcrEngine, OcrOutput, OcrTimings, TextLine};
use crate::PipelineError;
use crate::image::Rgb8;
use cls::Classifier;
use det::Detector;
use rec::Recogniser;

/// The PP-OCR engine: detector and recogniser sessions with their thresholds.
pub struct PpOcr {
    config: PpOcrConfig,
    detector: Detector,
    recogniser: Recogniser,
    classifier: Classifier,
}

impl PpOcr {
    /// Load and verify both models and read the recogniser's dictionary. Fails (and callers deny)
    /// when a model is missing, corrupt or has no dictionary, or the configuration is out of range.
    pub fn new(runtime: &'static Runtime, config: PpOcrConfig) -> Result<Self, PipelineError> {
        config.validate().map_err(PipelineError::Config)?;
        Ok(PpOcr {
            detector: Detector::new(runtime, &config)?,
            recogniser: Recogniser::new(runtime, config.intra_threads, config.rec_batch)?,
            classifier: Classifier::new(runtime, config.intra_threads)?,
            config,
        })
    }

    pub fn config(&self) -> &PpOcrConfig {
        &self.config
    }

    /// The recogniser's classes.
    pub fn decoder(&self) -> &CtcDecoder {
        self.recogniser.decoder()
    }

    /// Text boxes of `page` in its pixels (corners TL, TR, BR, BL, on integer pixels inside the
    /// page), in reading order. An empty page has none.
    pub fn detect(&self, page: &Rgb8) -> Result<Vec<Quad>, PipelineError> {
        self.detector.detect(page)
    }

    /// Recognise the text in each of `quads` (in `page` pixels): one line per quad, in order, with
    /// nothing dropped (a box that cannot be cut out gives `""` with confidence 0).
    /// For each quad, the classifier's p(the line is turned 180 degrees). For a page-level vote only.
    pub fn upside_down(&self, page: &Rgb8, quads: &[Quad]) -> Result<Vec<f32>, PipelineError> {
        let crops = quads.iter().map(|q| crop::crop_quad(page, q)).collect::<Result<Vec<_>, _>>()?;
        self.classifier.upside_down(&crops)
    }

    pub fn recognise_each(&self, page: &Rgb8, quads: &[Quad]) -> Result<Vec<TextLine>, PipelineError> {
        let crops = quads.iter().map(|q| crop::crop_quad(page, q)).collect::<Result<Vec<_>, _>>()?;
        let texts = self.recogniser.recognise(&crops)?;
        Ok(texts
            .into_iter()
            .zip(quads)
            .map(|((text, confidence, glyphs), polygon)| TextLine { text, polygon: *polygon, confidence, glyphs })
            .collect())
    }

    /// The lines of `quads` worth keeping: with text (not only blanks) and a confidence of at least
    /// `min_confidence`, in the order of `quads`.
    pub fn recognise(&self, page: &Rgb8, quads: &[Quad]) -> Result<Vec<TextLine>, PipelineError> {
        let mut lines = self.recognise_each(page, quads)?;
        lines.retain(|l| !l.text.trim().is_empty() && l.confidence >= self.config.min_confidence);
        Ok(lines)
    }
}

impl OcrEngine for PpOcr {
    fn name(&self) -> &'static str {
        "ppocr-v6-small"
    }

    fn read(&self, page: &Rgb8) -> Result<OcrOutput, PipelineError> {
        let t = Instant::now();
        let quads = self.detect(page)?;
        let detect = t.elapsed();
        let t = Instant::now();
        let lines = self.recognise(page, &quads)?;
        let recognise = t.elapsed();
        Ok(OcrOutput { lines, timings: OcrTimings { detect, recognise } })
    }
}

#[cfg(test)]
mod tests {
    //! On the real models: `cargo test -p sealgate-pipeline --lib ppocr -- --ignored --nocapture`.
    //! `SEALGATE_OCR_PAGE=page.png` reads another page and prints what it finds; `SEALGATE_OCR_THREADS`
    //! sets the intra-op threads.

    use std::sync::OnceLock;

    use super::*;
    use crate::image::{DecodeLimits, decode};
    use crate::ocr::text_of;

    fn engine() -> &'static PpOcr {
        static ENGINE: OnceLock<PpOcr> = OnceLock::new();
        ENGINE.get_or_init(|| {
            let runtime = Runtime::global().expect("ONNX Runtime installed");
            // `SEALGATE_OCR_THREADS=2` measures the engine with two intra-op threads per session.
            let threads = std::env::var("SEALGATE_OCR_THREADS").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
            let config = PpOcrConfig { intra_threads: threads, ..PpOcrConfig::default() };
            PpOcr::new(runtime, config).expect("PP-OCR models installed")
        })
    }

    fn read_page(path: &std::path::Path) -> Rgb8 {
        let bytes = std::fs::read(path).expect("page readable");
        decode(&bytes, DecodeLimits::DEFAULT).expect("page decodes")
    }

    /// Full-width ASCII forms to ASCII (the recogniser reads `（` as `(` about half the time).
    fn fold(s: &str) -> String {
        s.chars()
            .map(|c| match c {
                '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
                '\u{3000}' => ' ',
                c => c,
            })
            .collect()
    }

    /// Levenshtein distance in characters.
    fn edit_distance(a: &str, b: &str) -> usize {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.iter().enumerate() {
            let mut diag = row[0];
            row[0] = i + 1;
            for (j, cb) in b.iter().enumerate() {
                let next = (row[j + 1] + 1).min(row[j] + 1).min(diag + usize::from(ca != cb));
                diag = row[j + 1];
                row[j + 1] = next;
            }
        }
        row[b.len()]
    }

    #[test]
    #[ignore = "needs the PP-OCR models and ONNX Runtime (`sealgate models fetch`)"]
    fn reads_the_rendered_contract_page() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ocr/ppocr/testdata");
        let custom = std::env::var_os("SEALGATE_OCR_PAGE").map(std::path::PathBuf::from);
        let page = read_page(custom.as_deref().unwrap_or(&dir.join("contract_page.png")));
        let engine = engine();
        engine.read(&page).expect("warm-up");
        let out = engine.read(&page).expect("read");
        for l in &out.lines {
            let p = l.polygon;
            println!("{:>6.4} [{:>4},{:>4} {:>4},{:>4}] {}", l.confidence, p[0][0], p[0][1], p[2][0], p[2][1], l.text);
        }
        println!(
            "{}x{}: {} lines, detect {:?}, recognise {:?}, total {:?}",
            page.width(),
            page.height(),
            out.lines.len(),
            out.timings.detect,
            out.timings.recognise,
            out.timings.total()
        );
        if custom.is_some() {
            return;
        }
        let expected = std::fs::read_to_string(dir.join("contract_page.txt")).expect("expected text");
        let expected: Vec<&str> = expected.lines().collect();
        assert_eq!(out.lines.len(), expected.len(), "{}", text_of(&out.lines));
        let (mut errors, mut chars, mut exact) = (0, 0, 0);
        for (got, want) in out.lines.iter().zip(&expected) {
            let d = edit_distance(&fold(&got.text), &fold(want));
            if d > 0 {
                println!("  got  {}\n  want {want}", got.text);
            }
            errors += d;
            chars += want.chars().count();
            exact += usize::from(d == 0);
        }
        println!("character error rate {errors}/{chars}, {exact}/{} lines exact", expected.len());
        assert!(errors * 100 <= chars, "character error rate {errors}/{chars} above 1%");
        let text = fold(&text_of(&out.lines));
        for must in ["人民币壹拾贰万捌仟伍佰陆拾元整(¥128,560.00)", "签订日期:2025年3月18日", "上海华信科技有限公司"]
        {
            assert!(text.contains(must), "`{must}` not read:\n{text}");
        }
    }

    #[test]
    #[ignore = "needs the PP-OCR models and ONNX Runtime (`sealgate models fetch`)"]
    fn odd_pages_give_no_text_and_no_error() {
        let engine = engine();
        let solid = |w: usize, h: usize, v: u8| Rgb8::new(w, h, vec![v; w * h * 3]).expect("page");
        for (name, page) in [
            ("empty", Rgb8::zeros(0, 0).expect("empty")),
            ("0x10", Rgb8::zeros(0, 10).expect("empty")),
            ("1x1", solid(1, 1, 0)),
            ("white A4", solid(1240, 1754, 255)),
            ("black A4", solid(1240, 1754, 0)),
            ("one long row", solid(20_000, 1, 128)),
            ("one tall column", solid(1, 20_000, 128)),
        ] {
            let out = engine.read(&page).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(out.lines.is_empty(), "{name}: {:?}", out.lines);
        }
        // Noise: whatever it finds, no error.
        let mut seed = 7u32;
        let noise: Vec<u8> = (0..640 * 480 * 3)
            .map(|_| {
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (seed >> 24) as u8
            })
            .collect();
        engine.read(&Rgb8::new(640, 480, noise).expect("noise")).expect("noise reads");
    }

    #[test]
    #[ignore = "needs the PP-OCR models and ONNX Runtime (`sealgate models fetch`)"]
    fn recognise_each_keeps_every_quad() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ocr/ppocr/testdata");
        let page = read_page(&dir.join("contract_page.png"));
        let engine = engine();
        let quads = engine.detect(&page).expect("detect");
        assert!(quads.len() > 30);
        let amount = quads[13];
        let odd: Vec<Quad> = vec![
            amount,
            [[0.0; 2]; 4],
            [[f32::NAN; 2]; 4],
            [[-5e6, -5e6], [5e6, -5e6], [5e6, 5e6], [-5e6, 5e6]],
            [[1200.0, 1700.0], [1240.0, 1700.0], [1240.0, 1754.0], [1200.0, 1754.0]],
        ];
        let lines = engine.recognise_each(&page, &odd).expect("recognise");
        assert_eq!(lines.len(), odd.len());
        assert!(fold(&lines[0].text).contains("¥128,560.00"), "{:?}", lines[0]);
        assert_eq!((lines[1].text.as_str(), lines[1].confidence), ("", 0.0));
        assert_eq!((lines[2].text.as_str(), lines[2].confidence), ("", 0.0));
        let kept = engine.recognise(&page, &odd).expect("recognise");
        assert!(kept.iter().all(|l| !l.text.trim().is_empty() && l.confidence >= 0.5));
        assert_eq!(engine.decoder().num_classes(), 18_710);
    }
}
