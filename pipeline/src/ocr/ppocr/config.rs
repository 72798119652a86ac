//! PP-OCR thresholds and sizes. The defaults are RapidOCR 3.10's, except the detector input, which is
//! bounded by its longer side (RapidOCR's default scales the shorter side up to 736, which makes an
//! A4 scan at 150 dpi a 1248x1760 input: 3x the work for no gain on printed text).

use serde::{Deserialize, Serialize};

/// Every threshold of the PP-OCR engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PpOcrConfig {
    /// Longer side of the detector input, in pixels (multiple of 32). Pages are scaled down to it,
    /// never up.
    pub det_max_side: usize,
    /// Probability at which a pixel of the detector map is text.
    pub det_threshold: f32,
    /// Smallest mean probability inside a detected box.
    pub box_threshold: f32,
    /// How far a detected box grows: by `area * unclip_ratio / perimeter` on every side.
    pub unclip_ratio: f32,
    /// Lines per recognition run.
    pub rec_batch: usize,
    /// Lines whose mean character probability is lower are dropped.
    pub min_confidence: f32,
    /// ONNX Runtime intra-op threads per session.
    pub intra_threads: usize,
}

impl Default for PpOcrConfig {
    fn default() -> Self {
        PpOcrConfig {
            det_max_side: 960,
            det_threshold: 0.3,
            box_threshold: 0.5,
            unclip_ratio: 1.6,
            rec_batch: 6,
            min_confidence: 0.5,
            intra_threads: 1,
        }
    }
}

impl PpOcrConfig {
    /// Check values are in range.
    pub fn validate(&self) -> Result<(), String> {
        if self.det_max_side < 32 || !self.det_max_side.is_multiple_of(32) || self.det_max_side > 4096 {
            return Err(format!("ocr.det_max_side = {} must be a multiple of 32 in 32..=4096", self.det_max_side));
        }
        let unit = |v: f32, name: &str| {
            if (0.0..=1.0).contains(&v) { Ok(()) } else { Err(format!("ocr.{name} = {v} is outside 0..1")) }
        };
        unit(self.det_threshold, "det_threshold")?;
        unit(self.box_threshold, "box_threshold")?;
        unit(self.min_confidence, "min_confidence")?;
        if !(0.0..=10.0).contains(&self.unclip_ratio) {
            return Err(format!("ocr.unclip_ratio = {} is outside 0..10", self.unclip_ratio));
        }
        if !(1..=64).contains(&self.rec_batch) {
            return Err(format!("ocr.rec_batch = {} is outside 1..=64", self.rec_batch));
        }
        if self.intra_threads == 0 {
            return Err("ocr.intra_threads must be at least 1".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_bad_values_are_named() {
        PpOcrConfig::default().validate().expect("defaults");
        let bad = |c: PpOcrConfig, needle: &str| {
            let e = c.validate().expect_err("invalid");
            assert!(e.contains(needle), "{e}");
        };
        bad(PpOcrConfig { det_max_side: 1000, ..Default::default() }, "det_max_side");
        bad(PpOcrConfig { det_max_side: 0, ..Default::default() }, "det_max_side");
        bad(PpOcrConfig { det_threshold: f32::NAN, ..Default::default() }, "det_threshold");
        bad(PpOcrConfig { box_threshold: 1.5, ..Default::default() }, "box_threshold");
        bad(PpOcrConfig { unclip_ratio: -1.0, ..Default::default() }, "unclip_ratio");
        bad(PpOcrConfig { rec_batch: 0, ..Default::default() }, "rec_batch");
        bad(PpOcrConfig { intra_threads: 0, ..Default::default() }, "intra_threads");
    }

    #[test]
    fn missing_fields_take_the_defaults() {
        let c: PpOcrConfig = serde_json::from_str(r#"{"det_max_side": 1280}"#).expect("partial config");
        assert_eq!(c, PpOcrConfig { det_max_side: 1280, ..Default::default() });
        assert!(serde_json::from_str::<PpOcrConfig>(r#"{"det_max_sid": 1280}"#).is_err());
    }
}
