//! Face stages and whole frames, at 1 and 2 ONNX Runtime intra-op threads.
//!
//! `cargo bench -p sealgate-benches --bench face`

use criterion::{Criterion, criterion_group, criterion_main};
use sealgate_benches::{face_pipeline, sample_frame};
use sealgate_pipeline::face::align_face;
use sealgate_pipeline::image::{DecodeLimits, decode};

fn stages(c: &mut Criterion) {
    let bytes = sample_frame();
    let img = decode(&bytes, DecodeLimits::DEFAULT).expect("decode");
    c.bench_function("face/decode_640x480_jpeg", |b| b.iter(|| decode(&bytes, DecodeLimits::DEFAULT).expect("decode")));
    for threads in [1, 2] {
        let p = face_pipeline(threads);
        let det = p.detector().detect(&img).expect("detect")[0];
        let aligned = align_face(&img, &det).expect("align").expect("landmarks");
        let mut g = c.benchmark_group(format!("face/{threads}_thread"));
        g.bench_function("detect", |b| b.iter(|| p.detector().detect(&img).expect("detect")));
        g.bench_function("align", |b| b.iter(|| align_face(&img, &det).expect("align")));
        g.bench_function("embed", |b| b.iter(|| p.embedder().embed(&aligned).expect("embed")));
        g.bench_function("liveness", |b| b.iter(|| p.liveness().score(&img, &det.bbox).expect("liveness")));
        g.bench_function("frame", |b| b.iter(|| p.analyze_bytes(&bytes).expect("frame")));
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = stages
}
criterion_main!(benches);
