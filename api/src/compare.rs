//! Approved originals and comparisons for the command line and the evaluation: originals loaded from
//! page images or PDFs, photos compared on the text or the region path.

use std::path::Path;

use sealgate_pipeline::compare::original::{approve_image, approve_pdf};
use sealgate_pipeline::compare::{
    ApprovedOriginal, ApprovedPage, CompareConfig, Comparison, compare_region, compare_text,
};
use sealgate_pipeline::image::decode;
use sealgate_pipeline::original::pdf::{PdfLimits, is_pdf};

use crate::doc::{Engine, Readers};

/// Largest original or photo file read, bytes.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// How a photo is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Route {
    /// Region path when the original has page images (it always has: PDFs are rendered), else text.
    Auto,
    Text,
    Region,
}

/// Read a file of at most [`MAX_FILE_BYTES`].
pub fn read_capped(path: &Path) -> anyhow::Result<Vec<u8>> {
    use std::io::Read;
    let f = std::fs::File::open(path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    let mut bytes = Vec::new();
    f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    anyhow::ensure!(bytes.len() as u64 <= MAX_FILE_BYTES, "{} is over {} bytes", path.display(), MAX_FILE_BYTES);
    Ok(bytes)
}

impl Readers {
    /// Process an approved original made of `files` (page images and/or PDFs, in page order).
    pub fn approve(&self, files: &[&Path], engine: Engine, limits: &PdfLimits) -> anyhow::Result<ApprovedOriginal> {
        let named = files
            .iter()
            .map(|p| Ok((p.display().to_string(), read_capped(p)?)))
            .collect::<anyhow::Result<Vec<(String, Vec<u8>)>>>()?;
        self.approve_bytes(&named, engine, limits)
    }

    /// Process an approved original made of `files` (name, encoded page image or PDF), in page order.
    pub fn approve_bytes(
        &self,
        files: &[(String, Vec<u8>)],
        engine: Engine,
        limits: &PdfLimits,
    ) -> anyhow::Result<ApprovedOriginal> {
        anyhow::ensure!(!files.is_empty(), "an original needs at least one file");
        let mut pages: Vec<ApprovedPage> = Vec::new();
        let e = self.engine(engine)?;
        for (name, bytes) in files {
            if is_pdf(bytes) {
                pages.extend(
                    approve_pdf(bytes, limits, &self.page, &self.ppocr, e)
                        .map_err(|err| anyhow::anyhow!("{name}: {err}"))?,
                );
            } else {
                let image = decode(bytes, self.limits).map_err(|err| anyhow::anyhow!("{name}: {err}"))?;
                pages.push(
                    approve_image(&image, &self.page, &self.ppocr, e)
                        .map_err(|err| anyhow::anyhow!("{name}: {err}"))?,
                );
            }
        }
        Ok(ApprovedOriginal::new(pages, e.map_or("ppocr-v6-small", |e| e.name())))
    }

    /// Compare a photo (encoded bytes) with `original`.
    pub fn compare(
        &self,
        original: &ApprovedOriginal,
        photo: &[u8],
        engine: Engine,
        path: Route,
        cfg: &CompareConfig,
    ) -> anyhow::Result<Comparison> {
        let photo = decode(photo, self.limits)?;
        let e = self.engine(engine)?;
        let has_image = original.pages.iter().any(|p| p.image.is_some());
        Ok(match path {
            Route::Text => compare_text(original, &photo, &self.page, &self.ppocr, e, cfg)?,
            Route::Region | Route::Auto if has_image => {
                compare_region(original, &photo, &self.page, &self.ppocr, e, cfg)?
            }
            Route::Region => anyhow::bail!("the region path needs an original with page images"),
            Route::Auto => compare_text(original, &photo, &self.page, &self.ppocr, e, cfg)?,
        })
    }
}
