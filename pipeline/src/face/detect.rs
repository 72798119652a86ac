//! Face detection with YuNet (dynamic input), decoded as in `../shared/models/MANIFEST.md`:
//! per stride `s` in {8, 16, 32} and anchor `i` at column `c`, row `r`:
//! `score = sqrt(clamp(cls) * clamp(obj))`, centre `((c + b0) s, (r + b1) s)`,
//! size `(exp(b2) s, exp(b3) s)`, landmark `k = ((kx + c) s, (ky + r) s)`; then NMS.

use ort::value::TensorRef;
use sealgate_models::{Runtime, SessionPool};
use serde::{Deserialize, Serialize};

use super::FaceConfig;
use super::nms::nms;
use super::tensor::{ChannelOrder, write_planar};
use crate::PipelineError;
use crate::image::{Rgb8, resize_bilinear};

/// An axis-aligned box in source-image pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BBox {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl BBox {
    pub fn area(&self) -> f32 {
        self.w.max(0.0) * self.h.max(0.0)
    }

    /// Intersection over union; 0 when either box is empty.
    pub fn iou(&self, o: &BBox) -> f32 {
        let ix = (self.x + self.w).min(o.x + o.w) - self.x.max(o.x);
        let iy = (self.y + self.h).min(o.y + o.h) - self.y.max(o.y);
        let inter = ix.max(0.0) * iy.max(0.0);
        let union = self.area() + o.area() - inter;
        if union <= 0.0 { 0.0 } else { inter / union }
    }
}

/// One detected face: box, score and 5 landmarks (left eye, right eye, nose, left and right mouth
/// corner, in image order), all in source-image pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Detection {
    pub bbox: BBox,
    pub score: f32,
    pub landmarks: [[f32; 2]; 5],
}

const STRIDES: [usize; 3] = [8, 16, 32];
const MODEL: &str = "yunet";

/// YuNet face detector.
pub struct FaceDetector {
    pool: SessionPool,
    input_side: usize,
    score_threshold: f32,
    nms_iou: f32,
}

impl FaceDetector {
    pub fn new(runtime: &'static Runtime, cfg: &FaceConfig) -> Result<Self, PipelineError> {
        Ok(FaceDetector {
            pool: runtime.pool(MODEL, cfg.intra_threads)?,
            input_side: cfg.detector_input_side,
            score_threshold: cfg.detector_score_threshold,
            nms_iou: cfg.nms_iou,
        })
    }

    /// Every face in `img` scoring at least the threshold, best first.
    pub fn detect(&self, img: &Rgb8) -> Result<Vec<Detection>, PipelineError> {
        let (w, h) = (img.width(), img.height());
        if w < 8 || h < 8 {
            return Ok(Vec::new());
        }
        let scale = self.input_side as f32 / w.max(h) as f32;
        let rw = ((w as f32 * scale).round() as usize).clamp(1, self.input_side);
        let rh = ((h as f32 * scale).round() as usize).clamp(1, self.input_side);
        let (iw, ih) = (rw.div_ceil(32) * 32, rh.div_ceil(32) * 32);
        let mut resized = Rgb8::zeros(rw, rh)?;
        resize_bilinear(img, &mut resized);
        let mut input = vec![0f32; 3 * iw * ih];
        write_planar(&resized, ChannelOrder::Bgr, iw, ih, &mut input);
        // Scale from detector input back to source pixels, per axis (rounding differs slightly).
        let (sx, sy) = (w as f32 / rw as f32, h as f32 / rh as f32);

        let mut session = self.pool.get()?;
        let tensor = TensorRef::from_array_view(([1usize, 3, ih, iw], &input[..])).map_err(|e| self.pool.error(e))?;
        let outputs = session.run(ort::inputs!["input" => tensor]).map_err(|e| self.pool.error(e))?;
        let mut dets = Vec::new();
        for s in STRIDES {
            let cols = iw / s;
            let n = cols * (ih / s);
            let get = |name: String, width: usize| -> Result<&[f32], PipelineError> {
                let (_, data) = outputs[name.as_str()].try_extract_tensor::<f32>().map_err(|e| self.pool.error(e))?;
                if data.len() != n * width {
                    return Err(PipelineError::ModelOutput {
                        model: MODEL,
                        reason: format!("{name} has {} values, expected {}", data.len(), n * width),
                    });
                }
                Ok(data)
            };
            let (cls, obj, bbox, kps) = (
                get(format!("cls_{s}"), 1)?,
                get(format!("obj_{s}"), 1)?,
                get(format!("bbox_{s}"), 4)?,
                get(format!("kps_{s}"), 10)?,
            );
            let sf = s as f32;
            for i in 0..n {
                let score = (cls[i].clamp(0.0, 1.0) * obj[i].clamp(0.0, 1.0)).sqrt();
                if score < self.score_threshold || !score.is_finite() {
                    continue;
                }
                let (c, r) = ((i % cols) as f32, (i / cols) as f32);
                let b = &bbox[i * 4..i * 4 + 4];
                let (cx, cy) = ((c + b[0]) * sf, (r + b[1]) * sf);
                let (bw, bh) = (b[2].exp() * sf, b[3].exp() * sf);
                let k = &kps[i * 10..i * 10 + 10];
                let mut landmarks = [[0f32; 2]; 5];
                for (j, lm) in landmarks.iter_mut().enumerate() {
                    *lm = [(k[2 * j] + c) * sf * sx, (k[2 * j + 1] + r) * sf * sy];
                }
                let bbox = BBox { x: (cx - bw / 2.0) * sx, y: (cy - bh / 2.0) * sy, w: bw * sx, h: bh * sy };
                if bbox.area().is_finite() && bbox.w > 0.0 && bbox.h > 0.0 {
                    dets.push(Detection { bbox, score, landmarks });
                }
            }
        }
        Ok(nms(dets, self.nms_iou))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iou_of_disjoint_identical_and_empty_boxes() {
        let a = BBox { x: 0.0, y: 0.0, w: 10.0, h: 10.0 };
        assert_eq!(a.iou(&a), 1.0);
        assert_eq!(a.iou(&BBox { x: 20.0, ..a }), 0.0);
        assert_eq!(a.iou(&BBox { x: 0.0, y: 0.0, w: 0.0, h: 0.0 }), 0.0);
        assert!((a.iou(&BBox { x: 5.0, ..a }) - 50.0 / 150.0).abs() < 1e-6);
    }
}
