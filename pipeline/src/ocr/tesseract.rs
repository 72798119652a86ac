//! The second OCR engine: Tesseract 5 (Debian's `chi_sim` data, page mode 6: one uniform block),
//! through the `tesseract` crate. One Tesseract instance per concurrent caller, pooled: initialising
//! one loads the language data (~0.2 s). Needs `OMP_THREAD_LIMIT=1` in the environment when the
//! process starts (the `sealgate` binary and `.cargo/config.toml` see to it).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use tesseract::{PageSegMode, Tesseract};

use super::{OcrEngine, OcrOutput, OcrTimings, TextLine};
use crate::PipelineError;
use crate::image::Rgb8;

/// Tesseract settings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TesseractConfig {
    /// Language(s), e.g. `chi_sim` or `chi_sim+eng`.
    pub languages: String,
    /// Tesseract data folder; `None` uses the library default (Debian: /usr/share/tesseract-ocr/5/tessdata).
    pub datapath: Option<String>,
}

impl Default for TesseractConfig {
    fn default() -> Self {
        TesseractConfig { languages: "chi_sim".into(), datapath: None }
    }
}

/// Tesseract behind the [`OcrEngine`] trait.
pub struct TesseractOcr {
    config: TesseractConfig,
    idle: Mutex<Vec<Tesseract>>,
}

impl TesseractOcr {
    /// Check the language data loads now, so a missing package fails at start-up.
    pub fn new(config: TesseractConfig) -> Result<Self, PipelineError> {
        let engine = TesseractOcr { idle: Mutex::new(Vec::new()), config };
        let first = engine.instance()?;
        engine.put(first);
        Ok(engine)
    }

    fn instance(&self) -> Result<Tesseract, PipelineError> {
        if let Some(t) = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop() {
            return Ok(t);
        }
        let mut t = Tesseract::new(self.config.datapath.as_deref(), Some(&self.config.languages)).map_err(|e| {
            PipelineError::Ocr(format!(
                "tesseract could not load `{}` ({e}): install tesseract-ocr-chi-sim / tesseract-ocr-eng",
                self.config.languages
            ))
        })?;
        t.set_page_seg_mode(PageSegMode::PsmSingleBlock);
        Ok(t)
    }

    fn put(&self, t: Tesseract) {
        self.idle.lock().unwrap_or_else(|p| p.into_inner()).push(t);
    }
}

impl OcrEngine for TesseractOcr {
    fn name(&self) -> &'static str {
        "tesseract"
    }

    fn read(&self, page: &Rgb8) -> Result<OcrOutput, PipelineError> {
        let (w, h) = (page.width(), page.height());
        if w < 8 || h < 8 {
            return Ok(OcrOutput { lines: Vec::new(), timings: OcrTimings::default() });
        }
        let dims = |v: usize| i32::try_from(v).map_err(|_| PipelineError::Ocr(format!("page of {w}x{h} is too large")));
        let (wi, hi, stride) = (dims(w)?, dims(h)?, dims(w * 3)?);
        let start = Instant::now();
        let fail = |e: &dyn std::fmt::Display| PipelineError::Ocr(format!("tesseract: {e}"));
        let t = self.instance()?;
        let mut t =
            t.set_frame(page.data(), wi, hi, 3, stride).map_err(|e| fail(&e))?.recognize().map_err(|e| fail(&e))?;
        let tsv = t.get_tsv_text(0).map_err(|e| fail(&e))?;
        self.put(t);
        let lines = parse_tsv(&tsv);
        let elapsed = start.elapsed();
        Ok(OcrOutput { lines, timings: OcrTimings { detect: Duration::ZERO, recognise: elapsed } })
    }
}

/// Group Tesseract's word rows (level 5) into lines by (block, paragraph, line).
fn parse_tsv(tsv: &str) -> Vec<TextLine> {
    struct Acc {
        key: (u32, u32, u32),
        words: Vec<String>,
        conf: Vec<f32>,
        bbox: [f32; 4],
    }
    let mut lines: Vec<Acc> = Vec::new();
    for row in tsv.lines() {
        let cols: Vec<&str> = row.split('\t').collect();
        if cols.len() < 12 || cols[0] != "5" {
            continue;
        }
        let num = |i: usize| cols[i].trim().parse::<f32>().ok();
        let (Some(left), Some(top), Some(width), Some(height), Some(conf)) = (num(6), num(7), num(8), num(9), num(10))
        else {
            continue;
        };
        let text = cols[11..].join("\t").trim().to_string();
        if text.is_empty() || conf < 0.0 {
            continue;
        }
        let key = (num(2).unwrap_or(0.0) as u32, num(3).unwrap_or(0.0) as u32, num(4).unwrap_or(0.0) as u32);
        let bbox = [left, top, left + width, top + height];
        match lines.last_mut() {
            Some(acc) if acc.key == key => {
                acc.words.push(text);
                acc.conf.push(conf);
                acc.bbox = [
                    acc.bbox[0].min(bbox[0]),
                    acc.bbox[1].min(bbox[1]),
                    acc.bbox[2].max(bbox[2]),
                    acc.bbox[3].max(bbox[3]),
                ];
            }
            _ => lines.push(Acc { key, words: vec![text], conf: vec![conf], bbox }),
        }
    }
    lines
        .into_iter()
        .map(|a| {
            let [x0, y0, x1, y1] = a.bbox;
            TextLine {
                text: join_words(&a.words),
                polygon: [[x0, y0], [x1, y0], [x1, y1], [x0, y1]],
                confidence: a.conf.iter().sum::<f32>() / a.conf.len() as f32 / 100.0,
                glyphs: Vec::new(),
            }
        })
        .collect()
}

/// Join words with a space only between two Latin letters or digits: Chinese has no word spaces.
fn join_words(words: &[String]) -> String {
    let mut out = String::new();
    for w in words {
        let needs_space = out.chars().last().is_some_and(|c| c.is_ascii_alphanumeric())
            && w.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
        if needs_space {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_words_group_into_lines() {
        let tsv = "5\t1\t1\t1\t1\t1\t10\t20\t30\t40\t96.5\t合同\n5\t1\t1\t1\t1\t2\t45\t20\t30\t40\t90\t编号\n\
                   5\t1\t1\t1\t2\t1\t10\t80\t30\t40\t80\tNo.\n5\t1\t1\t1\t2\t2\t50\t80\t30\t40\t70\t12\n\
                   4\t1\t1\t1\t2\t0\t10\t80\t70\t40\t-1\t\n5\t1\t1\t1\t3\t1\t1\t1\t1\t1\t-1\t \n";
        let lines = parse_tsv(tsv);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].text, "合同编号");
        assert_eq!(lines[1].text, "No.12");
        assert_eq!(lines[0].polygon[2], [75.0, 60.0]);
        assert!((lines[0].confidence - 0.9325).abs() < 1e-4);
        assert!(parse_tsv("").is_empty());
    }
}
