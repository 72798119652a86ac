//! Tests of the blank-page check on generated pages photographed and normalised as in production,
//! edge cases, timing, and the calibration run that sets the thresholds in `config.rs`.

use std::time::{Duration, Instant};

use rayon::prelude::*;
use sealgate_datasets::documents::blank::{
    BlankKind, GeneratedPage, LittleTextKind, PageKind, blank_sample, little_text_sample, photograph,
};

use super::*;
use crate::image::{DecodeLimits, decode};
use crate::page::{PageConfig, flatten_page};

/// The generated page photographed at `rotation` and normalised as the caller would (colour kept).
fn normalised(page: &GeneratedPage, seed: u64, rotation: u16) -> Option<Rgb8> {
    let cap = photograph(page, seed, rotation).expect("photo");
    let photo = decode(&cap.jpeg, DecodeLimits::DEFAULT).expect("decodes");
    let cfg = PageConfig { suppress_red_ink: false, ..PageConfig::default() };
    flatten_page(&photo, &cfg).expect("flattens").ok().map(|f| f.image)
}

/// The calibration's stand-in for the OCR count: every printed character and every seal character.
fn ocr_proxy(page: &GeneratedPage) -> usize {
    page.printed_chars() + page.seal_chars()
}

struct Row {
    kind: PageKind,
    seed: u64,
    evidence: BlankEvidence,
    took: Duration,
}

fn generated(kind: PageKind, seed: u64) -> GeneratedPage {
    match kind {
        PageKind::Blank(k) => blank_sample(seed, k),
        PageKind::LittleText(k) => little_text_sample(seed, k),
    }
    .expect("page")
}

/// The photo's rotation for `seed`: every quarter turn occurs, since a blank page has no text to be
/// turned upright by.
fn rotation_of(seed: u64) -> u16 {
    [0u16, 90, 180, 270][(seed % 4) as usize]
}

/// The normalised page and the OCR proxy of `(kind, seed)`, from the cache directory `$BLANK_CACHE`
/// when it holds them (written there otherwise); `None` when no sheet is found in the photo.
fn page_and_chars(kind: PageKind, seed: u64) -> Option<(Rgb8, usize)> {
    let cache = std::env::var("BLANK_CACHE").ok().map(std::path::PathBuf::from);
    let path = cache.as_ref().map(|d| d.join(format!("{}_{seed}.png", kind.name())));
    let chars_path = path.as_ref().map(|p| p.with_extension("chars"));
    if let (Some(p), Some(c)) = (&path, &chars_path)
        && let (Ok(bytes), Ok(chars)) = (std::fs::read(p), std::fs::read_to_string(c))
    {
        let chars: usize = chars.trim().parse().expect("cached count");
        return Some((decode(&bytes, DecodeLimits::DEFAULT).expect("cached page"), chars));
    }
    let page = generated(kind, seed);
    let chars = ocr_proxy(&page);
    let image = normalised(&page, seed, rotation_of(seed))?;
    if let (Some(dir), Some(p), Some(c)) = (&cache, &path, &chars_path) {
        std::fs::create_dir_all(dir).expect("cache dir");
        let rgb = ::image::RgbImage::from_raw(image.width() as u32, image.height() as u32, image.data().to_vec());
        rgb.expect("rgb").save(p).expect("cache page");
        std::fs::write(c, chars.to_string()).expect("cache count");
    }
    Some((image, chars))
}

fn run(kind: PageKind, seed: u64, cfg: &BlankConfig) -> Option<Row> {
    let (image, chars) = page_and_chars(kind, seed)?;
    let t = Instant::now();
    let evidence = assess_blank(&image, chars, &[], cfg).expect("assessed");
    Some(Row { kind, seed, evidence, took: t.elapsed() })
}

/// The pages of a calibration run: `$BLANK_PER_KIND` (25) of each blank kind and `$LITTLE_PER_KIND`
/// (120) of each little-text kind, seeds from `$BLANK_SEED0` (1000; the held-out check uses 2000).
fn calibration_jobs() -> Vec<(PageKind, u64)> {
    let env = |name: &str, default: u64| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let (per_blank, per_little, seed0) =
        (env("BLANK_PER_KIND", 25), env("LITTLE_PER_KIND", 120), env("BLANK_SEED0", 1000));
    let blank = BlankKind::ALL.into_iter().flat_map(|k| (0..per_blank).map(move |s| (PageKind::Blank(k), seed0 + s)));
    let little = LittleTextKind::ALL
        .into_iter()
        .flat_map(|k| (0..per_little).map(move |s| (PageKind::LittleText(k), seed0 + s)));
    blank.chain(little).collect()
}

#[test]
#[ignore = "calibration: photographs a few hundred generated pages and prints scores per kind"]
fn calibration() {
    let cfg: BlankConfig =
        std::env::var("BLANK_CFG").map(|j| serde_json::from_str(&j).expect("BLANK_CFG")).unwrap_or_default();
    let jobs = calibration_jobs();
    let rows: Vec<Option<Row>> = jobs.par_iter().map(|&(k, s)| run(k, s, &cfg)).collect();
    let missing = rows.iter().filter(|r| r.is_none()).count();
    let rows: Vec<Row> = rows.into_iter().flatten().collect();
    println!("{missing} photos without a sheet found (skipped)");
    println!(
        "{:<28} {:>4} {:>9} {:>9} {:>10} {:>10} {:>6}",
        "kind", "n", "min", "max", "ink% max", "ink% min", "blank"
    );
    let kinds: Vec<PageKind> =
        BlankKind::ALL.map(PageKind::Blank).into_iter().chain(LittleTextKind::ALL.map(PageKind::LittleText)).collect();
    for kind in kinds {
        let of: Vec<&Row> = rows.iter().filter(|r| r.kind == kind).collect();
        let scores: Vec<f32> = of.iter().map(|r| r.evidence.score).collect();
        let inks: Vec<f32> = of.iter().map(|r| r.evidence.weighted_ink * 100.0).collect();
        let min = |v: &[f32]| v.iter().copied().fold(f32::INFINITY, f32::min);
        let max = |v: &[f32]| v.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let blank = of.iter().filter(|r| r.evidence.blank).count();
        let chars = of.iter().map(|r| r.evidence.text_chars).max().unwrap_or(0);
        println!(
            "| {} | {} | {:.3} | {:.3} | {:.4} | {chars} | {blank} |",
            kind.name(),
            of.len(),
            min(&scores),
            max(&scores),
            max(&inks),
        );
    }
    let is_blank = |r: &&Row| matches!(r.kind, PageKind::Blank(_));
    let mut blanks: Vec<&Row> = rows.iter().filter(is_blank).collect();
    blanks.sort_by(|a, b| b.evidence.score.total_cmp(&a.evidence.score));
    let mut littles: Vec<&Row> = rows.iter().filter(|r| !is_blank(r)).collect();
    littles.sort_by(|a, b| a.evidence.score.total_cmp(&b.evidence.score));
    for (what, list) in [("highest blank", &blanks), ("lowest little-text", &littles)] {
        for r in list.iter().take(5) {
            println!("{what}: {} {} score {:.3} {:?}", r.kind.name(), r.seed, r.evidence.score, r.evidence.reasons);
        }
    }
    if let (Some(b), Some(l)) = (blanks.first(), littles.first()) {
        let called = littles.iter().filter(|r| r.evidence.blank).count();
        println!(
            "margin: lowest little-text {:.3} / highest blank {:.3} = {:.2}x; little-text called blank {called}/{}",
            l.evidence.score,
            b.evidence.score,
            l.evidence.score / b.evidence.score.max(1e-6),
            littles.len()
        );
    }
    let mut took: Vec<Duration> = rows.iter().map(|r| r.took).collect();
    took.sort();
    if let (Some(median), Some(slowest)) = (took.get(took.len() / 2), took.last()) {
        println!("assess_blank per page: median {median:.2?}, slowest {slowest:.2?} (threads busy with photos)");
    }
}

#[test]
#[ignore = "debug: writes the normalised page and its ink mask of BLANK_DEBUG=kind,seed to /tmp"]
fn debug_dump() {
    let spec = std::env::var("BLANK_DEBUG").unwrap_or_else(|_| "signature,1004".into());
    let (name, seed) = spec.split_once(',').expect("kind,seed");
    let seed: u64 = seed.parse().expect("seed");
    let kind: PageKind = serde_json::from_str(&format!(
        r#"{{"class":"{}","kind":"{name}"}}"#,
        if ["signature", "paragraph", "table"].contains(&name) { "little_text" } else { "blank" }
    ))
    .expect("kind");
    let (image, chars) = page_and_chars(kind, seed).expect("sheet");
    let cfg: BlankConfig =
        std::env::var("BLANK_CFG").map(|j| serde_json::from_str(&j).expect("BLANK_CFG")).unwrap_or_default();
    let pooled = pool_page(&image, cfg.seal_chroma).expect("pool");
    let mut ink = valley_ink(&pooled.level, valley_params(&cfg)).expect("valley");
    let ex = SealExclusion { halo: cfg.seal_halo_px.div_ceil(POOL), dark: cfg.dark_under_seal };
    clear_seal_ink(&mut ink, &pooled.level, &pooled.seal, ex);
    let save = |path: &str, w: usize, h: usize, data: Vec<u8>| {
        ::image::GrayImage::from_raw(w as u32, h as u32, data).expect("gray").save(path).expect("save");
    };
    ::image::RgbImage::from_raw(image.width() as u32, image.height() as u32, image.data().to_vec())
        .expect("rgb")
        .save("/tmp/blank_page.png")
        .expect("save");
    save("/tmp/blank_level.png", ink.width(), ink.height(), pooled.level.data().to_vec());
    save("/tmp/blank_ink.png", ink.width(), ink.height(), ink.data().iter().map(|&v| 255 - v.min(2) * 127).collect());
    println!("{:?}", assess_blank(&image, chars, &[], &cfg).expect("assessed"));
    let zones = Zones::new(ink.width(), ink.height(), cfg.margin_share, cfg.band_share);
    let k = keep(&cfg);
    for c in components::connected_components(&ink, cfg.join_px / POOL) {
        if c.area >= k.min_area && c.strong >= k.min_strong {
            println!("component {:?} strong {} zone {:?} (cells)", c, c.strong, zones.of(c.centre_x2()));
        }
    }
}

/// A 1240 x 1754 page of paper at `paper` with `draw` applied.
fn synthetic(paper: [u8; 3], draw: impl Fn(usize, usize) -> Option<[u8; 3]>) -> Rgb8 {
    let (w, h) = (1240, 1754);
    let data =
        (0..h).flat_map(|y| (0..w).map(move |x| (x, y))).flat_map(|(x, y)| draw(x, y).unwrap_or(paper)).collect();
    Rgb8::new(w, h, data).expect("page")
}

/// Text-like ink: lines of 24 px "characters" (a box outline with a bar through it), 3 px strokes.
fn text_like(x: usize, y: usize, rows: std::ops::Range<usize>) -> bool {
    let line = y / 56;
    let (cx, cy) = (x % 32, y % 56);
    let glyph = (4..28).contains(&cx) && (16..40).contains(&cy);
    let stroke = !(7..25).contains(&cx) || !(19..37).contains(&cy) || (27..30).contains(&cy);
    rows.contains(&line) && (150..1000).contains(&x) && glyph && stroke
}

#[test]
fn text_like_ink_counts_in_the_body_only() {
    let cfg = BlankConfig::default();
    let ink = Some([30, 30, 30]);
    // Two lines of 26 "characters" in the middle of the page.
    let body = synthetic([245; 3], |x, y| text_like(x, y, 14..16).then_some(ink).flatten());
    let e = assess_blank(&body, 0, &[], &cfg).expect("assessed");
    assert!(!e.blank && e.components > 0, "{e:?}");
    // The same in the top band (a letterhead), and down the left margin: blank.
    let header = synthetic([245; 3], |x, y| text_like(x, y, 1..2).then_some(ink).flatten());
    assert!(assess_blank(&header, 0, &[], &cfg).expect("assessed").blank);
    let margin = synthetic([245; 3], |x, y| (x < 40 && (300..1400).contains(&y) && x % 8 < 3).then_some(ink).flatten());
    assert!(assess_blank(&margin, 0, &[], &cfg).expect("assessed").blank);
    // The body text, excluded by a seal box over it: blank.
    let e = assess_blank(&body, 0, &[[0.0, 700.0, 1240.0, 950.0]], &cfg).expect("assessed");
    assert!(e.blank, "{e:?}");
    // Red or blue "text": seal ink, not print.
    let red = synthetic([245; 3], |x, y| text_like(x, y, 10..20).then_some(Some([200, 40, 50])).flatten());
    assert!(assess_blank(&red, 0, &[], &cfg).expect("assessed").blank);
    let blue = synthetic([245; 3], |x, y| text_like(x, y, 10..20).then_some(Some([40, 70, 190])).flatten());
    assert!(assess_blank(&blue, 0, &[], &cfg).expect("assessed").blank);
    // OCR characters alone (show-through read as text) do not make a page with no print a document;
    // over a little print they raise the score.
    let white = synthetic([245; 3], |_, _| None);
    assert!(assess_blank(&white, 0, &[], &cfg).expect("assessed").blank);
    assert!(assess_blank(&white, usize::MAX, &[], &cfg).expect("assessed").blank);
    let plain = assess_blank(&body, 0, &[], &cfg).expect("assessed");
    let read = assess_blank(&body, 1000, &[], &cfg).expect("assessed");
    assert!(read.score > plain.score && read.score.is_finite(), "{plain:?} {read:?}");
}

#[test]
fn hostile_pages_and_settings_are_errors_or_blank_never_panics() {
    let cfg = BlankConfig::default();
    for (w, h) in [(0, 0), (1, 1), (31, 2000), (2000, 31)] {
        let page = Rgb8::zeros(w, h).expect("page");
        assert!(matches!(assess_blank(&page, 0, &[], &cfg), Err(PipelineError::Image(ImageError::TooSmall { .. }))));
    }
    let small_limit = BlankConfig { max_pixels: 1_000, ..Default::default() };
    let page = Rgb8::zeros(100, 100).expect("page");
    assert!(matches!(
        assess_blank(&page, 0, &[], &small_limit),
        Err(PipelineError::Image(ImageError::TooLarge { .. }))
    ));
    let bad = BlankConfig { blank_below: f32::NAN, ..Default::default() };
    assert!(matches!(assess_blank(&page, 0, &[], &bad), Err(PipelineError::Config(_))));
    // All black, all red, all white, a checkerboard of noise: no document there.
    for fill in [[0, 0, 0], [220, 30, 40], [255, 255, 255], [40, 40, 200]] {
        let e = assess_blank(&synthetic(fill, |_, _| None), 0, &[], &cfg).expect("assessed");
        assert!(e.blank && e.ink_share == 0.0, "{fill:?}: {e:?}");
    }
    let pepper = synthetic([240; 3], |x, y| ((x * 7919 + y * 104_729) % 97 == 0).then_some([0, 0, 0]));
    assert!(assess_blank(&pepper, 0, &[], &cfg).expect("assessed").blank);
    let boxes = [[f32::NAN, 0.0, 1.0, 1.0], [-1e30, -1e30, 1e30, 1e30], [5.0, 5.0, 1.0, 1.0]];
    assert!(assess_blank(&pepper, 0, &boxes, &cfg).expect("assessed").blank);
    let e = assess_blank(&Rgb8::zeros(32, 32).expect("page"), 0, &[], &cfg).expect("smallest page");
    assert!(e.blank);
    // A strip 20000 px long with a stroke pattern across it: odd, assessed, no panic.
    let strip: Vec<u8> = (0..40 * 20_000).flat_map(|i| if i % 20_000 % 9 < 2 { [20; 3] } else { [240; 3] }).collect();
    let strip = Rgb8::new(20_000, 40, strip).expect("strip");
    assert!(assess_blank(&strip, 5, &[], &cfg).is_ok());
}

#[test]
fn every_blank_kind_photographed_and_normalised_is_blank() {
    let cfg = BlankConfig::default();
    for (i, kind) in BlankKind::ALL.into_iter().enumerate() {
        for seed in [11 + i as u64, 40 + i as u64] {
            let page = generated(PageKind::Blank(kind), seed);
            let image = normalised(&page, seed, rotation_of(seed)).expect("a sheet");
            let e = assess_blank(&image, ocr_proxy(&page), &[], &cfg).expect("assessed");
            assert!(e.blank, "{kind:?} seed {seed}: {e:?}");
        }
    }
}

#[test]
fn a_seal_alone_is_blank_with_or_without_its_box() {
    let cfg = BlankConfig::default();
    for seed in [3u64, 4, 5] {
        let page = generated(PageKind::Blank(BlankKind::SealOnly), seed);
        let image = normalised(&page, seed, 0).expect("a sheet");
        for boxes in [Vec::new(), page.seal_boxes()] {
            let e = assess_blank(&image, ocr_proxy(&page), &boxes, &cfg).expect("assessed");
            assert!(e.blank, "seed {seed}: {e:?}");
        }
    }
}

#[test]
fn every_little_text_kind_photographed_and_normalised_is_not_blank() {
    let cfg = BlankConfig::default();
    for (i, kind) in LittleTextKind::ALL.into_iter().enumerate() {
        for seed in [21 + i as u64, 50 + i as u64, 80 + i as u64] {
            let page = generated(PageKind::LittleText(kind), seed);
            let image = normalised(&page, seed, rotation_of(seed)).expect("a sheet");
            // Without the OCR's help: the ink alone must say "document".
            let e = assess_blank(&image, 0, &[], &cfg).expect("assessed");
            assert!(!e.blank, "{kind:?} seed {seed}: {e:?}");
        }
    }
}

#[test]
fn a_photo_sized_page_is_assessed_in_milliseconds() {
    let page = generated(PageKind::LittleText(LittleTextKind::Paragraph), 7);
    let cap = photograph(&page, 7, 0).expect("photo");
    // The 1500 x 2000 photo itself: desk texture and all, harder than a normalised page.
    let photo = decode(&cap.jpeg, DecodeLimits::DEFAULT).expect("decodes");
    assert_eq!((photo.width(), photo.height()), (1500, 2000));
    let cfg = BlankConfig::default();
    let mut took: Vec<Duration> = (0..9)
        .map(|_| {
            let t = Instant::now();
            let e = assess_blank(&photo, 0, &[], &cfg).expect("assessed");
            std::hint::black_box(e);
            t.elapsed()
        })
        .collect();
    took.sort();
    let (fastest, median) = (took.first().copied().unwrap_or_default(), took.get(4).copied().unwrap_or_default());
    println!("assess_blank on 1500 x 2000: fastest {fastest:.2?}, median {median:.2?}");
    // The budget is 20 ms on one core (about 9 ms measured alone: `profile_stages`). Tests run side by
    // side here, so the bound only catches a change of complexity, not a few milliseconds.
    assert!(fastest < Duration::from_millis(100), "{fastest:?}");
}

#[test]
#[ignore = "exploration: scores the cached calibration pages under each config of BLANK_GRID (a JSON list)"]
fn explore() {
    let grid: Vec<serde_json::Value> =
        serde_json::from_str(&std::env::var("BLANK_GRID").unwrap_or_else(|_| "[{}]".into())).expect("BLANK_GRID");
    let cfgs: Vec<BlankConfig> = grid.into_iter().map(|v| serde_json::from_value(v).expect("config")).collect();
    let jobs = calibration_jobs();
    let scored: Vec<(PageKind, u64, Vec<f32>)> = jobs
        .par_iter()
        .filter_map(|&(k, s)| {
            let (image, chars) = page_and_chars(k, s)?;
            let scores = cfgs.iter().map(|c| assess_blank(&image, chars, &[], c).expect("assessed").score).collect();
            Some((k, s, scores))
        })
        .collect();
    for (i, cfg) in cfgs.iter().enumerate() {
        let blank_max = scored
            .iter()
            .filter(|r| matches!(r.0, PageKind::Blank(_)))
            .max_by(|a, b| a.2[i].total_cmp(&b.2[i]))
            .map(|r| (r.0.name(), r.1, r.2[i]));
        let Some((bk, bs, bmax)) = blank_max else { continue };
        let mut little: Vec<(String, u64, f32)> = scored
            .iter()
            .filter(|r| matches!(r.0, PageKind::LittleText(_)))
            .map(|r| (r.0.name(), r.1, r.2[i]))
            .collect();
        little.sort_by(|a, b| a.2.total_cmp(&b.2));
        let overlap = little.iter().filter(|l| l.2 <= bmax).count();
        let low: Vec<String> = little.iter().take(4).map(|l| format!("{} {} {:.3}", l.0, l.1, l.2)).collect();
        println!(
            "{}\n  blank max {bk} {bs} {bmax:.3}; little <= it: {overlap}/{}; lowest {low:?}",
            serde_json::to_string(cfg).expect("cfg"),
            little.len()
        );
    }
}

#[test]
#[ignore = "timing per stage on a 1500 x 2000 photo: the fastest of 20 runs of each"]
fn profile_stages() {
    let page = generated(PageKind::LittleText(LittleTextKind::Paragraph), 7);
    let cap = photograph(&page, 7, 0).expect("photo");
    let photo = decode(&cap.jpeg, DecodeLimits::DEFAULT).expect("decodes");
    let cfg = BlankConfig::default();
    let fastest = |f: &mut dyn FnMut()| {
        (0..20)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .min()
            .unwrap_or_default()
    };
    let pooled = pool_page(&photo, cfg.seal_chroma).expect("pool");
    let ink = valley_ink(&pooled.level, valley_params(&cfg)).expect("valley");
    let ex = SealExclusion { halo: cfg.seal_halo_px.div_ceil(POOL), dark: cfg.dark_under_seal };
    let pool = fastest(&mut || drop(std::hint::black_box(pool_page(&photo, cfg.seal_chroma))));
    let valley = fastest(&mut || drop(std::hint::black_box(valley_ink(&pooled.level, valley_params(&cfg)))));
    let seal = fastest(&mut || {
        let mut m = ink.clone();
        std::hint::black_box(clear_seal_ink(&mut m, &pooled.level, &pooled.seal, ex));
    });
    let comps = fastest(&mut || drop(std::hint::black_box(components::connected_components(&ink, cfg.join_px / POOL))));
    let all = fastest(&mut || drop(std::hint::black_box(assess_blank(&photo, 0, &[], &cfg))));
    println!("pool {pool:.2?} valley {valley:.2?} seal {seal:.2?} components {comps:.2?}; assess_blank {all:.2?}");
}

#[test]
#[ignore = "real OCR: reads cached calibration pages with PP-OCR (red ink faded, as the page reader does) and \
            assesses them with the count it reads"]
fn with_real_ocr_counts() {
    use crate::ocr::{OcrEngine, PpOcr, PpOcrConfig};
    use crate::page::suppress_red_ink;
    let runtime = sealgate_models::Runtime::global().expect("ONNX Runtime installed");
    let ocr = PpOcr::new(runtime, PpOcrConfig::default()).expect("PP-OCR models installed");
    let cfg = BlankConfig::default();
    let per_kind: u64 = std::env::var("OCR_PER_KIND").ok().and_then(|v| v.parse().ok()).unwrap_or(6);
    let kinds = BlankKind::ALL.map(PageKind::Blank).into_iter().chain(LittleTextKind::ALL.map(PageKind::LittleText));
    println!("| kind | pages | OCR chars min | OCR chars max | score min | score max | called blank |");
    println!("|---|---|---|---|---|---|---|");
    let only = std::env::var("OCR_KIND").ok();
    for kind in kinds.filter(|k| only.as_ref().is_none_or(|o| *o == k.name())) {
        let mut rows: Vec<(usize, BlankEvidence)> = Vec::new();
        for seed in 1000..1000 + per_kind {
            let Some((image, _)) = page_and_chars(kind, seed) else { continue };
            let mut faded = image.clone();
            suppress_red_ink(&mut faded);
            let read = ocr.read(&faded).expect("read");
            let chars: usize = read.lines.iter().map(|l| l.text.chars().filter(|c| !c.is_whitespace()).count()).sum();
            rows.push((chars, assess_blank(&image, chars, &[], &cfg).expect("assessed")));
        }
        let chars = rows.iter().map(|r| r.0);
        let scores = rows.iter().map(|r| r.1.score);
        println!(
            "| {} | {} | {} | {} | {:.3} | {:.3} | {} |",
            kind.name(),
            rows.len(),
            chars.clone().min().unwrap_or(0),
            chars.max().unwrap_or(0),
            scores.clone().fold(f32::INFINITY, f32::min),
            scores.fold(f32::NEG_INFINITY, f32::max),
            rows.iter().filter(|r| r.1.blank).count()
        );
    }
}
