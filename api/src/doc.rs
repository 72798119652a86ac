//! Reading page photos for the command line and the evaluation: the loaded engines, and
//! `eval-ocr` over a generated set (CER on clean renders, on photos, under seals; orientation
//! accuracy; seconds per page).

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use sealgate_datasets::documents::{ManifestEntry, load_manifest};
use sealgate_models::Runtime;
use sealgate_pipeline::image::{DecodeLimits, decode};
use sealgate_pipeline::ocr::{OcrEngine, PpOcr, TesseractOcr, text_of};
use sealgate_pipeline::page::{PageConfig, PageReading, read_photo};
use sealgate_pipeline::text::{levenshtein, normalize_for_comparison};
use serde::Serialize;

use crate::config::Config;

/// Which engine reads the text (orientation is always decided with PP-OCR's detector and classifier).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    Ppocr,
    Tesseract,
}

/// Loaded OCR engines.
pub struct Readers {
    pub ppocr: PpOcr,
    pub tesseract: Option<TesseractOcr>,
    pub page: PageConfig,
    pub limits: DecodeLimits,
}

impl Readers {
    /// Load PP-OCR, and Tesseract when `with_tesseract`. Missing models or language data are errors.
    pub fn load(config: &Config, with_tesseract: bool) -> anyhow::Result<Readers> {
        let runtime = Runtime::global()?;
        Ok(Readers {
            ppocr: PpOcr::new(runtime, config.ocr.ppocr.clone())?,
            tesseract: with_tesseract.then(|| TesseractOcr::new(config.ocr.tesseract.clone())).transpose()?,
            page: config.ocr.page.clone(),
            limits: config.decode_limits(),
        })
    }

    pub fn engine(&self, engine: Engine) -> anyhow::Result<Option<&dyn OcrEngine>> {
        Ok(match engine {
            Engine::Ppocr => None,
            Engine::Tesseract => {
                Some(self.tesseract.as_ref().ok_or_else(|| anyhow::anyhow!("tesseract engine not loaded"))?
                    as &dyn OcrEngine)
            }
        })
    }

    /// Read a photo; `Ok(None)` when it holds no page.
    pub fn read_photo_bytes(
        &self,
        bytes: &[u8],
        engine: Engine,
        page: &PageConfig,
    ) -> anyhow::Result<Option<PageReading>> {
        let photo = decode(bytes, self.limits)?;
        Ok(read_photo(&photo, page, &self.ppocr, self.engine(engine)?)?.map(|(r, _)| r))
    }

    /// Read a clean page image as it is (no normalisation).
    pub fn read_clean(&self, bytes: &[u8], engine: Engine) -> anyhow::Result<String> {
        let page = decode(bytes, self.limits)?;
        let out = match self.engine(engine)? {
            None => self.ppocr.read(&page)?,
            Some(e) => e.read(&page)?,
        };
        Ok(text_of(&out.lines))
    }
}

/// Character edits and truth length after normalisation (NFKC, no whitespace, folded punctuation).
pub fn cer_counts(truth: &str, hypothesis: &str) -> (usize, usize) {
    let (t, h) = (normalize_for_comparison(truth), normalize_for_comparison(hypothesis));
    (levenshtein(&t, &h), t.chars().count())
}

/// Results of one engine over a set.
#[derive(Debug, Clone, Serialize)]
pub struct EngineEval {
    pub engine: Engine,
    pub photos: usize,
    /// `None` with `photos_only`.
    pub cer_clean: Option<f64>,
    pub cer_photo: f64,
    pub cer_photo_sealed: f64,
    pub cer_photo_unsealed: f64,
    /// CER on the sealed photos without red-ink suppression (PP-OCR only), to show what it does.
    pub cer_photo_sealed_without_red_suppression: Option<f64>,
    pub orientation_right: usize,
    pub orientation_wrong: Vec<String>,
    pub no_page: Vec<String>,
    pub seconds_per_photo: f64,
    pub photos_per_second: f64,
    pub seconds_per_clean_page: f64,
    pub worst: Vec<(String, f64)>,
}

struct ItemResult {
    id: String,
    clean: (usize, usize),
    photo: (usize, usize),
    sealed: bool,
    rotation_ok: bool,
    no_page: bool,
    photo_time: Duration,
    clean_time: Duration,
    sealed_no_red: Option<(usize, usize)>,
}

/// Evaluate `engine` over the set in `dir` (first `limit` photos), in parallel over photos. With
/// `photos_only`, the clean renders and the red-ink ablation are skipped.
pub fn eval_ocr(
    readers: &Readers,
    dir: &Path,
    engine: Engine,
    limit: Option<usize>,
    photos_only: bool,
) -> anyhow::Result<EngineEval> {
    let red_ablation = !photos_only;
    let manifest = load_manifest(dir)?;
    let entries: Vec<&ManifestEntry> = manifest.photos.iter().take(limit.unwrap_or(usize::MAX)).collect();
    let done = AtomicUsize::new(0);
    let no_red = PageConfig { suppress_red_ink: false, ..readers.page.clone() };
    let results: Vec<anyhow::Result<ItemResult>> = entries
        .par_iter()
        .map(|e| {
            let render = std::fs::read(dir.join(&e.render))?;
            let photo = std::fs::read(dir.join(&e.photo))?;
            let t = Instant::now();
            let clean_text = if photos_only { String::new() } else { readers.read_clean(&render, engine)? };
            let clean_time = t.elapsed();
            let t = Instant::now();
            let reading = readers.read_photo_bytes(&photo, engine, &readers.page)?;
            let photo_time = t.elapsed();
            let sealed_no_red = if red_ablation && e.sealed && engine == Engine::Ppocr {
                let r = readers.read_photo_bytes(&photo, engine, &no_red)?;
                Some(cer_counts(&e.text, r.as_ref().map_or("", |r| r.text.as_str())))
            } else {
                None
            };
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            eprint!("\r{engine:?}: {n}/{} photos", entries.len());
            Ok(ItemResult {
                id: e.id.clone(),
                clean: cer_counts(&e.text, &clean_text),
                photo: cer_counts(&e.text, reading.as_ref().map_or("", |r| r.text.as_str())),
                sealed: e.sealed,
                rotation_ok: reading.as_ref().is_some_and(|r| r.rotation == e.rotation),
                no_page: reading.is_none(),
                photo_time,
                clean_time,
                sealed_no_red,
            })
        })
        .collect();
    eprintln!();
    let results: Vec<ItemResult> = results.into_iter().collect::<anyhow::Result<_>>()?;
    let rate = |items: &mut dyn Iterator<Item = (usize, usize)>| {
        let (e, n) = items.fold((0usize, 0usize), |(a, b), (e, n)| (a + e, b + n));
        if n == 0 { 0.0 } else { e as f64 / n as f64 }
    };
    let n = results.len().max(1) as f64;
    let secs = results.iter().map(|r| r.photo_time.as_secs_f64()).sum::<f64>() / n;
    let mut worst: Vec<(String, f64)> =
        results.iter().map(|r| (r.id.clone(), r.photo.0 as f64 / r.photo.1.max(1) as f64)).collect();
    worst.sort_by(|a, b| b.1.total_cmp(&a.1));
    worst.truncate(5);
    Ok(EngineEval {
        engine,
        photos: results.len(),
        cer_clean: (!photos_only).then(|| rate(&mut results.iter().map(|r| r.clean))),
        cer_photo: rate(&mut results.iter().map(|r| r.photo)),
        cer_photo_sealed: rate(&mut results.iter().filter(|r| r.sealed).map(|r| r.photo)),
        cer_photo_unsealed: rate(&mut results.iter().filter(|r| !r.sealed).map(|r| r.photo)),
        cer_photo_sealed_without_red_suppression: (red_ablation && engine == Engine::Ppocr)
            .then(|| rate(&mut results.iter().filter_map(|r| r.sealed_no_red))),
        orientation_right: results.iter().filter(|r| r.rotation_ok).count(),
        orientation_wrong: results.iter().filter(|r| !r.rotation_ok && !r.no_page).map(|r| r.id.clone()).collect(),
        no_page: results.iter().filter(|r| r.no_page).map(|r| r.id.clone()).collect(),
        seconds_per_photo: secs,
        photos_per_second: if secs > 0.0 { 1.0 / secs } else { 0.0 },
        seconds_per_clean_page: results.iter().map(|r| r.clean_time.as_secs_f64()).sum::<f64>() / n,
        worst,
    })
}

/// The evaluation as a table, one row per engine.
pub fn eval_table(evals: &[EngineEval], sealed: usize, rotated: usize) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    let _ = writeln!(o, "photos {} (rotated {rotated}, sealed {sealed})", evals.first().map_or(0, |e| e.photos));
    let _ = writeln!(
        o,
        "\n engine    | CER clean | CER photo | CER sealed | CER unsealed | orientation | s/photo | photos/s | s/clean page"
    );
    let _ = writeln!(
        o,
        "-----------+-----------+-----------+------------+--------------+-------------+---------+----------+-------------"
    );
    for e in evals {
        let _ = writeln!(
            o,
            " {:<9} | {:>9} | {:8.3}% | {:9.3}% | {:11.3}% | {:>5}/{:<5} | {:7.2} | {:8.3} | {:12.2}",
            format!("{:?}", e.engine).to_lowercase(),
            e.cer_clean.map_or("n/a".to_string(), |c| format!("{:.3}%", c * 100.0)),
            e.cer_photo * 100.0,
            e.cer_photo_sealed * 100.0,
            e.cer_photo_unsealed * 100.0,
            e.orientation_right,
            e.photos,
            e.seconds_per_photo,
            e.photos_per_second,
            e.seconds_per_clean_page
        );
    }
    for e in evals {
        if let Some(no_red) = e.cer_photo_sealed_without_red_suppression {
            let _ = writeln!(
                o,
                "\nred-ink suppression ({:?}): CER under seals {:.3}% with, {:.3}% without",
                e.engine,
                e.cer_photo_sealed * 100.0,
                no_red * 100.0
            );
        }
        if !e.orientation_wrong.is_empty() || !e.no_page.is_empty() {
            let _ = writeln!(
                o,
                "{:?}: orientation wrong on {:?}; no page found on {:?}",
                e.engine, e.orientation_wrong, e.no_page
            );
        }
        let worst: Vec<String> = e.worst.iter().map(|(id, c)| format!("{id} {:.1}%", c * 100.0)).collect();
        let _ = writeln!(o, "{:?} worst photos: {}", e.engine, worst.join(", "));
    }
    o
}
