//! Face thresholds and policies. Values come from the shipped config file (`config/sealgate.toml`,
//! section `[face]`), never from code, so that a site can recalibrate without a rebuild.

use serde::{Deserialize, Serialize};

/// What to do when a frame holds more than one face.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MultiFacePolicy {
    /// Refuse the frame (`multiple_faces`): someone may be standing behind the applicant.
    Reject,
    /// Analyse the most prominent face only.
    Largest,
}

/// Every threshold of the face stages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaceConfig {
    /// Longer side of the detector input, in pixels (multiple of 32).
    pub detector_input_side: usize,
    /// YuNet score threshold.
    pub detector_score_threshold: f32,
    /// NMS IoU threshold.
    pub nms_iou: f32,
    pub multi_face_policy: MultiFacePolicy,
    /// Smallest accepted face box side, in source pixels.
    pub min_face_px: f32,
    /// Smallest accepted Laplacian variance of the aligned face.
    pub min_sharpness: f32,
    /// Mean luma of the aligned face must lie in `[min_brightness, max_brightness]`.
    pub min_brightness: f32,
    pub max_brightness: f32,
    /// Largest accepted |yaw offset|: nose offset from the eye midline over the eye distance.
    pub max_yaw_offset: f32,
    /// Largest accepted |roll|, degrees.
    pub max_roll_deg: f32,
    /// Accepted range of (nose - eyes) / (mouth - eyes) vertical ratio.
    pub pitch_ratio_range: [f32; 2],
    /// Cosine similarity at or above which two faces are the same person.
    pub match_threshold: f32,
    /// 1:N: best must beat the second-best identity by at least this much.
    pub identify_margin: f32,
    /// Mean p(real) of the two MiniFASNet models at or above which a face is live.
    pub liveness_threshold: f32,
    /// ONNX Runtime intra-op threads per session.
    pub intra_threads: usize,
}

impl FaceConfig {
    /// Check values are in range.
    pub fn validate(&self) -> Result<(), String> {
        let unit = |v: f32, name: &str| {
            if (0.0..=1.0).contains(&v) { Ok(()) } else { Err(format!("face.{name} = {v} is outside 0..1")) }
        };
        if self.detector_input_side < 32
            || !self.detector_input_side.is_multiple_of(32)
            || self.detector_input_side > 2048
        {
            return Err(format!(
                "face.detector_input_side = {} must be a multiple of 32 in 32..=2048",
                self.detector_input_side
            ));
        }
        unit(self.detector_score_threshold, "detector_score_threshold")?;
        unit(self.nms_iou, "nms_iou")?;
        unit(self.liveness_threshold, "liveness_threshold")?;
        unit(self.identify_margin, "identify_margin")?;
        if !(-1.0..=1.0).contains(&self.match_threshold) {
            return Err(format!("face.match_threshold = {} is outside -1..1", self.match_threshold));
        }
        if self.min_brightness >= self.max_brightness {
            return Err("face.min_brightness must be below face.max_brightness".into());
        }
        if self.intra_threads == 0 {
            return Err("face.intra_threads must be at least 1".into());
        }
        Ok(())
    }
}
