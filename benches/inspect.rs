//! The post-stamp checks of a 1500x2000 photo of a stamped approved page, one thread: impressions
//! found and fitted, compared with the granted seal's template, placed against the text; the page
//! assessed for blankness. Decoding, normalisation (sheet, warp, orientation) and OCR are done once,
//! outside the measurement, as the goal excludes them; they are measured by the `ocr` and
//! `compare` benchmarks.
//!
//! `cargo bench -p sealgate-benches --bench inspect`

use criterion::{Criterion, criterion_group, criterion_main};
use sealgate_api::config::Config;
use sealgate_api::doc::Readers;
use sealgate_datasets::documents::inspect_set::{InspectKind, inspect_case};
use sealgate_pipeline::image::decode;
use sealgate_pipeline::inspect::{StampFindings, stamp_checks};
use sealgate_pipeline::page::{PageConfig, PageOutcome, read_upright, upright_page};

fn checks(c: &mut Criterion) {
    let config = Config::shipped();
    let readers = Readers::load(&config, false).expect("OCR models installed");
    let mut g = c.benchmark_group("inspect");
    g.sample_size(20);
    for (name, kind) in [("approved", InspectKind::Approved), ("wrong_seal", InspectKind::WrongSeal)] {
        let (_pages, template, cap, _) = inspect_case(4343, 0, kind).expect("generated case");
        let dir = std::env::temp_dir().join(format!("sealgate-bench-inspect-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let t = dir.join("template.png");
        template.save(&t).expect("template written");
        let template = readers.seal_template(&t, &config.inspect).expect("template loaded");
        let _ = std::fs::remove_dir_all(&dir);
        let photo = decode(&cap.jpeg, readers.limits).expect("photo decoded");
        let page_cfg = PageConfig { keep_colour: true, ..readers.page.clone() };
        let page = match upright_page(&photo, &page_cfg, &readers.ppocr).expect("normalised") {
            PageOutcome::Page(p) => p,
            PageOutcome::NoPage(r) => panic!("no page: {r:?}"),
        };
        let reading = read_upright(&page, &readers.ppocr, None).expect("read");
        let colour = page.colour.as_ref().unwrap_or(&page.image);
        let StampFindings { blank, impressions: found, .. } =
            stamp_checks(colour, &reading, &page.page_to_photo, Some(&template), None, &config.inspect)
                .expect("checks");
        eprintln!(
            "{name}: photo {}x{}, page {}x{}, blank score {:.2}, impressions {}, similarity {:?}",
            photo.width(),
            photo.height(),
            colour.width(),
            colour.height(),
            blank.score,
            found.len(),
            found.iter().map(|i| i.template.as_ref().map(|t| t.similarity)).collect::<Vec<_>>()
        );
        g.bench_function(name, |b| {
            b.iter(|| {
                stamp_checks(colour, &reading, &page.page_to_photo, Some(&template), None, &config.inspect)
                    .expect("checks")
            })
        });
    }
    g.finish();
}

criterion_group!(benches, checks);
criterion_main!(benches);
