//! Text recognition with PP-OCRv6 rec (CTC): each line 48 pixels high keeping its aspect ratio,
//! batched by aspect ratio, right-padded with 0.0 to the batch width, softmaxed classes per 8 columns.

use ort::value::TensorRef;
use sealgate_models::{Runtime, SessionPool};

use super::ctc::{CtcDecoder, StepGlyph};
use super::tensor::write_bgr_normalised;
use crate::PipelineError;
use crate::image::{Rgb8, checked_len, resize_bilinear};
use crate::ocr::Glyph;

const MODEL: &str = "ppocr_rec";
/// Input height of the recogniser.
pub(super) const REC_HEIGHT: usize = 48;
/// Narrowest batch, as a width/height ratio (RapidOCR's `rec_img_shape` 3 x 48 x 320).
const MIN_RATIO: f64 = 320.0 / 48.0;
/// Widest batch: longer lines are squeezed to 48 x 1920 (RapidOCR has no cap; 40 is about 60 CJK
/// characters, more than a printed A4 line holds).
const MAX_RATIO: f64 = 40.0;

/// PP-OCR text recogniser with its dictionary.
pub(super) struct Recogniser {
    pool: SessionPool,
    decoder: CtcDecoder,
    batch: usize,
}

impl Recogniser {
    pub fn new(runtime: &'static Runtime, intra_threads: usize, batch: usize) -> Result<Self, PipelineError> {
        let pool = runtime.pool(MODEL, intra_threads)?;
        let dictionary = {
            let session = pool.get()?;
            let metadata = session.metadata().map_err(|e| pool.error(e))?;
            metadata.custom("character")
        };
        let Some(dictionary) = dictionary.filter(|d| !d.is_empty()) else {
            return Err(PipelineError::ModelOutput {
                model: MODEL,
                reason: "no `character` dictionary in the model metadata".into(),
            });
        };
        Ok(Recogniser { pool, decoder: CtcDecoder::from_dictionary(&dictionary), batch: batch.max(1) })
    }

    pub fn decoder(&self) -> &CtcDecoder {
        &self.decoder
    }

    /// Text, confidence and characters of each crop, in order; `("", 0.0, [])` for a missing or
    /// empty crop.
    pub fn recognise(&self, crops: &[Option<Rgb8>]) -> Result<Vec<(String, f32, Vec<Glyph>)>, PipelineError> {
        let mut results = vec![(String::new(), 0f32, Vec::new()); crops.len()];
        // Similar widths together, so that little of each batch is padding.
        let mut order: Vec<(&Rgb8, usize, f64)> = crops
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.as_ref().map(|c| (c, i)))
            .filter(|(c, _)| c.width() > 0 && c.height() > 0)
            .map(|(c, i)| (c, i, c.width() as f64 / c.height() as f64))
            .collect();
        order.sort_by(|a, b| a.2.total_cmp(&b.2));
        let classes = self.decoder.num_classes();
        let mut input: Vec<f32> = Vec::new();
        let mut text = String::new();
        let mut steps_of = Vec::new();
        for chunk in order.chunks(self.batch) {
            let max_ratio = chunk.iter().map(|c| c.2).fold(MIN_RATIO, f64::max).min(MAX_RATIO);
            let width = (REC_HEIGHT as f64 * max_ratio) as usize;
            let per_line = checked_len(width, REC_HEIGHT, 3)?;
            input.clear();
            input.resize(chunk.len() * per_line, 0.0);
            for (slot, &(crop, _, ratio)) in input.chunks_exact_mut(per_line).zip(chunk) {
                let w = ((REC_HEIGHT as f64 * ratio).ceil() as usize).clamp(1, width);
                let mut line = Rgb8::zeros(w, REC_HEIGHT)?;
                resize_bilinear(crop, &mut line);
                if !write_bgr_normalised(&line, width, REC_HEIGHT, slot) {
                    return Err(PipelineError::ModelOutput {
                        model: MODEL,
                        reason: "input tensor size mismatch".into(),
                    });
                }
            }
            let mut session = self.pool.get()?;
            let tensor = TensorRef::from_array_view(([chunk.len(), 3, REC_HEIGHT, width], &input[..]))
                .map_err(|e| self.pool.error(e))?;
            let outputs = session.run(ort::inputs!["x" => tensor]).map_err(|e| self.pool.error(e))?;
            let Some(out) = outputs.values().next() else {
                return Err(PipelineError::ModelOutput { model: MODEL, reason: "no output".into() });
            };
            let (shape, probs) = out.try_extract_tensor::<f32>().map_err(|e| self.pool.error(e))?;
            let steps = match shape[..] {
                [n, t, c] if n == chunk.len() as i64 && c == classes as i64 && t >= 0 => t as usize,
                _ => {
                    return Err(PipelineError::ModelOutput {
                        model: MODEL,
                        reason: format!(
                            "output of shape {:?}, expected [{}, steps, {classes}] (dictionary + blank + space)",
                            &shape[..],
                            chunk.len()
                        ),
                    });
                }
            };
            let per_out = steps * classes;
            if probs.len() != chunk.len() * per_out {
                return Err(PipelineError::ModelOutput { model: MODEL, reason: "output size mismatch".into() });
            }
            for (line_probs, &(_, i, ratio)) in probs.chunks_exact(per_out.max(1)).zip(chunk) {
                let confidence = self.decoder.decode_glyphs(line_probs, &mut text, Some(&mut steps_of));
                let w = ((REC_HEIGHT as f64 * ratio).ceil() as usize).clamp(1, width) as f32;
                let glyphs = steps_of.iter().map(|g| self.glyph(g, w)).collect();
                results[i] = (text.clone(), confidence, glyphs);
            }
        }
        Ok(results)
    }

    /// A decoded character placed along its line: each recogniser step covers 8 input columns of the
    /// `w` columns the line was resized to.
    fn glyph(&self, g: &StepGlyph, w: f32) -> Glyph {
        let (start, end) = (g.first_step as f32 * 8.0 / w, (g.last_step + 1) as f32 * 8.0 / w);
        Glyph {
            text: self.decoder.class(g.class as usize).to_string(),
            confidence: g.confidence,
            start: start.clamp(0.0, 1.0),
            end: end.clamp(0.0, 1.0),
            alternative: self.decoder.class(g.alternative as usize).to_string(),
            alternative_p: g.alternative_p,
        }
    }
}
