//! Face embedding with SFace: aligned 112x112 RGB, values 0..255, 128-d output, L2-normalised.

use ort::value::TensorRef;
use sealgate_models::{Runtime, SessionPool};
use serde::{Deserialize, Serialize};

use super::ALIGNED_SIZE;
use super::tensor::{ChannelOrder, write_planar};
use crate::PipelineError;
use crate::image::Rgb8;

pub const EMBEDDING_DIM: usize = 128;
const MODEL: &str = "sface";

/// An L2-normalised face embedding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Embedding(pub Vec<f32>);

impl Embedding {
    /// Normalise `v` to unit length; `None` for a zero, non-finite or wrongly sized vector.
    pub fn from_raw(v: Vec<f32>) -> Option<Embedding> {
        if v.len() != EMBEDDING_DIM || v.iter().any(|x| !x.is_finite()) {
            return None;
        }
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        (norm > 1e-6).then(|| Embedding(v.into_iter().map(|x| x / norm).collect()))
    }
}

/// SFace recogniser.
pub struct FaceEmbedder {
    pool: SessionPool,
}

impl FaceEmbedder {
    pub fn new(runtime: &'static Runtime, intra_threads: usize) -> Result<Self, PipelineError> {
        Ok(FaceEmbedder { pool: runtime.pool(MODEL, intra_threads)? })
    }

    /// Embed an aligned face.
    pub fn embed(&self, aligned: &Rgb8) -> Result<Embedding, PipelineError> {
        if aligned.width() != ALIGNED_SIZE || aligned.height() != ALIGNED_SIZE {
            return Err(PipelineError::ModelOutput {
                model: MODEL,
                reason: "input is not an aligned 112x112 face".into(),
            });
        }
        let mut input = vec![0f32; 3 * ALIGNED_SIZE * ALIGNED_SIZE];
        write_planar(aligned, ChannelOrder::Rgb, ALIGNED_SIZE, ALIGNED_SIZE, &mut input);
        let mut session = self.pool.get()?;
        let tensor = TensorRef::from_array_view(([1usize, 3, ALIGNED_SIZE, ALIGNED_SIZE], &input[..]))
            .map_err(|e| self.pool.error(e))?;
        let outputs = session.run(ort::inputs!["data" => tensor]).map_err(|e| self.pool.error(e))?;
        let (_, raw) = outputs["fc1"].try_extract_tensor::<f32>().map_err(|e| self.pool.error(e))?;
        Embedding::from_raw(raw.to_vec()).ok_or(PipelineError::ModelOutput {
            model: MODEL,
            reason: "embedding is not a finite non-zero 128-d vector".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_and_refuses_degenerate_vectors() {
        let e = Embedding::from_raw(vec![3.0; EMBEDDING_DIM]).expect("embedding");
        assert!((e.0.iter().map(|x| x * x).sum::<f32>() - 1.0).abs() < 1e-5);
        assert!(Embedding::from_raw(vec![0.0; EMBEDDING_DIM]).is_none());
        assert!(Embedding::from_raw(vec![1.0; 3]).is_none());
        assert!(Embedding::from_raw(vec![f32::NAN; EMBEDDING_DIM]).is_none());
    }
}
