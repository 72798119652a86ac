//! 1:1 verification and 1:N identification by cosine similarity of L2-normalised embeddings.

use serde::{Deserialize, Serialize};

use super::Embedding;

/// Cosine similarity of two unit vectors (their dot product); -1 for mismatched lengths.
pub fn cosine(a: &Embedding, b: &Embedding) -> f32 {
    if a.0.len() != b.0.len() {
        return -1.0;
    }
    a.0.iter().zip(&b.0).map(|(x, y)| x * y).sum()
}

/// Result of comparing a probe with one person's templates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Verification {
    /// Best similarity over the templates.
    pub similarity: f32,
    pub threshold: f32,
    pub same: bool,
}

/// Compare `probe` with every template of one person; the best similarity decides.
/// No templates means no match.
pub fn verify(probe: &Embedding, templates: &[Embedding], threshold: f32) -> Verification {
    let similarity = templates.iter().map(|t| cosine(probe, t)).fold(-1.0f32, f32::max);
    Verification { similarity, threshold, same: !templates.is_empty() && similarity >= threshold }
}

/// Enrolled identities, each with one or more templates.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Gallery {
    pub identities: Vec<(String, Vec<Embedding>)>,
}

impl Gallery {
    pub fn add(&mut self, id: &str, template: Embedding) {
        match self.identities.iter_mut().find(|(i, _)| i == id) {
            Some((_, t)) => t.push(template),
            None => self.identities.push((id.to_string(), vec![template])),
        }
    }
}

/// Outcome of 1:N identification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Identification {
    /// The best identity is above the threshold and clear of the second by the margin.
    Match { id: String, similarity: f32, second: Option<f32> },
    /// Nobody reaches the threshold.
    NoMatch { best: Option<(String, f32)> },
    /// Two identities are too close to tell apart: refuse rather than guess.
    Ambiguous { candidates: Vec<(String, f32)> },
}

/// Rank every identity by its best template and decide.
pub fn identify(
    probe: &Embedding,
    gallery: &Gallery,
    threshold: f32,
    margin: f32,
    top_k: usize,
) -> (Identification, Vec<(String, f32)>) {
    let mut ranked: Vec<(String, f32)> =
        gallery.identities.iter().map(|(id, t)| (id.clone(), verify(probe, t, threshold).similarity)).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranked.truncate(top_k.max(2));
    let decision = match (ranked.first(), ranked.get(1)) {
        (Some((id, best)), second) if *best >= threshold => {
            let second = second.map(|s| s.1);
            if second.is_some_and(|s| best - s < margin) {
                Identification::Ambiguous { candidates: ranked.iter().take(2).cloned().collect() }
            } else {
                Identification::Match { id: id.clone(), similarity: *best, second }
            }
        }
        (best, _) => Identification::NoMatch { best: best.cloned() },
    };
    (decision, ranked)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(v: &[f32]) -> Embedding {
        let mut x = v.to_vec();
        x.resize(super::super::EMBEDDING_DIM, 0.0);
        Embedding::from_raw(x).expect("embedding")
    }

    #[test]
    fn verify_takes_the_best_template_and_refuses_an_empty_list() {
        let p = e(&[1.0, 0.0]);
        let v = verify(&p, &[e(&[0.0, 1.0]), e(&[1.0, 0.1])], 0.9);
        assert!(v.same && v.similarity > 0.99);
        assert!(!verify(&p, &[], -1.0).same);
    }

    #[test]
    fn identify_matches_refuses_and_detects_look_alikes() {
        let mut g = Gallery::default();
        g.add("a", e(&[1.0, 0.0, 0.0]));
        g.add("b", e(&[0.0, 1.0, 0.0]));
        assert!(
            matches!(identify(&e(&[1.0, 0.1, 0.0]), &g, 0.5, 0.05, 5).0, Identification::Match { ref id, .. } if id == "a")
        );
        assert!(matches!(identify(&e(&[0.0, 0.0, 1.0]), &g, 0.5, 0.05, 5).0, Identification::NoMatch { .. }));
        assert!(matches!(identify(&e(&[1.0, 1.0, 0.0]), &g, 0.5, 0.05, 5).0, Identification::Ambiguous { .. }));
        assert!(matches!(
            identify(&e(&[1.0, 0.0, 0.0]), &Gallery::default(), 0.5, 0.05, 5).0,
            Identification::NoMatch { best: None }
        ));
    }
}
