//! Reading page photos end to end: generated documents photographed at every rotation, with and
//! without seals, through page normalisation and both OCR engines; photos without a page; hostile input.

use std::sync::OnceLock;

use sealgate_api::config::Config;
use sealgate_api::doc::{Engine, Readers, cer_counts};
use sealgate_datasets::documents::single_photo;
use sealgate_datasets::hostile;
use sealgate_pipeline::{ImageError, PipelineError};

fn readers() -> &'static Readers {
    static R: OnceLock<Readers> = OnceLock::new();
    R.get_or_init(|| Readers::load(&Config::shipped(), true).expect("OCR models and Tesseract data installed"))
}

fn cer(truth: &str, text: &str) -> f64 {
    let (edits, n) = cer_counts(truth, text);
    edits as f64 / n.max(1) as f64
}

#[test]
fn every_rotation_is_turned_upright_and_read() {
    let r = readers();
    for (k, rotation) in [0u16, 90, 180, 270].into_iter().enumerate() {
        let (truth, cap) = single_photo(2026, k, rotation, k % 2 == 1).expect("generated photo");
        let reading = r.read_photo_bytes(&cap.jpeg, Engine::Ppocr, &r.page).expect("read").expect("a page");
        assert_eq!(reading.rotation, rotation, "photo {k}");
        let c = cer(&truth, &reading.text);
        eprintln!("rotation {rotation}: CER {:.2}% ({} lines, sealed {})", c * 100.0, reading.lines.len(), cap.sealed);
        assert!(c <= 0.03, "rotation {rotation}: CER {c}\n{}", reading.text);
        // Every line maps back inside the photo.
        for poly in &reading.photo_polygons {
            for p in poly {
                assert!(
                    p[0] > -5.0
                        && p[1] > -5.0
                        && p[0] < cap.params.width as f32 + 5.0
                        && p[1] < cap.params.height as f32 + 5.0
                );
            }
        }
    }
}

#[test]
fn tesseract_reads_the_same_page_less_accurately_but_recognisably() {
    let r = readers();
    let (truth, cap) = single_photo(2026, 0, 0, false).expect("generated photo");
    let reading = r.read_photo_bytes(&cap.jpeg, Engine::Tesseract, &r.page).expect("read").expect("a page");
    assert_eq!(reading.engine, "tesseract");
    let c = cer(&truth, &reading.text);
    eprintln!("tesseract CER {:.2}%", c * 100.0);
    assert!(c < 0.5, "tesseract CER {c}");
}

#[test]
fn a_photo_without_a_page_is_reported_as_such() {
    let r = readers();
    let face = std::fs::read(sealgate_tests::face_photo("silent_face_samples/image_T1.jpg")).expect("face photo");
    for (name, bytes) in [("face", face), ("gradient", hostile::gradient_jpeg(1200, 900))] {
        let reading = r.read_photo_bytes(&bytes, Engine::Ppocr, &r.page).expect(name);
        assert!(reading.is_none(), "{name}: found a page");
    }
}

#[test]
fn hostile_inputs_give_typed_errors_never_a_panic() {
    let r = readers();
    for h in hostile::all() {
        let result = r.read_photo_bytes(&h.bytes, Engine::Ppocr, &r.page);
        let image_error = |e: &anyhow::Error| {
            e.downcast_ref::<PipelineError>()
                .and_then(|p| match p {
                    PipelineError::Image(i) => Some(i),
                    _ => None,
                })
                .or_else(|| e.downcast_ref::<ImageError>())
                .map(|i| format!("{i:?}"))
        };
        match (h.name, &result) {
            ("one_pixel" | "no_face", Ok(None)) => {}
            ("empty" | "truncated_jpeg" | "text_named_jpg" | "png_bomb_100000x100000", Err(e)) => {
                assert!(image_error(e).is_some(), "{}: untyped error {e:#}", h.name);
            }
            (name, other) => panic!("{name}: unexpected {:?}", other.as_ref().map(|o| o.is_some())),
        }
    }
}

#[path = "compare.rs"]
mod compare;

#[path = "inspect.rs"]
mod inspect;
