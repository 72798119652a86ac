//! Post-stamp inspection for the command line and the evaluation: the photos of a stamping session
//! checked one by one against the approved original and the granted seal's template, then reported
//! together (`sealgate doc inspect`).

use std::path::Path;

use sealgate_pipeline::compare::{ApprovedOriginal, CompareConfig};
use sealgate_pipeline::image::decode;
use sealgate_pipeline::inspect::{
    Checker, InspectConfig, PhotoChecks, PhotoReport, SessionSummary, check_photo, report,
};
use sealgate_pipeline::seal::SealTemplate;

use crate::compare::read_capped;
use crate::doc::{Engine, Readers};

/// A session's inspection: each photo's report and checks (the evidence), and the summary.
pub struct Inspection {
    pub photos: Vec<PhotoReport>,
    pub checks: Vec<PhotoChecks>,
    pub session: SessionSummary,
}

/// What a session is inspected against.
pub struct Session<'a> {
    pub original: &'a ApprovedOriginal,
    /// The granted seal's registered impression (印模), when known.
    pub template: Option<&'a SealTemplate>,
    /// Where impressions are expected, `[x0, y0, x1, y1]` in approved-page pixels.
    pub region: Option<[f32; 4]>,
    /// Impressions authorised for the whole session.
    pub authorized: Option<usize>,
}

impl Readers {
    /// Load a seal template (印模) image.
    pub fn seal_template(&self, path: &Path, cfg: &InspectConfig) -> anyhow::Result<SealTemplate> {
        let bytes = read_capped(path)?;
        let image = decode(&bytes, self.limits).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        SealTemplate::from_image(&image, &cfg.seal).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
    }

    /// Inspect `photos` (name, encoded bytes), in the order they were taken.
    pub fn inspect(
        &self,
        session: &Session,
        photos: &[(String, Vec<u8>)],
        engine: Engine,
        compare: &CompareConfig,
        cfg: &InspectConfig,
    ) -> anyhow::Result<Inspection> {
        let checker =
            Checker { page: &self.page, ppocr: &self.ppocr, engine: self.engine(engine)?, compare, inspect: cfg };
        let mut checks = Vec::with_capacity(photos.len());
        for (name, bytes) in photos {
            let photo = decode(bytes, self.limits).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
            checks.push(
                check_photo(&photo, session.original, session.template, session.region, &checker)
                    .map_err(|e| anyhow::anyhow!("{name}: {e}"))?,
            );
        }
        let names: Vec<String> = photos.iter().map(|(n, _)| n.clone()).collect();
        let (reports, summary) = report(&names, &checks, session.original.pages.len(), session.authorized, cfg);
        Ok(Inspection { photos: reports, checks, session: summary })
    }
}
