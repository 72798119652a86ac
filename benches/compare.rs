//! Comparing a 1500x2000 page photo with its approved original, one intra-op thread, on both paths:
//! unaltered (the region path reads nothing when every line matches as pixels) and with one amount
//! digit changed (the region path reads the flagged lines). The original is processed once, outside
//! the measurement, as it is when approved.
//!
//! `cargo bench -p sealgate-benches --bench compare`

use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use sealgate_api::compare::Route;
use sealgate_api::config::Config;
use sealgate_api::doc::{Engine, Readers};
use sealgate_datasets::documents::compare_set::compare_case;
use sealgate_datasets::documents::tamper::TamperKind;
use sealgate_pipeline::compare::ApprovedOriginal;
use sealgate_pipeline::original::pdf::PdfLimits;

fn paths(c: &mut Criterion) {
    let config = Config::shipped();
    let readers = Readers::load(&config, false).expect("OCR models installed");
    let mut g = c.benchmark_group("compare");
    g.sample_size(10);
    // Case 0 of the bench seed is a photo the region path cannot register (it falls back to the text
    // path, and the fallback is measured as it happens); the first case it registers is measured too,
    // so that both costs are known. `sealgate doc eval` reports how often each happens over a set.
    let registered = first_registered(&readers, &config);
    for (name, kind, index) in [
        ("unaltered", None, 0),
        ("amount_digit", Some(TamperKind::AmountDigit), 0),
        ("registered_unaltered", None, registered),
        ("registered_amount_digit", Some(TamperKind::AmountDigit), registered),
    ] {
        let (pages, cap, _) = compare_case(4242, index, kind).expect("generated case");
        let original = approve(&readers, &pages, name);
        for (route, label) in [(Route::Region, "region"), (Route::Text, "text")] {
            let c = readers.compare(&original, &cap.jpeg, Engine::Ppocr, route, &config.compare).expect("compare");
            eprintln!(
                "{name}/{label}: {:?}, path {:?}, fallback {:?}, lines read {}",
                c.verdict, c.path, c.fallback, c.regions_read
            );
            g.bench_function(format!("{name}/{label}"), |b| {
                b.iter(|| {
                    readers.compare(&original, &cap.jpeg, Engine::Ppocr, route, &config.compare).expect("compare")
                })
            });
        }
    }
    g.finish();
}

/// The approved original of `pages`, as `sealgate doc compare` processes it.
fn approve(readers: &Readers, pages: &[image::RgbImage], name: &str) -> ApprovedOriginal {
    let dir = std::env::temp_dir().join(format!("sealgate-bench-compare-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let files: Vec<PathBuf> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let f = dir.join(format!("page-{i}.png"));
            p.save(&f).expect("page written");
            f
        })
        .collect();
    let refs: Vec<&std::path::Path> = files.iter().map(PathBuf::as_path).collect();
    let original = readers.approve(&refs, Engine::Ppocr, &PdfLimits::DEFAULT).expect("original approved");
    let _ = std::fs::remove_dir_all(&dir);
    original
}

/// Index of the first unaltered case of the bench seed that the region path registers.
fn first_registered(readers: &Readers, config: &Config) -> usize {
    (1..32)
        .find(|&i| {
            let (pages, cap, _) = compare_case(4242, i, None).expect("generated case");
            let original = approve(readers, &pages, "probe");
            let c =
                readers.compare(&original, &cap.jpeg, Engine::Ppocr, Route::Region, &config.compare).expect("compare");
            eprintln!("case {i}: fallback {:?}", c.fallback);
            c.fallback.is_none()
        })
        .expect("a case the region path registers among the first 32")
}

criterion_group!(benches, paths);
criterion_main!(benches);
