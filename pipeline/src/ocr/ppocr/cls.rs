//! The PP-OCR text-line direction classifier (0 or 180 degrees), used for a page-level vote only:
//! per line it flips long Latin lines, but the majority over a page's lines is reliable. Input: each
//! upright crop 48 pixels high, at most 192 wide, right-padded with 0.0; output two softmaxed
//! classes, index 1 = turned 180 degrees.

use ort::value::TensorRef;
use sealgate_models::{Runtime, SessionPool};

use super::tensor::write_bgr_normalised;
use crate::PipelineError;
use crate::image::{Rgb8, resize_bilinear};

const MODEL: &str = "ppocr_cls";
const HEIGHT: usize = 48;
const WIDTH: usize = 192;

pub(super) struct Classifier {
    pool: SessionPool,
}

impl Classifier {
    pub fn new(runtime: &'static Runtime, intra_threads: usize) -> Result<Self, PipelineError> {
        Ok(Classifier { pool: runtime.pool(MODEL, intra_threads)? })
    }

    /// p(turned 180 degrees) for each crop; 0.5 (no opinion) for a missing or empty crop.
    pub fn upside_down(&self, crops: &[Option<Rgb8>]) -> Result<Vec<f32>, PipelineError> {
        let mut out = vec![0.5f32; crops.len()];
        let present: Vec<(usize, &Rgb8)> = crops
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.as_ref().map(|c| (i, c)))
            .filter(|(_, c)| c.width() > 0 && c.height() > 0)
            .collect();
        if present.is_empty() {
            return Ok(out);
        }
        let per = 3 * HEIGHT * WIDTH;
        let mut input = vec![0f32; present.len() * per];
        for (slot, (_, crop)) in input.chunks_exact_mut(per).zip(&present) {
            let w = ((HEIGHT as f32 * crop.width() as f32 / crop.height() as f32).ceil() as usize).clamp(1, WIDTH);
            let mut line = Rgb8::zeros(w, HEIGHT)?;
            resize_bilinear(crop, &mut line);
            if !write_bgr_normalised(&line, WIDTH, HEIGHT, slot) {
                return Err(PipelineError::ModelOutput { model: MODEL, reason: "input tensor size mismatch".into() });
            }
        }
        let mut session = self.pool.get()?;
        let tensor = TensorRef::from_array_view(([present.len(), 3, HEIGHT, WIDTH], &input[..]))
            .map_err(|e| self.pool.error(e))?;
        let outputs = session.run(ort::inputs!["x" => tensor]).map_err(|e| self.pool.error(e))?;
        let Some(value) = outputs.values().next() else {
            return Err(PipelineError::ModelOutput { model: MODEL, reason: "no output".into() });
        };
        let (_, probs) = value.try_extract_tensor::<f32>().map_err(|e| self.pool.error(e))?;
        if probs.len() != present.len() * 2 {
            return Err(PipelineError::ModelOutput {
                model: MODEL,
                reason: format!("{} outputs for {} crops", probs.len(), present.len()),
            });
        }
        for ((i, _), p) in present.iter().zip(probs.chunks_exact(2)) {
            let sum = p[0] + p[1];
            out[*i] = if sum > 0.0 && sum.is_finite() { p[1] / sum } else { 0.5 };
        }
        Ok(out)
    }
}
