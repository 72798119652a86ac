//! The text path: read the whole photo, find which approved page it shows, compare the texts.

use std::time::Instant;

use super::diff::{LinesDiff, diff_lines};
use super::reread::{Photo, Reread, resolve_by_rereading};
use super::{
    ApprovedLine, ApprovedOriginal, CompareConfig, CompareError, ComparePath, CompareTimings, Comparison, decide,
    to_photo_boxes,
};
use crate::PipelineError;
use crate::image::Rgb8;
use crate::ocr::{OcrEngine, PpOcr, TextLine};
use crate::page::{PageConfig, PageReading, RedInkMap, read_photo};
use crate::text::normalize_for_comparison;

/// Character bigrams of a text's comparison form, sorted, for a quick similarity.
fn bigrams(text: &str) -> Vec<(char, char)> {
    let chars: Vec<char> = normalize_for_comparison(text).chars().collect();
    let mut out: Vec<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
    out.sort_unstable();
    out
}

/// Dice coefficient of two sorted bigram lists (multiset).
fn dice(a: &[(char, char)], b: &[(char, char)]) -> f32 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (2 * common) as f32 / (a.len() + b.len()) as f32
}

/// The approved page `found` shows: the best of the two pages most alike by bigrams, compared in
/// full. Returns the page index, its similarity and its differences; the page is `None` when even
/// the best is below [`CompareConfig::page_min_similarity`].
pub fn match_page(
    original: &ApprovedOriginal,
    found: &[TextLine],
    red_ink: &RedInkMap,
    cfg: &CompareConfig,
) -> Result<(Option<usize>, f32, LinesDiff), PipelineError> {
    if original.pages.is_empty() {
        return Err(CompareError::NoPages.into());
    }
    let found_grams = bigrams(&crate::ocr::text_of(found));
    let mut ranked: Vec<(usize, f32)> =
        (0..original.pages.len()).map(|i| (i, dice(&bigrams(&original.page_text(i)), &found_grams))).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut best: Option<(usize, f32, LinesDiff)> = None;
    for &(i, _) in ranked.iter().take(2) {
        let lines: Vec<(usize, &ApprovedLine)> = original.pages[i].lines.iter().enumerate().collect();
        let d = diff_lines(&lines, found, red_ink, &original.parties, cfg)?;
        let s = d.similarity();
        if best.as_ref().is_none_or(|b| s > b.1) {
            best = Some((i, s, d));
        }
    }
    let Some((i, s, d)) = best else { return Err(CompareError::NoPages.into()) };
    Ok(if s >= cfg.page_min_similarity { (Some(i), s, d) } else { (None, s, LinesDiff::default()) })
}

/// Compare a reading of the photo with the original; with `rereader`, differences are first
/// checked by reading the approved lines they involve again.
pub fn compare_reading(
    original: &ApprovedOriginal,
    reading: &PageReading,
    rereader: Option<&Photo>,
    cfg: &CompareConfig,
) -> Result<Comparison, PipelineError> {
    let t = Instant::now();
    let (page, mut similarity, mut diff) = match_page(original, &reading.lines, &reading.red_ink, cfg)?;
    let mut reread = Reread::default();
    if let (Some(i), Some(r)) = (page, rereader) {
        reread = resolve_by_rereading(&mut diff, &original.pages[i].lines, r, cfg.max_reread_lines, cfg)?;
        if reread.resolved > 0 {
            similarity = diff.similarity();
        }
    }
    to_photo_boxes(&mut diff.differences, &reading.page_to_photo);
    let (verdict, reasons) = decide(page, similarity, &diff.differences, cfg);
    Ok(Comparison {
        verdict,
        similarity,
        page,
        differences: diff.differences,
        reasons,
        path: ComparePath::Text,
        engine: reading.engine,
        rotation: reading.rotation,
        regions_compared: 0,
        regions_read: 0,
        lines_reread: reread.lines_read,
        misreadings_resolved: reread.resolved,
        changes_confirmed: reread.confirmed,
        fallback: None,
        timings: CompareTimings {
            normalise: reading.page_timings.sheet + reading.page_timings.warp + reading.page_timings.orientation,
            read: reading.ocr_time,
            compare: t.elapsed(),
            total: Default::default(),
        },
    })
}

/// The text path on a photo: normalise and read it (`engine`, or PP-OCR when `None`), then compare.
/// A photo with no page in it is a `mismatch` showing no page.
pub fn compare_text(
    original: &ApprovedOriginal,
    photo: &Rgb8,
    page_cfg: &PageConfig,
    ppocr: &PpOcr,
    engine: Option<&dyn OcrEngine>,
    cfg: &CompareConfig,
) -> Result<Comparison, PipelineError> {
    let t = Instant::now();
    let Some((reading, _page)) = read_photo(photo, page_cfg, ppocr, engine)? else {
        let (verdict, mut reasons) = decide(None, 0.0, &[], cfg);
        reasons.insert(0, "no page found in the photo".into());
        return Ok(Comparison {
            verdict,
            similarity: 0.0,
            page: None,
            differences: Vec::new(),
            reasons,
            path: super::ComparePath::Text,
            engine: engine.map_or(ppocr.name(), |e| e.name()),
            rotation: 0,
            regions_compared: 0,
            regions_read: 0,
            lines_reread: 0,
            misreadings_resolved: 0,
            changes_confirmed: 0,
            fallback: None,
            timings: CompareTimings { total: t.elapsed(), ..Default::default() },
        });
    };
    // Lines are read again on the photo with its seal ink faded, as the page was read.
    let mut faded = photo.clone();
    crate::page::suppress_seal_ink(&mut faded, page_cfg.seal_inks);
    let rereader = Photo { image: &faded, page_to_photo: &reading.page_to_photo, ppocr, engine };
    let mut c = compare_reading(original, &reading, Some(&rereader), cfg)?;
    c.timings.total = t.elapsed();
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dice_of_bigrams() {
        let a = bigrams("甲方：上海华信科技有限公司");
        assert_eq!(dice(&a, &a), 1.0);
        assert_eq!(dice(&[], &[]), 1.0);
        let b = bigrams("乙方：北京远景贸易有限公司");
        let d = dice(&a, &b);
        assert!(d > 0.0 && d < 0.5, "{d}");
        assert_eq!(dice(&a, &[]), 0.0);
    }
}
