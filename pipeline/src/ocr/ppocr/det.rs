//! Text detection with PP-OCRv6 det (DB): the page scaled so each side is a multiple of 32 and the
//! longer at most `det_max_side`, BGR normalised to -1..1, one probability map out, boxes from it.

use ort::value::TensorRef;
use sealgate_models::{Runtime, SessionPool};

use super::PpOcrConfig;
use super::db_postprocess::{DbParams, DbScratch, Quad, boxes_from_map};
use super::reading_order::reading_order;
use super::tensor::write_bgr_normalised;
use crate::PipelineError;
use crate::image::{Rgb8, checked_len, resize_bilinear};

const MODEL: &str = "ppocr_det";
/// Regions looked at per page, at most (RapidOCR's `max_candidates`).
const MAX_CANDIDATES: usize = 1000;

/// PP-OCR text detector.
pub(super) struct Detector {
    pool: SessionPool,
    max_side: usize,
    params: DbParams,
}

impl Detector {
    pub fn new(runtime: &'static Runtime, cfg: &PpOcrConfig) -> Result<Self, PipelineError> {
        Ok(Detector {
            pool: runtime.pool(MODEL, cfg.intra_threads)?,
            max_side: cfg.det_max_side,
            params: DbParams {
                threshold: cfg.det_threshold,
                box_threshold: cfg.box_threshold,
                unclip_ratio: cfg.unclip_ratio,
                max_candidates: MAX_CANDIDATES,
            },
        })
    }

    /// Text boxes of `page` in its pixels, in reading order.
    pub fn detect(&self, page: &Rgb8) -> Result<Vec<Quad>, PipelineError> {
        let Some((iw, ih)) = input_size(page.width(), page.height(), self.max_side) else {
            return Ok(Vec::new());
        };
        let mut resized = Rgb8::zeros(iw, ih)?;
        resize_bilinear(page, &mut resized);
        let mut input = vec![0f32; checked_len(iw, ih, 3)?];
        if !write_bgr_normalised(&resized, iw, ih, &mut input) {
            return Err(PipelineError::ModelOutput { model: MODEL, reason: "input tensor size mismatch".into() });
        }
        let mut session = self.pool.get()?;
        let tensor = TensorRef::from_array_view(([1usize, 3, ih, iw], &input[..])).map_err(|e| self.pool.error(e))?;
        let outputs = session.run(ort::inputs!["x" => tensor]).map_err(|e| self.pool.error(e))?;
        let Some(map) = outputs.values().next() else {
            return Err(PipelineError::ModelOutput { model: MODEL, reason: "no output".into() });
        };
        let (shape, prob) = map.try_extract_tensor::<f32>().map_err(|e| self.pool.error(e))?;
        let want = [1, 1, ih as i64, iw as i64];
        if shape[..] != want[..] || prob.len() != iw * ih {
            return Err(PipelineError::ModelOutput {
                model: MODEL,
                reason: format!("probability map of shape {:?}, expected {want:?}", &shape[..]),
            });
        }
        let mut quads =
            boxes_from_map(prob, (iw, ih), (page.width(), page.height()), &self.params, &mut DbScratch::default());
        reading_order(&mut quads);
        Ok(quads)
    }
}

/// The detector input size for a `w x h` page, as RapidOCR's `DetPreProcess` with `limit_type =
/// "max"`: scale so the longer side is at most `max_side` (never up), truncate, then round each side
/// to the nearest multiple of 32 (half to even, as Python), at least 32. The aspect ratio moves by
/// at most 16 pixels per side; boxes are mapped back per axis. `None` for an empty page.
pub(super) fn input_size(w: usize, h: usize, max_side: usize) -> Option<(usize, usize)> {
    if w == 0 || h == 0 {
        return None;
    }
    let longer = w.max(h) as f64;
    let ratio = if longer > max_side as f64 { max_side as f64 / longer } else { 1.0 };
    let side = |v: usize| {
        let scaled = (v as f64 * ratio).trunc();
        let rounded = (scaled / 32.0).round_ties_even() * 32.0;
        (rounded as usize).clamp(32, max_side.max(32))
    };
    Some((side(w), side(h)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_sizes_follow_rapidocr() {
        // A4 at 150 dpi: 1240 x 1754 -> 678.67 x 960 -> 672 x 960.
        assert_eq!(input_size(1240, 1754, 960), Some((672, 960)));
        // Small pages are not scaled up, only rounded, half to even: 400 / 32 = 12.5 -> 12,
        // 48 / 32 = 1.5 -> 2, 80 / 32 = 2.5 -> 2.
        assert_eq!(input_size(400, 48, 960), Some((384, 64)));
        assert_eq!(input_size(400, 80, 960), Some((384, 64)));
        assert_eq!(input_size(1, 1, 960), Some((32, 32)));
        assert_eq!(input_size(100_000, 1, 960), Some((960, 32)));
        assert_eq!(input_size(0, 10, 960), None);
        assert_eq!(input_size(usize::MAX, usize::MAX, 960), Some((960, 960)));
    }
}
