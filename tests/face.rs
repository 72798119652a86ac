//! Face verification at the cabinet, end to end on the real models and the shared photos.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::OnceLock;

use sealgate_api::config::Config;
use sealgate_api::face_eval::{self, EvalReport, PhotoResult};
use sealgate_datasets::faces::{Labelled, read_labels, shared_faces_dir};
use sealgate_datasets::hostile;
use sealgate_pipeline::face::{FacePipeline, Gallery, Identification, Rejection, identify};
use sealgate_pipeline::{ImageError, PipelineError};
use sealgate_tests::{face_photo, read_face_photo};

/// Counts the bytes each thread allocates, so a test can show that refusing a decompression bomb
/// allocates (almost) nothing.
struct CountingAlloc;

thread_local! {
    static ALLOCATED: Cell<usize> = const { Cell::new(0) };
}

#[allow(unsafe_code)]
// SAFETY: forwards to the system allocator unchanged; only counts sizes.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATED.try_with(|a| a.set(a.get() + layout.size()));
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

fn pipeline() -> &'static FacePipeline {
    sealgate_api::shared_face_pipeline().expect("face models installed (run `sealgate models fetch`)")
}

fn config() -> Config {
    Config::shipped()
}

struct Evaluated {
    labels: Vec<Labelled>,
    results: Vec<PhotoResult>,
    report: EvalReport,
}

fn evaluate(csv: &str) -> Evaluated {
    let labels = read_labels(&shared_faces_dir().join(csv)).expect("labels");
    let results = face_eval::analyse(pipeline(), &labels, false);
    let c = config();
    let report = face_eval::evaluate(&labels, &results, None, c.face.match_threshold, c.face.liveness_threshold);
    Evaluated { labels, results, report }
}

fn western() -> &'static Evaluated {
    static E: OnceLock<Evaluated> = OnceLock::new();
    E.get_or_init(|| evaluate("labels.csv"))
}

fn east_asian() -> &'static Evaluated {
    static E: OnceLock<Evaluated> = OnceLock::new();
    E.get_or_init(|| evaluate("labels_east_asian.csv"))
}

#[test]
fn every_labelled_photo_yields_exactly_one_face() {
    let e = western();
    assert_eq!(e.report.images, 16);
    assert!(e.report.errors.is_empty(), "{:?}", e.report.errors);
    for (l, r) in e.labels.iter().zip(&e.results) {
        assert_eq!(r.faces, 1, "{}", l.path.display());
    }
}

#[test]
fn shipped_threshold_separates_every_labelled_pair() {
    let r = &western().report;
    assert_eq!(r.pairs, 120);
    assert_eq!(r.false_matches, 0, "a different-identity pair matched");
    assert_eq!(r.false_non_matches, 0, "a same-identity pair did not match");
    assert!(r.genuine_min.expect("genuine pairs") >= r.threshold);
    assert!(r.impostor_max.expect("impostor pairs") < r.threshold);
}

#[test]
fn shipped_threshold_keeps_east_asian_false_matches_rare() {
    let r = &east_asian().report;
    assert_eq!(r.images, 120);
    assert!(r.impostor_pairs > 6000);
    assert!(r.fmr <= 1e-3, "FMR {} at the shipped threshold {}", r.fmr, r.threshold);
    // The shipped threshold sits at or above the one the data asks for.
    assert!(r.threshold >= r.threshold_at_fmr_1e3.expect("impostors"));
    // And it still lets most genuine users through (no-face profiles count against it).
    assert!(r.fnmr < 0.2, "FNMR {}", r.fnmr);
}

#[test]
fn liveness_passes_the_real_sample_and_refuses_both_attacks() {
    let real = pipeline().analyze_bytes(&read_face_photo("silent_face_samples/image_T1.jpg")).expect("T1");
    assert!(real.usable(), "T1 refused: {:?}", real.reason_codes());
    for attack in ["image_F1.jpg", "image_F2.jpg"] {
        let r = pipeline().analyze_bytes(&read_face_photo(&format!("silent_face_samples/{attack}"))).expect(attack);
        assert!(!r.usable());
        assert!(
            r.rejections.iter().any(|x| matches!(x, Rejection::Spoof { .. })),
            "{attack} not refused as a spoof: {:?}",
            r.reason_codes()
        );
        assert!(!r.subject.expect("face found").live);
    }
}

#[test]
fn multi_face_photos_are_rejected_with_the_reason() {
    for photo in
        ["face_recognition/examples/two_people.jpg", "face_recognition/examples/knn_examples/test/obama_and_biden.jpg"]
    {
        let r = pipeline().analyze_bytes(&read_face_photo(photo)).expect(photo);
        assert!(r.faces.len() >= 2, "{photo}: {} faces", r.faces.len());
        assert!(!r.usable());
        assert!(
            r.rejections.contains(&Rejection::MultipleFaces { count: r.faces.len() }),
            "{photo}: {:?}",
            r.reason_codes()
        );
    }
}

/// Gallery from some photos of each person, probes from the others: identification returns the right
/// person or refuses, never a wrong one. People with a single photo are never enrolled, so their
/// probes must be refused.
fn identification_never_wrong(e: &Evaluated, gallery_per_person: usize) -> (usize, usize) {
    let c = config();
    let mut gallery = Gallery::default();
    let mut seen: std::collections::HashMap<&str, usize> = Default::default();
    let mut probes = Vec::new();
    for (l, r) in e.labels.iter().zip(&e.results) {
        let n = seen.entry(&l.identity).or_default();
        *n += 1;
        let Some(emb) = &r.embedding else { continue };
        let photos_of_person = e.labels.iter().filter(|x| x.identity == l.identity).count();
        if *n <= gallery_per_person && photos_of_person > 1 {
            gallery.add(&l.identity, emb.clone());
        } else {
            probes.push((l, emb));
        }
    }
    let (mut right, mut refused) = (0, 0);
    for (l, emb) in probes {
        match identify(emb, &gallery, c.face.match_threshold, c.face.identify_margin, 5).0 {
            Identification::Match { id, similarity, .. } => {
                assert_eq!(id, l.identity, "{} identified as {id} ({similarity})", l.path.display());
                right += 1;
            }
            Identification::NoMatch { .. } | Identification::Ambiguous { .. } => refused += 1,
        }
    }
    (right, refused)
}

#[test]
fn identification_with_gallery_and_probes_apart_is_right_or_refuses() {
    let (right, refused) = identification_never_wrong(western(), 1);
    eprintln!("labels.csv: {right} right, {refused} refused, 0 wrong");
    assert!(right >= 8, "only {right} right ({refused} refused)");
    let (right, refused) = identification_never_wrong(east_asian(), 2);
    eprintln!("labels_east_asian.csv: {right} right, {refused} refused, 0 wrong");
    assert!(right >= 55, "East Asian: only {right} right ({refused} refused)");
}

#[test]
fn hostile_inputs_give_typed_errors_or_no_face_never_a_panic() {
    for h in hostile::all() {
        let before = ALLOCATED.with(Cell::get);
        let result = pipeline().analyze_bytes(&h.bytes);
        let allocated = ALLOCATED.with(Cell::get) - before;
        match (h.name, &result) {
            ("empty", Err(PipelineError::Image(ImageError::Empty))) => {}
            ("truncated_jpeg", Err(PipelineError::Image(ImageError::Corrupt(_)))) => {}
            ("text_named_jpg", Err(PipelineError::Image(ImageError::UnsupportedFormat(_)))) => {}
            (
                "png_bomb_100000x100000",
                Err(PipelineError::Image(ImageError::TooLarge { width: 100_000, height: 100_000, .. })),
            ) => {
                assert!(allocated < 1 << 20, "refusing the bomb allocated {allocated} bytes");
            }
            ("one_pixel" | "no_face", Ok(r)) => {
                assert!(!r.usable());
                assert_eq!(r.reason_codes(), vec!["no_face"], "{}", h.name);
            }
            (name, other) => panic!("{name}: unexpected {other:?}"),
        }
    }
}

#[test]
fn a_missing_photo_path_is_reported_by_eval_not_a_panic() {
    let labels = vec![Labelled { path: face_photo("does/not/exist.jpg"), identity: "x".into() }];
    let results = face_eval::analyse(pipeline(), &labels, false);
    let report = face_eval::evaluate(&labels, &results, None, 0.5, 0.5);
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.faces_detected, 0);
}

/// The `sealgate` binary built beside this test (`cargo test --workspace` builds it).
fn sealgate_bin() -> std::path::PathBuf {
    let exe = std::env::current_exe().expect("test exe");
    let dir = exe.parent().and_then(|d| d.parent()).expect("target dir");
    let bin = dir.join("sealgate");
    assert!(bin.is_file(), "{} not built; run `cargo build -p sealgate-api`", bin.display());
    bin
}

fn temp_dir(tag: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("sealgate-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(d.join("face")).expect("temp dir");
    d
}

#[test]
fn cli_verify_prints_the_decision_as_json() {
    let out = std::process::Command::new(sealgate_bin())
        .args(["face", "verify"])
        .arg(face_photo("face_recognition/examples/knn_examples/train/biden/biden.jpg"))
        .arg(face_photo("face_recognition/examples/knn_examples/train/biden/biden2.jpg"))
        .output()
        .expect("run sealgate");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["same"], true);
    assert!(v["similarity"].as_f64().expect("similarity") >= v["threshold"].as_f64().expect("threshold"));
    for side in ["a", "b"] {
        assert!(v[side]["liveness"]["p_real"].is_number() && v[side]["quality"]["sharpness"].is_number());
    }
}

#[test]
fn missing_or_corrupt_models_fail_closed_and_name_the_fetch_command() {
    let shared = sealgate_models::paths::Paths::discover().models;
    let photo = face_photo("silent_face_samples/image_T1.jpg");
    let run = |models: &std::path::Path| {
        std::process::Command::new(sealgate_bin())
            .env("SEALGATE_MODELS_DIR", models)
            .args(["face", "detect"])
            .arg(&photo)
            .output()
            .expect("run sealgate")
    };
    let empty = temp_dir("models-missing");
    let out = run(&empty);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("not installed") && err.contains("sealgate models fetch"), "{err}");
    assert!(out.stdout.is_empty(), "no verdict may be printed: {}", String::from_utf8_lossy(&out.stdout));

    let corrupt = temp_dir("models-corrupt");
    for f in [
        "yunet_s_dynamic.onnx",
        "sface_2021dec.fp32.onnx",
        "2.7_80x80_MiniFASNetV2.onnx",
        "4_0_0_80x80_MiniFASNetV1SE.onnx",
    ] {
        std::fs::copy(shared.join("face").join(f), corrupt.join("face").join(f)).expect("copy model");
    }
    let yunet = corrupt.join("face/yunet_s_dynamic.onnx");
    let mut bytes = std::fs::read(&yunet).expect("read");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    std::fs::write(&yunet, bytes).expect("write");
    let out = run(&corrupt);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("corrupt") && err.contains("yunet") && err.contains("sealgate models fetch"), "{err}");
    let _ = std::fs::remove_dir_all(&empty);
    let _ = std::fs::remove_dir_all(&corrupt);
}

/// A variant of the live sample frame (upright: the file carries EXIF orientation 6), re-encoded as PNG.
fn variant(f: impl Fn(image::RgbImage) -> image::RgbImage) -> Vec<u8> {
    let bytes = read_face_photo("silent_face_samples/image_T1.jpg");
    let upright = sealgate_pipeline::image::decode(&bytes, Default::default()).expect("T1");
    let (w, h) = (upright.width() as u32, upright.height() as u32);
    let img = image::RgbImage::from_raw(w, h, upright.into_data()).expect("rgb");
    let mut out = Vec::new();
    f(img).write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png).expect("png");
    out
}

fn scale_pixels(mut img: image::RgbImage, k: f32) -> image::RgbImage {
    img.pixels_mut().for_each(|p| p.0 = p.0.map(|v| (f32::from(v) * k).min(255.0) as u8));
    img
}

#[test]
fn quality_gates_refuse_blurred_dark_bright_and_small_faces_with_the_reason() {
    let cases: [(&str, Vec<u8>); 4] = [
        ("too_blurred", variant(|img| image::imageops::blur(&img, 6.0))),
        ("too_dark", variant(|img| scale_pixels(img, 0.2))),
        ("over_exposed", variant(|img| scale_pixels(img, 2.6))),
        (
            "face_too_small",
            variant(|img| image::imageops::resize(&img, 120, 160, image::imageops::FilterType::Triangle)),
        ),
    ];
    for (code, bytes) in cases {
        let r = pipeline().analyze_bytes(&bytes).expect(code);
        assert!(!r.usable(), "{code}: frame accepted");
        assert!(r.reason_codes().contains(&code), "{code}: reasons {:?}", r.reason_codes());
    }
}
