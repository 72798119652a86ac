//! The whole workflow over HTTP on the real models: people enrolled from real face photos, seals
//! registered with generated impression templates, a cabinet and a lock, applications approved with
//! generated originals; then the cabinet decision (allow; deny as stranger, spoof, no application,
//! expired), the lock's pre-stamp comparison (match, mismatch), a post-stamp anomaly (a stamped
//! blank sheet) into the reviewer queue and its resolution, the ledger and its CSV, the seal board,
//! object-level access, and the audit log verified at the end. (Part of the `service` binary.)

use std::sync::{Arc, OnceLock};

use base64::Engine as _;
use reqwest::StatusCode;
use sealgate_api::config::Config;
use sealgate_api::service::audit;
use sealgate_api::service::engines::Engines;
use sealgate_datasets::documents::compare_set::compare_case;
use sealgate_datasets::documents::inspect_set::{InspectKind, inspect_case};
use sealgate_datasets::faces::shared_faces_dir;
use serde_json::{Value, json};

use super::{Server, code};

fn engines() -> Arc<Engines> {
    static E: OnceLock<Arc<Engines>> = OnceLock::new();
    Arc::clone(E.get_or_init(|| {
        let e = Engines::load(Config::shipped(), std::time::Duration::from_secs(300));
        assert!(e.unavailable().is_empty(), "models installed (run `sealgate models fetch`): {:?}", e.unavailable());
        Arc::new(e)
    }))
}

fn face(rel: &str) -> Vec<u8> {
    std::fs::read(shared_faces_dir().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn png(img: &image::RgbImage) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).expect("png encoded");
    out.into_inner()
}

const KNN: &str = "face_recognition/examples/knn_examples";
const HOUR: i64 = 3_600_000;

impl Server {
    async fn id_of(&self, path: &str, body: Value) -> String {
        let (s, v) = self.post(path, Some(&self.admin), body).await;
        assert_eq!(s, StatusCode::CREATED, "{path}: {v}");
        v["id"].as_str().expect("id").to_string()
    }

    async fn device_token(&self, id: &str) -> String {
        let (s, t) = self.post(&format!("/api/v1/devices/{id}/tokens"), Some(&self.admin), json!({})).await;
        assert_eq!(s, StatusCode::CREATED, "{t}");
        t["token"].as_str().expect("token").to_string()
    }

    async fn enrol(&self, person: &str, photos: &[&str]) {
        for p in photos {
            let (s, v) =
                self.post_bytes(&format!("/api/v1/people/{person}/faces"), &self.admin, "image/jpeg", face(p)).await;
            assert_eq!(s, StatusCode::CREATED, "{p}: {v}");
            assert!(v["photo"].is_null(), "enrolment photos are not kept by default: {v}");
        }
    }

    /// A seal registered with `template` and brought into service.
    async fn seal(&self, name: &str, kind: &str, template: &image::RgbImage) -> String {
        let id = self.id_of("/api/v1/seals", json!({ "name": name, "kind": kind, "org_unit": "sales" })).await;
        let r = self
            .http
            .put(format!("{}/api/v1/seals/{id}/template", self.base))
            .bearer_auth(&self.admin)
            .header("content-type", "image/png")
            .body(png(template))
            .send()
            .await
            .expect("response");
        assert_eq!(r.status(), StatusCode::OK, "{:?}", r.text().await);
        for to in ["engraved", "registered"] {
            let (s, v) = self
                .post(
                    &format!("/api/v1/seals/{id}/transitions"),
                    Some(&self.admin),
                    json!({ "to": to, "reason": "new seal" }),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{v}");
        }
        id
    }

    /// An application by `applicant` for `seal` with `pages` as its original, approved by `approver`.
    async fn approved_application(
        &self,
        applicant: &str,
        approver: &str,
        seal: &str,
        pages: &[image::RgbImage],
        location: Option<&str>,
    ) -> String {
        let now = self.running.state.clock.now_ms();
        let body = json!({ "seal_id": seal, "purpose": "sign the supply contract", "allowed_impressions": 2,
                           "valid_from": now - HOUR, "valid_until": now + 8 * HOUR, "location": location });
        let (s, v) = self.post("/api/v1/applications", Some(applicant), body).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let id = v["id"].as_str().expect("id").to_string();
        for p in pages {
            let (s, v) =
                self.post_bytes(&format!("/api/v1/applications/{id}/original"), applicant, "image/png", png(p)).await;
            assert_eq!(s, StatusCode::OK, "{v}");
        }
        let (s, v) = self.post(&format!("/api/v1/applications/{id}/submit"), Some(applicant), json!({})).await;
        assert_eq!((s, v["state"].as_str()), (StatusCode::OK, Some("submitted")), "{v}");
        let (s, v) = self
            .post(&format!("/api/v1/applications/{id}/approvals"), Some(approver), json!({ "decision": "approve" }))
            .await;
        assert_eq!((s, v["state"].as_str()), (StatusCode::OK, Some("approved")), "{v}");
        id
    }

    async fn decide(&self, path: &str, device: &str, content_type: &str, body: Vec<u8>) -> Value {
        let (s, d) = self.post_bytes(path, device, content_type, body).await;
        assert_eq!(s, StatusCode::OK, "{path}: {d}");
        d
    }
}

fn reasons(d: &Value) -> Vec<String> {
    d["reasons"]
        .as_array()
        .map(|a| a.iter().filter_map(|r| r.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_workflow_over_http() {
    let s = Server::start_with("flow", engines()).await;
    assert_eq!(s.get("/readyz", None).await.0, StatusCode::OK);

    // People.
    let (alice, alice_t) = s.person("Alice", &["applicant"], "sales").await;
    let (bob, bob_t) = s.person("Bob", &["applicant"], "sales").await;
    let _ = &bob;
    let (_, ann_t) = s.person("Ann", &["approver"], "sales").await;
    let (_, rita_t) = s.person("Rita", &["reviewer"], "sales").await;
    let (_, rex_t) = s.person("Rex", &["reviewer"], "hr").await;
    s.enrol(&alice, &[&format!("{KNN}/train/obama/obama.jpg"), &format!("{KNN}/train/obama/obama2.jpg")]).await;
    s.enrol(&bob, &[&format!("{KNN}/train/biden/biden.jpg"), &format!("{KNN}/train/biden/biden2.jpg")]).await;
    // A photo held up to the camera cannot be enrolled.
    let (status, v) = s
        .post_bytes(
            &format!("/api/v1/people/{bob}/faces"),
            &s.admin,
            "image/jpeg",
            face("silent_face_samples/image_F2.jpg"),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");

    // Seals, a cabinet and a lock.
    let (blank_pages, lock_template, blank_cap, _) = inspect_case(77, 0, InspectKind::Blank).expect("blank case");
    let (_, cabinet_template, _, _) = inspect_case(77, 1, InspectKind::Approved).expect("case");
    let contract = s.seal("合同专用章", "contract", &cabinet_template).await;
    let finance = s.seal("财务专用章", "finance", &lock_template).await;
    let cabinet = s
        .id_of("/api/v1/devices", json!({ "kind": "cabinet", "name": "3F cabinet", "org_unit": "sales", "slots": 4 }))
        .await;
    let lock = s
        .id_of(
            "/api/v1/devices",
            json!({ "kind": "lock", "name": "lock 7", "org_unit": "sales", "location": "Pudong" }),
        )
        .await;
    for (device, seal) in [(&cabinet, &contract), (&lock, &finance)] {
        let r = s
            .http
            .put(format!("{}/api/v1/devices/{device}/slots/1", s.base))
            .bearer_auth(&s.admin)
            .json(&json!({ "seal_id": seal }))
            .send()
            .await
            .expect("response");
        assert_eq!(r.status(), StatusCode::OK);
    }
    let cabinet_t = s.device_token(&cabinet).await;
    let lock_t = s.device_token(&lock).await;

    // Applications: Alice for the cabinet's seal, and twice for the lock's seal.
    let (doc_pages, doc_photo, _) = compare_case(4242, 0, None).expect("compare case");
    let (_, other_photo, _) = compare_case(4242, 5, None).expect("compare case");
    let app_cabinet = s.approved_application(&alice_t, &ann_t, &contract, &doc_pages, None).await;
    let app_lock = s.approved_application(&alice_t, &ann_t, &finance, &doc_pages, Some("Pudong")).await;
    let app_blank = s.approved_application(&alice_t, &ann_t, &finance, &blank_pages, None).await;
    let app_elsewhere = s.approved_application(&alice_t, &ann_t, &finance, &doc_pages, Some("Shanghai HQ")).await;
    // Nobody approves their own, and another applicant cannot read Alice's.
    assert_eq!(s.get(&format!("/api/v1/applications/{app_cabinet}"), Some(&bob_t)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        s.get(&format!("/api/v1/applications/{app_cabinet}/original/0"), Some(&bob_t)).await.0,
        StatusCode::NOT_FOUND
    );

    // The cabinet: Alice's face opens the contract seal's slot.
    let face_path = format!("/api/v1/devices/{cabinet}/decisions/face");
    let d = s.decide(&face_path, &cabinet_t, "image/jpeg", face("face_recognition/tests/test_images/obama3.jpg")).await;
    assert_eq!(d["outcome"], "allow", "{d}");
    assert_eq!(
        (d["person_id"].as_str(), d["application_id"].as_str()),
        (Some(alice.as_str()), Some(app_cabinet.as_str()))
    );
    assert_eq!((d["grant"]["slot"].as_i64(), d["grant"]["seal_id"].as_str()), (Some(1), Some(contract.as_str())));
    assert_eq!(d["grant"]["max_impressions"], 2);
    for (photo, want) in [
        (format!("{KNN}/test/johnsnow_test1.jpg"), "no_match"),
        ("silent_face_samples/image_F2.jpg".to_string(), "spoof"),
        (format!("{KNN}/train/biden/biden.jpg"), "no_application"),
    ] {
        let d = s.decide(&face_path, &cabinet_t, "image/jpeg", face(&photo)).await;
        assert_eq!(
            (d["outcome"].as_str(), reasons(&d).contains(&want.to_string())),
            (Some("deny"), true),
            "{photo}: {d}"
        );
        assert!(d["grant"].is_null());
    }
    // One device cannot post as another.
    let (status, p) = s.post_bytes(&face_path, &lock_t, "image/jpeg", face(&format!("{KNN}/test/obama1.jpg"))).await;
    assert_eq!((status, code(&p)), (StatusCode::FORBIDDEN, "forbidden"));
    let (status, _) = s.post_bytes(&face_path, &alice_t, "image/jpeg", face(&format!("{KNN}/test/obama1.jpg"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a person is not a cabinet");

    // The lock before stamping: the approved page matches, another document's page does not.
    let pre = format!("/api/v1/devices/{lock}/decisions/prestamp?application={app_lock}");
    let d = s.decide(&pre, &lock_t, "image/jpeg", doc_photo.jpeg.clone()).await;
    assert_eq!(d["outcome"], "allow", "{d}");
    assert_eq!(d["grant"]["seal_id"].as_str(), Some(finance.as_str()));
    let d = s.decide(&pre, &lock_t, "image/jpeg", other_photo.jpeg.clone()).await;
    assert_eq!((d["outcome"].as_str(), reasons(&d)), (Some("deny"), vec!["document_mismatch".to_string()]), "{d}");
    // Nor for an application that names another location.
    let d = s
        .decide(
            &format!("/api/v1/devices/{lock}/decisions/prestamp?application={app_elsewhere}"),
            &lock_t,
            "image/jpeg",
            doc_photo.jpeg.clone(),
        )
        .await;
    assert_eq!(reasons(&d), vec!["wrong_location".to_string()], "{d}");
    // The lock cannot act for an application whose seal it does not hold.
    let d = s
        .decide(
            &format!("/api/v1/devices/{lock}/decisions/prestamp?application={app_cabinet}"),
            &lock_t,
            "image/jpeg",
            doc_photo.jpeg.clone(),
        )
        .await;
    assert_eq!(reasons(&d), vec!["seal_not_in_device".to_string()], "{d}");

    // After stamping: a stamped blank sheet goes to the reviewer queue.
    let post = format!("/api/v1/devices/{lock}/decisions/poststamp?application={app_blank}");
    let photos = json!({ "photos": [base64::engine::general_purpose::STANDARD.encode(&blank_cap.jpeg)], "place": "Pudong office" });
    let (status, d) = s.post(&post, Some(&lock_t), photos).await;
    assert_eq!((status, d["outcome"].as_str()), (StatusCode::OK, Some("review")), "{d}");
    assert!(reasons(&d).contains(&"blank".to_string()), "{d}");

    let (status, queue) = s.get("/api/v1/anomalies?state=open", Some(&rita_t)).await;
    assert_eq!(status, StatusCode::OK);
    let queue = queue.as_array().expect("list").clone();
    assert_eq!(queue.len(), 1, "{queue:?}");
    let anomaly = queue[0]["id"].as_str().expect("id").to_string();
    assert_eq!((queue[0]["kind"].as_str(), queue[0]["seal_id"].as_str()), (Some("blank"), Some(finance.as_str())));
    let (status, case) = s.get(&format!("/api/v1/anomalies/{anomaly}"), Some(&rita_t)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(case["seal_template"].is_string() && case["original"].as_array().is_some_and(|o| !o.is_empty()), "{case}");
    let template = s
        .http
        .get(format!("{}/api/v1/seals/{finance}/template", s.base))
        .bearer_auth(&rita_t)
        .send()
        .await
        .expect("template");
    assert_eq!(
        (template.status(), template.headers()["content-type"].to_str().ok()),
        (StatusCode::OK, Some("image/png"))
    );
    // The finding cut out of the photo, to set beside the template.
    let crop_link = case["crops"][0].as_str().expect("a finding box to cut out").to_string();
    let crop = s.http.get(format!("{}{crop_link}", s.base)).bearer_auth(&rita_t).send().await.expect("crop");
    assert_eq!(crop.status(), StatusCode::OK);
    let crop = image::load_from_memory(&crop.bytes().await.expect("png")).expect("a PNG");
    assert!(crop.width() > 10 && crop.height() > 10 && crop.width() <= 1500, "{}x{}", crop.width(), crop.height());
    let photo = s
        .http
        .get(format!("{}{}", s.base, case["photos"][0].as_str().expect("link")))
        .bearer_auth(&rita_t)
        .send()
        .await
        .expect("photo");
    assert_eq!((photo.status(), photo.headers()["content-type"].to_str().ok()), (StatusCode::OK, Some("image/jpeg")));
    // A reviewer of another unit sees none of it.
    assert_eq!(s.get("/api/v1/anomalies", Some(&rex_t)).await.1.as_array().map(Vec::len), Some(0));
    assert_eq!(s.get(&format!("/api/v1/anomalies/{anomaly}"), Some(&rex_t)).await.0, StatusCode::NOT_FOUND);
    let (status, resolved) = s
        .post(
            &format!("/api/v1/anomalies/{anomaly}/resolution"),
            Some(&rita_t),
            json!({ "resolution": "misuse", "comment": "blank sheet stamped" }),
        )
        .await;
    assert_eq!((status, resolved["state"].as_str()), (StatusCode::OK, Some("misuse")), "{resolved}");

    // The ledger and its CSV.
    let (_, ledger) = s.get("/api/v1/ledger", Some(&s.admin)).await;
    let ledger = ledger.as_array().expect("list").clone();
    assert_eq!(ledger.len(), 1, "{ledger:?}");
    assert_eq!(
        (ledger[0]["application_id"].as_str(), ledger[0]["place"].as_str()),
        (Some(app_blank.as_str()), Some("Pudong office"))
    );
    let csv = s.http.get(format!("{}/api/v1/ledger.csv", s.base)).bearer_auth(&s.admin).send().await.expect("csv");
    assert!(csv.headers()["content-type"].to_str().is_ok_and(|t| t.starts_with("text/csv")));
    let csv = csv.text().await.expect("text");
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(csv.lines().nth(1).is_some_and(|l| l.contains(&app_blank) && l.contains("Pudong office")), "{csv}");

    // The seal board.
    let (_, board) = s.get("/api/v1/board", Some(&s.admin)).await;
    let status_of = |seal: &str| {
        board.as_array().and_then(|b| b.iter().find(|w| w["seal_id"] == seal)).map(|w| w["status"].clone())
    };
    assert_eq!(status_of(&contract), Some(json!("in_slot")), "{board}");
    assert_eq!(status_of(&finance), Some(json!("in_lock")), "{board}");

    // An inventory check at the lock's location finds the lock's seal, and reports a seal that
    // should be elsewhere.
    let (status, check) = s
        .post("/api/v1/inventory-checks", Some(&s.admin), json!({ "location": "Pudong", "confirmed": [contract] }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{check}");
    assert_eq!(
        (check["missing"].clone(), check["unexpected"].clone()),
        (json!([finance]), json!([contract])),
        "{check}"
    );

    // A day later Alice's cabinet application has expired.
    s.running.state.clock.advance(24 * HOUR);
    let d = s.decide(&face_path, &cabinet_t, "image/jpeg", face("face_recognition/tests/test_images/obama3.jpg")).await;
    assert_eq!((d["outcome"].as_str(), reasons(&d)), (Some("deny"), vec!["expired".to_string()]), "{d}");

    // One metric per stage.
    let text = s.http.get(format!("{}/metrics", s.base)).send().await.expect("metrics").text().await.expect("text");
    for line in [
        "sealgate_decisions_total{kind=\"cabinet_face\",outcome=\"allow\"} 1",
        "sealgate_decision_reasons_total{kind=\"cabinet_face\",reason=\"spoof\"} 1",
        "sealgate_decision_reasons_total{kind=\"lock_prestamp\",reason=\"document_mismatch\"} 1",
    ] {
        assert!(text.contains(line), "{line} missing from\n{text}");
    }
    assert!(text.contains("sealgate_engine_job_seconds_count{engine=\"face\"}"), "{text}");
    assert!(text.contains("route=\"/api/v1/devices/{id}/decisions/face\""), "{text}");

    // Every step is in the audit log, intact.
    let state = &s.running.state;
    let cp = audit::checkpoint(&state.db, &state.key, state.clock.now_ms()).await.expect("checkpoint");
    let report = audit::verify(&state.db, &cp, Some(&state.key.verifying_key()), |_| {}).await.expect("intact");
    assert!(report.entries > 40, "{report:?}");
    s.stop().await;
}
