//! Reading a page photo, per stage and whole, one intra-op thread: decode, sheet, upright page (warp,
//! lighting, orientation), PP-OCR detection and recognition, the whole read, and Tesseract.
//!
//! `cargo bench -p sealgate-benches --bench ocr`

use criterion::{Criterion, criterion_group, criterion_main};
use sealgate_api::config::Config;
use sealgate_api::doc::{Engine, Readers};
use sealgate_datasets::documents::single_photo;
use sealgate_pipeline::image::{DecodeLimits, decode};
use sealgate_pipeline::ocr::OcrEngine;
use sealgate_pipeline::page::{PageOutcome, find_sheet, upright_page};

fn stages(c: &mut Criterion) {
    let readers = Readers::load(&Config::shipped(), true).expect("OCR models and Tesseract data installed");
    // A 1500x2000 photo of a generated page, turned a quarter, with a seal.
    let (_, cap) = single_photo(4242, 1, 90, true).expect("generated photo");
    let photo = decode(&cap.jpeg, DecodeLimits::DEFAULT).expect("decode");
    let PageOutcome::Page(page) = upright_page(&photo, &readers.page, &readers.ppocr).expect("page") else {
        panic!("no page in the generated photo")
    };
    let mut g = c.benchmark_group("ocr");
    g.sample_size(10);
    g.bench_function("decode_photo", |b| b.iter(|| decode(&cap.jpeg, DecodeLimits::DEFAULT).expect("decode")));
    g.bench_function("find_sheet", |b| b.iter(|| find_sheet(&photo, readers.page.min_sheet_share).expect("sheet")));
    g.bench_function("upright_page", |b| b.iter(|| upright_page(&photo, &readers.page, &readers.ppocr).expect("page")));
    g.bench_function("ppocr_detect", |b| b.iter(|| readers.ppocr.detect(&page.image).expect("detect")));
    g.bench_function("ppocr_recognise", |b| {
        b.iter(|| readers.ppocr.recognise(&page.image, &page.quads).expect("recognise"))
    });
    g.bench_function("read_photo_ppocr", |b| {
        b.iter(|| readers.read_photo_bytes(&cap.jpeg, Engine::Ppocr, &readers.page).expect("read"))
    });
    if let Some(t) = &readers.tesseract {
        g.bench_function("tesseract_upright_page", |b| b.iter(|| t.read(&page.image).expect("tesseract")));
    }
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
