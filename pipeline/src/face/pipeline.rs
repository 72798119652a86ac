//! A whole frame: decode → detect → pick the subject → align → quality → embed → liveness.
//!
//! The report keeps every measurement and every reason to refuse; the caller (the cabinet decision,
//! the CLI, the evaluation) decides what to do with them. A pipeline error is never an "allow".

use std::time::{Duration, Instant};

use sealgate_models::Runtime;
use serde::{Deserialize, Serialize};

use super::{
    Detection, Embedding, FaceConfig, FaceDetector, FaceEmbedder, LivenessModel, LivenessScore, MultiFacePolicy,
    Quality, QualityIssue, align_face, assess_quality,
};
use crate::PipelineError;
use crate::image::{DecodeLimits, Rgb8, decode};

/// Why a frame cannot be used to decide.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Rejection {
    NoFace,
    MultipleFaces {
        count: usize,
    },
    /// The landmarks could not be aligned (degenerate geometry).
    AlignmentFailed,
    Quality {
        issue: QualityIssue,
    },
    Spoof {
        p_real: f32,
        threshold: f32,
    },
}

impl Rejection {
    /// Stable reason code.
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::NoFace => "no_face",
            Rejection::MultipleFaces { .. } => "multiple_faces",
            Rejection::AlignmentFailed => "alignment_failed",
            Rejection::Quality { issue } => match issue {
                QualityIssue::FaceTooSmall => "face_too_small",
                QualityIssue::TooBlurred => "too_blurred",
                QualityIssue::TooDark => "too_dark",
                QualityIssue::OverExposed => "over_exposed",
                QualityIssue::PoseNotFrontal => "pose_not_frontal",
            },
            Rejection::Spoof { .. } => "spoof",
        }
    }
}

/// Everything measured on the subject's face.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaceEvidence {
    pub detection: Detection,
    pub quality: Quality,
    pub liveness: LivenessScore,
    pub live: bool,
    pub embedding: Embedding,
}

/// Wall time of each stage of one frame.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct StageTimings {
    pub decode: Duration,
    pub detect: Duration,
    pub align: Duration,
    pub quality: Duration,
    pub embed: Duration,
    pub liveness: Duration,
}

impl StageTimings {
    pub fn total(&self) -> Duration {
        self.decode + self.detect + self.align + self.quality + self.embed + self.liveness
    }
}

/// The analysis of one frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrameReport {
    pub width: usize,
    pub height: usize,
    /// Every face found, best score first.
    pub faces: Vec<Detection>,
    /// The most prominent face, analysed (absent when there is no face or it cannot be aligned).
    pub subject: Option<FaceEvidence>,
    /// Every reason this frame cannot be used; empty means usable.
    pub rejections: Vec<Rejection>,
    pub timings: StageTimings,
}

impl FrameReport {
    /// True when a live, good-quality, single subject was found.
    pub fn usable(&self) -> bool {
        self.subject.is_some() && self.rejections.is_empty()
    }

    /// The stable codes of every rejection.
    pub fn reason_codes(&self) -> Vec<&'static str> {
        self.rejections.iter().map(Rejection::code).collect()
    }
}

/// The loaded face models with their configuration.
pub struct FacePipeline {
    pub config: FaceConfig,
    pub limits: DecodeLimits,
    detector: FaceDetector,
    embedder: FaceEmbedder,
    liveness: LivenessModel,
}

impl FacePipeline {
    /// Load and verify every face model. Fails (and callers deny) when any is missing or corrupt.
    pub fn new(runtime: &'static Runtime, config: FaceConfig, limits: DecodeLimits) -> Result<Self, PipelineError> {
        config.validate().map_err(PipelineError::Config)?;
        Ok(FacePipeline {
            detector: FaceDetector::new(runtime, &config)?,
            embedder: FaceEmbedder::new(runtime, config.intra_threads)?,
            liveness: LivenessModel::new(runtime, config.intra_threads)?,
            config,
            limits,
        })
    }

    pub fn detector(&self) -> &FaceDetector {
        &self.detector
    }

    pub fn embedder(&self) -> &FaceEmbedder {
        &self.embedder
    }

    pub fn liveness(&self) -> &LivenessModel {
        &self.liveness
    }

    /// Decode `bytes` and analyse the frame.
    pub fn analyze_bytes(&self, bytes: &[u8]) -> Result<FrameReport, PipelineError> {
        let t = Instant::now();
        let img = decode(bytes, self.limits)?;
        let decode_time = t.elapsed();
        let mut report = self.analyze(&img)?;
        report.timings.decode = decode_time;
        Ok(report)
    }

    /// Analyse a decoded frame.
    pub fn analyze(&self, img: &Rgb8) -> Result<FrameReport, PipelineError> {
        let mut timings = StageTimings::default();
        let mut rejections = Vec::new();

        let t = Instant::now();
        let faces = self.detector.detect(img)?;
        timings.detect = t.elapsed();

        let subject_det = faces.iter().max_by(|a, b| a.bbox.area().total_cmp(&b.bbox.area())).copied();
        let without_subject = |faces, mut rejections: Vec<Rejection>, reason, timings| {
            rejections.push(reason);
            FrameReport { width: img.width(), height: img.height(), faces, subject: None, rejections, timings }
        };
        let Some(det) = subject_det else {
            return Ok(without_subject(faces, rejections, Rejection::NoFace, timings));
        };
        if faces.len() > 1 && self.config.multi_face_policy == MultiFacePolicy::Reject {
            rejections.push(Rejection::MultipleFaces { count: faces.len() });
        }

        let t = Instant::now();
        let aligned = align_face(img, &det)?;
        timings.align = t.elapsed();
        let Some(aligned) = aligned else {
            return Ok(without_subject(faces, rejections, Rejection::AlignmentFailed, timings));
        };

        let t = Instant::now();
        let quality = assess_quality(&det, &aligned, &self.config);
        rejections.extend(quality.issues.iter().map(|&issue| Rejection::Quality { issue }));
        timings.quality = t.elapsed();

        let t = Instant::now();
        let embedding = self.embedder.embed(&aligned)?;
        timings.embed = t.elapsed();

        let t = Instant::now();
        let liveness = self.liveness.score(img, &det.bbox)?;
        timings.liveness = t.elapsed();
        let live = liveness.p_real >= self.config.liveness_threshold;
        if !live {
            rejections.push(Rejection::Spoof { p_real: liveness.p_real, threshold: self.config.liveness_threshold });
        }

        let subject = FaceEvidence { detection: det, quality, liveness, live, embedding };
        Ok(FrameReport { width: img.width(), height: img.height(), faces, subject: Some(subject), rejections, timings })
    }
}
