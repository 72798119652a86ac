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
use sealgate_pipeline::original::pdf::PdfLimits;

fn paths(c: &mut Criterion) {
    let config = Config::shipped();
    let readers = Readers::load(&config, false).expect("OCR models installed");
    let mut g = c.benchmark_group("compare");
    g.sample_size(10);
    for (name, kind) in [("unaltered", None), ("amount_digit", Some(TamperKind::AmountDigit))] {
        let (pages, cap, _) = compare_case(4242, 0, kind).expect("generated case");
        let dir = std::env::temp_dir().join(format!("sealgate-bench-compare-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let files: Vec<PathBuf> = pages
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let f = dir.join(format!("{name}-{i}.png"));
                p.save(&f).expect("page written");
                f
            })
            .collect();
        let refs: Vec<&std::path::Path> = files.iter().map(PathBuf::as_path).collect();
        let original = readers.approve(&refs, Engine::Ppocr, &PdfLimits::DEFAULT).expect("original approved");
        let _ = std::fs::remove_dir_all(&dir);
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

criterion_group!(benches, paths);
criterion_main!(benches);
