//! The authorisation matrix: every endpoint called by every role, by a person of another unit, by
//! each kind of device, with no token and with a bad token. The expectations are written out below
//! as their own table, not derived from the router. (Part of the `service` binary.)
//!
//! Symbols: `A` allowed (any answer but 401, 403 and 404), `a` allowed on an object that does not
//! exist (any answer but 401 and 403), `F` forbidden (403), `H` hidden (404: the object is not shown
//! to this caller), `U` unauthenticated (401).

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::Server;

/// Columns of the table.
const CALLERS: [&str; 11] = [
    "admin",
    "approver",
    "reviewer",
    "applicant",
    "auditor",
    "other_applicant",
    "other_reviewer",
    "cabinet",
    "lock",
    "none",
    "bad",
];

/// The expected answer of each endpoint to each caller, in the order of [`CALLERS`].
/// Paths use `{person}`, `{seal}`, `{cabinet}`, `{lock}`, `{app}`, `{anomaly}`.
const MATRIX: &[(&str, &str, &str, &str)] = &[
    // method, path, body, expectations
    ("GET", "/healthz", "none", "A A A A A A A A A A A"),
    ("GET", "/readyz", "none", "A A A A A A A A A A A"),
    ("GET", "/api/v1/people", "none", "A F F F A F F F F U U"),
    ("POST", "/api/v1/people", "person", "A F F F F F F F F U U"),
    ("GET", "/api/v1/people/{person}", "none", "A F F F A F F F F U U"),
    ("POST", "/api/v1/people/{person}/tokens", "empty", "A F F F F F F F F U U"),
    ("POST", "/api/v1/people/{person}/faces", "jpeg", "A F F F F F F F F U U"),
    ("POST", "/api/v1/people/{person}/tokens/revoke", "reason", "A F F F F F F F F U U"),
    ("POST", "/api/v1/people/{person}/disable", "reason", "A F F F F F F F F U U"),
    ("GET", "/api/v1/seals", "none", "A A A A A A A F F U U"),
    ("POST", "/api/v1/seals", "seal", "A F F F F F F F F U U"),
    ("GET", "/api/v1/seals/{seal}", "none", "A A A A A A A F F U U"),
    ("PUT", "/api/v1/seals/{seal}/template", "jpeg", "A F F F F F F F F U U"),
    ("GET", "/api/v1/seals/{seal}/template", "none", "a a a a a a a F F U U"),
    ("POST", "/api/v1/seals/{seal}/transitions", "transition", "A F F F F F F F F U U"),
    ("GET", "/api/v1/devices", "none", "A F F F A F F F F U U"),
    ("POST", "/api/v1/devices", "device", "A F F F F F F F F U U"),
    ("POST", "/api/v1/devices/{cabinet}/tokens", "empty", "A F F F F F F F F U U"),
    ("POST", "/api/v1/devices/{spare}/tokens/revoke", "reason", "A F F F F F F F F U U"),
    ("PUT", "/api/v1/devices/{cabinet}/slots/2", "slot", "A F F F F F F F F U U"),
    ("GET", "/api/v1/applications", "none", "A A A A A A A F F U U"),
    ("POST", "/api/v1/applications", "application", "F F F A F A F F F U U"),
    ("GET", "/api/v1/applications/{app}", "none", "A A A A A H H H H U U"),
    ("GET", "/api/v1/applications/{app}/original/0", "none", "A A A A A H H H H U U"),
    ("POST", "/api/v1/applications/{app}/original", "png", "F F F A F H H H H U U"),
    ("POST", "/api/v1/applications/{app}/submit", "empty", "F F F A F H H H H U U"),
    ("POST", "/api/v1/applications/{app}/approvals", "approval", "F A F F F F F F F U U"),
    ("POST", "/api/v1/applications/{app}/revoke", "reason", "A A F F F F F F F U U"),
    ("POST", "/api/v1/devices/{cabinet}/decisions/face", "jpeg", "F F F F F F F A F U U"),
    ("POST", "/api/v1/devices/{lock}/decisions/prestamp?application={app}", "jpeg", "F F F F F F F F A U U"),
    ("POST", "/api/v1/devices/{lock}/decisions/poststamp?application={app}", "photos", "F F F F F F F F A U U"),
    ("POST", "/api/v1/devices/{cabinet}/decisions/poststamp?application={app}", "photos", "F F F F F F F A F U U"),
    ("GET", "/api/v1/anomalies", "none", "A F A F A F A F F U U"),
    ("GET", "/api/v1/anomalies/{anomaly}", "none", "a F a F a F a F F U U"),
    ("GET", "/api/v1/anomalies/{anomaly}/evidence/0", "none", "a F a F a F a F F U U"),
    ("GET", "/api/v1/anomalies/{anomaly}/crops/0", "none", "a F a F a F a F F U U"),
    ("POST", "/api/v1/anomalies/{anomaly}/resolution", "resolution", "F F a F F F a F F U U"),
    ("GET", "/api/v1/ledger", "none", "A F A F A F A F F U U"),
    ("GET", "/api/v1/ledger.csv", "none", "A F A F A F A F F U U"),
    ("GET", "/api/v1/board", "none", "A A A F A F A F F U U"),
    ("POST", "/api/v1/inventory-checks", "inventory", "A F F F A F F F F U U"),
    ("GET", "/api/v1/inventory-checks", "none", "A F F F A F F F F U U"),
    ("GET", "/api/v1/audit/entries", "none", "A F F F A F F F F U U"),
    ("POST", "/api/v1/audit/checkpoints", "empty", "A F F F A F F F F U U"),
];

fn jpeg() -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(64, 64, image::Rgb([200, 200, 200]))
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("jpeg");
    out.into_inner()
}

fn png() -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(64, 64, image::Rgb([255, 255, 255]))
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    out.into_inner()
}

fn body(kind: &str, ids: &Ids) -> Option<(&'static str, Vec<u8>)> {
    let j = |v: Value| Some(("application/json", v.to_string().into_bytes()));
    match kind {
        "none" => None,
        "empty" => j(json!({})),
        "jpeg" => Some(("image/jpeg", jpeg())),
        "png" => Some(("image/png", png())),
        "person" => j(json!({ "name": "New", "roles": ["applicant"], "org_unit": "sales" })),
        "seal" => j(json!({ "name": "发票专用章", "kind": "invoice", "org_unit": "sales" })),
        "transition" => j(json!({ "to": "suspended", "reason": "matrix" })),
        "device" => j(json!({ "kind": "lock", "name": "spare", "org_unit": "sales" })),
        "slot" => j(json!({ "seal_id": null })),
        "application" => j(json!({ "seal_id": ids.seal, "purpose": "matrix", "allowed_impressions": 1,
                                   "valid_from": 0, "valid_until": i64::MAX / 2 })),
        "approval" => j(json!({ "decision": "approve" })),
        "reason" => j(json!({ "reason": "matrix" })),
        "photos" => j(json!({ "photos": ["/9j/"] })),
        "inventory" => j(json!({ "location": "3F", "confirmed": [ids.seal] })),
        "resolution" => j(json!({ "resolution": "false_alarm", "comment": "matrix" })),
        other => panic!("no body kind {other}"),
    }
}

struct Ids {
    person: String,
    /// A device no caller uses: revoking its tokens leaves the matrix's devices working.
    spare: String,
    seal: String,
    cabinet: String,
    lock: String,
    app: String,
}

#[tokio::test]
async fn every_endpoint_checks_every_caller() {
    let s = Server::start("authz").await;
    let mut tokens: Vec<Option<String>> = Vec::new();
    let (_, approver) = s.person("Ann", &["approver"], "sales").await;
    let (_, reviewer) = s.person("Rita", &["reviewer"], "sales").await;
    let (applicant_id, applicant) = s.person("Alice", &["applicant"], "sales").await;
    let (_, auditor) = s.person("Audrey", &["auditor"], "hq").await;
    let (_, other_applicant) = s.person("Oscar", &["applicant"], "sales").await;
    let (_, other_reviewer) = s.person("Rex", &["reviewer"], "hr").await;
    let (target, _) = s.person("Target", &["applicant"], "sales").await;

    let seal = {
        let (st, v) = s
            .post(
                "/api/v1/seals",
                Some(&s.admin),
                json!({ "name": "合同专用章", "kind": "contract", "org_unit": "sales" }),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED);
        v["id"].as_str().expect("id").to_string()
    };
    for to in ["engraved", "registered"] {
        s.post(&format!("/api/v1/seals/{seal}/transitions"), Some(&s.admin), json!({ "to": to, "reason": "setup" }))
            .await;
    }
    let device = |kind: &'static str| {
        let s = &s;
        async move {
            let (st, v) = s
                .post(
                    "/api/v1/devices",
                    Some(&s.admin),
                    json!({ "kind": kind, "name": kind, "org_unit": "sales", "slots": if kind == "lock" { 1 } else { 2 } }),
                )
                .await;
            assert_eq!(st, StatusCode::CREATED, "{v}");
            let id = v["id"].as_str().expect("id").to_string();
            let (_, t) = s.post(&format!("/api/v1/devices/{id}/tokens"), Some(&s.admin), json!({})).await;
            (id, t["token"].as_str().expect("token").to_string())
        }
    };
    let (cabinet, cabinet_t) = device("cabinet").await;
    let (lock, lock_t) = device("lock").await;
    let (spare, _) = device("lock").await;
    let (st, app) = s
        .post("/api/v1/applications", Some(&applicant), json!({ "seal_id": seal, "purpose": "setup", "allowed_impressions": 1, "valid_from": 0, "valid_until": i64::MAX / 2 }))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{app}");
    let app = app["id"].as_str().expect("id").to_string();
    s.post_bytes(&format!("/api/v1/applications/{app}/original"), &applicant, "image/png", png()).await;
    let _ = &applicant_id;
    let ids = Ids { person: target, spare, seal, cabinet, lock, app };

    tokens.extend([
        Some(s.admin.clone()),
        Some(approver),
        Some(reviewer),
        Some(applicant),
        Some(auditor),
        Some(other_applicant),
        Some(other_reviewer),
        Some(cabinet_t),
        Some(lock_t),
        None,
        Some(format!("sgt_{}", "f".repeat(64))),
    ]);
    let mut failures = Vec::new();
    for &(method, path, body_kind, expect) in MATRIX {
        let expect: Vec<&str> = expect.split_whitespace().collect();
        assert_eq!(expect.len(), CALLERS.len(), "{method} {path}: one expectation per caller");
        let path = path
            .replace("{person}", &ids.person)
            .replace("{spare}", &ids.spare)
            .replace("{seal}", &ids.seal)
            .replace("{cabinet}", &ids.cabinet)
            .replace("{lock}", &ids.lock)
            .replace("{app}", &ids.app)
            .replace("{anomaly}", "anm_0000000000000000");
        for ((caller, token), want) in CALLERS.iter().zip(&tokens).zip(expect) {
            let mut req =
                s.http.request(Method::from_bytes(method.as_bytes()).expect("method"), format!("{}{path}", s.base));
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            if let Some((content_type, bytes)) = body(body_kind, &ids) {
                req = req.header("content-type", content_type).body(bytes);
            }
            let got = req.send().await.expect("response").status();
            let ok = match want {
                "A" => ![StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&got),
                "F" => got == StatusCode::FORBIDDEN,
                "H" => got == StatusCode::NOT_FOUND,
                "U" => got == StatusCode::UNAUTHORIZED,
                "a" => ![StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN].contains(&got),
                other => panic!("unknown symbol {other}"),
            };
            if !ok {
                failures.push(format!("{method} {path} as {caller}: expected {want}, got {got}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));

    // The OpenAPI document lists exactly the endpoints of this table: nothing served undocumented,
    // nothing documented untested.
    let shape = |path: &str| {
        let path = path.split('?').next().unwrap_or(path);
        let mut out = String::new();
        let mut in_param = false;
        for c in path.chars() {
            match c {
                '{' => {
                    in_param = true;
                    out.push_str("{}");
                }
                '}' => in_param = false,
                c if !in_param => out.push(c),
                _ => {}
            }
        }
        // Literal slot and file numbers in the table are parameters in the document.
        out.split('/')
            .map(|seg| if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) { "{}" } else { seg })
            .collect::<Vec<_>>()
            .join("/")
    };
    let (status, api) = s.get("/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    let mut documented: Vec<String> = Vec::new();
    for (path, item) in api["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            if ["get", "put", "post", "delete", "patch"].contains(&method.as_str()) {
                documented.push(format!("{} {}", method.to_uppercase(), shape(path)));
            }
        }
    }
    let mut tested: Vec<String> = MATRIX.iter().map(|(m, p, _, _)| format!("{m} {}", shape(p))).collect();
    documented.sort();
    tested.sort();
    tested.dedup();
    assert_eq!(documented, tested);
    let docs = s.http.get(format!("{}/docs", s.base)).send().await.expect("docs");
    assert!(docs.headers()["content-type"].to_str().is_ok_and(|t| t.starts_with("text/html")));
    assert!(docs.text().await.expect("html").contains("/openapi.json"));
    s.stop().await;
}
