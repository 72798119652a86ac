//! Passive liveness with two MiniFASNet models (V2 on a x2.7 crop, V1SE on a x4.0 crop), as
//! Silent-Face-Anti-Spoofing runs them: BGR 80x80, values 0..255, softmax, class 1 = real; the two
//! models' softmax are averaged.

use ort::value::TensorRef;
use sealgate_models::{Runtime, SessionPool};
use serde::{Deserialize, Serialize};

use super::BBox;
use super::tensor::{ChannelOrder, write_planar};
use crate::PipelineError;
use crate::image::{Affine, Rgb8, warp_affine};

const SIDE: usize = 80;
const MODELS: [(&str, f32); 2] = [("minifasnet_v2", 2.7), ("minifasnet_v1se", 4.0)];

/// Liveness of one face.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LivenessScore {
    /// Mean p(real) of the two models.
    pub p_real: f32,
    /// Each model's p(real), V2 then V1SE.
    pub per_model: [f32; 2],
}

/// The two liveness models.
pub struct LivenessModel {
    pools: [SessionPool; 2],
}

impl LivenessModel {
    pub fn new(runtime: &'static Runtime, intra_threads: usize) -> Result<Self, PipelineError> {
        Ok(LivenessModel {
            pools: [runtime.pool(MODELS[0].0, intra_threads)?, runtime.pool(MODELS[1].0, intra_threads)?],
        })
    }

    /// Score the face in `bbox` of `img`.
    pub fn score(&self, img: &Rgb8, bbox: &BBox) -> Result<LivenessScore, PipelineError> {
        let mut per_model = [0f32; 2];
        let mut input = vec![0f32; 3 * SIDE * SIDE];
        for (k, (pool, (_, scale))) in self.pools.iter().zip(MODELS).enumerate() {
            let crop = crop_box(img.width() as f32, img.height() as f32, bbox, scale);
            let mut patch = Rgb8::zeros(SIDE, SIDE)?;
            let (cw, ch) = (crop[2] - crop[0] + 1.0, crop[3] - crop[1] + 1.0);
            let (fx, fy) = (cw / SIDE as f32, ch / SIDE as f32);
            // Pixel-centre aligned resize of the crop (OpenCV's INTER_LINEAR convention).
            let map = Affine([[fx, 0.0, crop[0] + 0.5 * fx - 0.5], [0.0, fy, crop[1] + 0.5 * fy - 0.5]]);
            warp_affine(img, &map, &mut patch);
            write_planar(&patch, ChannelOrder::Bgr, SIDE, SIDE, &mut input);
            let mut session = pool.get()?;
            let tensor =
                TensorRef::from_array_view(([1usize, 3, SIDE, SIDE], &input[..])).map_err(|e| pool.error(e))?;
            let outputs = session.run(ort::inputs!["input" => tensor]).map_err(|e| pool.error(e))?;
            let (_, logits) = outputs["output"].try_extract_tensor::<f32>().map_err(|e| pool.error(e))?;
            per_model[k] = softmax_real(logits).ok_or(PipelineError::ModelOutput {
                model: "minifasnet",
                reason: format!("expected 3 finite logits, got {logits:?}"),
            })?;
        }
        Ok(LivenessScore { p_real: (per_model[0] + per_model[1]) / 2.0, per_model })
    }
}

fn softmax_real(logits: &[f32]) -> Option<f32> {
    if logits.len() != 3 || logits.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let max = logits.iter().copied().fold(f32::MIN, f32::max);
    let e: Vec<f32> = logits.iter().map(|v| (v - max).exp()).collect();
    Some(e[1] / e.iter().sum::<f32>())
}

/// The crop `[x0, y0, x1, y1]` (inclusive): the box scaled about its centre, shrunk to fit the image
/// and shifted inside it (Silent-Face's `_get_new_box`).
fn crop_box(src_w: f32, src_h: f32, b: &BBox, scale: f32) -> [f32; 4] {
    let (bw, bh) = (b.w.max(1.0), b.h.max(1.0));
    let scale = scale.min((src_h - 1.0) / bh).min((src_w - 1.0) / bw).max(0.0);
    let (nw, nh) = (bw * scale, bh * scale);
    let (cx, cy) = (b.x + bw / 2.0, b.y + bh / 2.0);
    let (mut x0, mut y0, mut x1, mut y1) = (cx - nw / 2.0, cy - nh / 2.0, cx + nw / 2.0, cy + nh / 2.0);
    if x0 < 0.0 {
        x1 -= x0;
        x0 = 0.0;
    }
    if y0 < 0.0 {
        y1 -= y0;
        y0 = 0.0;
    }
    if x1 > src_w - 1.0 {
        x0 -= x1 - src_w + 1.0;
        x1 = src_w - 1.0;
    }
    if y1 > src_h - 1.0 {
        y0 -= y1 - src_h + 1.0;
        y1 = src_h - 1.0;
    }
    [x0.max(0.0).floor(), y0.max(0.0).floor(), x1.floor(), y1.floor()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crop_stays_inside_the_image() {
        let b = BBox { x: 0.0, y: 0.0, w: 50.0, h: 60.0 };
        let c = crop_box(200.0, 150.0, &b, 4.0);
        assert!(c[0] >= 0.0 && c[1] >= 0.0 && c[2] <= 199.0 && c[3] <= 149.0);
        let huge = BBox { x: -10.0, y: -10.0, w: 500.0, h: 500.0 };
        let c = crop_box(200.0, 150.0, &huge, 2.7);
        assert!(c[0] >= 0.0 && c[1] >= 0.0 && c[2] <= 199.0 && c[3] <= 149.0);
    }

    #[test]
    fn softmax_picks_class_one_and_refuses_bad_logits() {
        let p = softmax_real(&[0.0, 2.0, 0.0]).expect("p");
        assert!(p > 0.7 && p < 1.0);
        assert!(softmax_real(&[0.0, f32::NAN, 0.0]).is_none());
        assert!(softmax_real(&[1.0]).is_none());
    }
}
