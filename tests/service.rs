//! The HTTP service end to end: a server on an ephemeral port over a fresh SQLite database, driven
//! with a real HTTP client. Covers the first admin's bootstrap, authentication and roles, problem
//! details for bad requests, health, and the audit log's verification after each kind of tampering.

use std::path::PathBuf;
use std::sync::Arc;

use reqwest::StatusCode;
use sealgate_api::config::Config;
use sealgate_api::service::audit::{self, Checkpoint, VerifyError};
use sealgate_api::service::engines::Engines;
use sealgate_api::service::error::ApiError;
use sealgate_api::service::evidence::Put;
use sealgate_api::service::settings::ServiceConfig;
use sealgate_api::service::{self, AppState, Running, people};
use serde_json::{Value, json};

mod authz;
mod flow;

struct Server {
    running: Running,
    http: reqwest::Client,
    base: String,
    admin: String,
    dir: PathBuf,
}

impl Server {
    async fn start(name: &str) -> Server {
        Server::start_with(name, Arc::new(Engines::none(Config::shipped()))).await
    }

    async fn start_with(name: &str, engines: Arc<Engines>) -> Server {
        let dir = std::env::temp_dir().join(format!("sealgate-service-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let config = ServiceConfig {
            data_dir: dir.clone(),
            checkpoint_every_s: 0,
            database_url: scale_out_database(name).await,
            evidence: std::env::var("SEALGATE_TEST_EVIDENCE")
                .map(|e| format!("{e}/{}", db_name(name)))
                .unwrap_or_default(),
            ..ServiceConfig::default()
        };
        let state = AppState::open(config, engines).await.expect("state opened");
        let (_, admin) = people::create_first_admin(&state, "Ada Admin", "hq").await.expect("first admin");
        let running = service::start(state, "127.0.0.1:0").await.expect("server started");
        let base = format!("http://{}", running.addr);
        Server { running, http: reqwest::Client::new(), base, admin, dir }
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("response");
        let status = resp.status();
        let problem = resp.headers().get("content-type").is_some_and(|v| v == "application/problem+json");
        let value: Value = resp.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            assert!(problem, "{path}: an error must be problem details: {status} {value}");
            assert_eq!(value["status"], status.as_u16(), "{value}");
        }
        (status, value)
    }

    /// POST a binary body (an image or PDF).
    async fn post_bytes(&self, path: &str, token: &str, content_type: &str, body: Vec<u8>) -> (StatusCode, Value) {
        let resp = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("response");
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        self.call(reqwest::Method::GET, path, token, None).await
    }

    async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (StatusCode, Value) {
        self.call(reqwest::Method::POST, path, token, Some(body)).await
    }

    /// Create a person with `roles` and return (id, token).
    async fn person(&self, name: &str, roles: &[&str], org_unit: &str) -> (String, String) {
        let (s, p) = self
            .post("/api/v1/people", Some(&self.admin), json!({ "name": name, "roles": roles, "org_unit": org_unit }))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{p}");
        let id = p["id"].as_str().expect("id").to_string();
        let (s, t) = self.post(&format!("/api/v1/people/{id}/tokens"), Some(&self.admin), json!({})).await;
        assert_eq!(s, StatusCode::CREATED, "{t}");
        (id, t["token"].as_str().expect("token").to_string())
    }

    async fn stop(self) {
        self.running.shutdown().await.expect("clean shutdown");
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `SEALGATE_TEST_POSTGRES` (a server URL such as `postgres://postgres@127.0.0.1:5433`) runs the
/// suite on PostgreSQL, one fresh database per server; unset, on SQLite in the server's folder.
async fn scale_out_database(name: &str) -> String {
    let Ok(base) = std::env::var("SEALGATE_TEST_POSTGRES") else { return String::new() };
    sqlx::any::install_default_drivers();
    let db = db_name(name);
    let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&format!("{base}/postgres"))
        .await
        .expect("PostgreSQL reachable");
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {db}")))
        .execute(&mut admin)
        .await
        .expect("dropped");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db}"))).execute(&mut admin).await.expect("created");
    format!("{base}/{db}")
}

/// A database (or bucket prefix) name for a test server.
fn db_name(name: &str) -> String {
    let clean: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    format!("sg_{clean}_{}", std::process::id())
}

fn code(v: &Value) -> &str {
    v["code"].as_str().unwrap_or("")
}

#[tokio::test]
async fn health_bootstrap_tokens_and_roles() {
    let s = Server::start("basics").await;
    assert_eq!(s.get("/healthz", None).await.0, StatusCode::OK);
    // Without models the service is up but not ready: its decisions would all deny.
    let (status, ready) = s.get("/readyz", None).await;
    assert_eq!((status, code(&ready)), (StatusCode::SERVICE_UNAVAILABLE, "unavailable"), "{ready}");

    // The bootstrap is one-time.
    let again = people::create_first_admin(&s.running.state, "Mallory", "hq").await;
    assert!(matches!(again, Err(ApiError::Conflict(_))), "{again:?}");

    // No token, a malformed token, an unknown well-formed token.
    for token in [None, Some("nonsense"), Some(&*format!("sgt_{}", "0".repeat(64)))] {
        let (status, p) = s.get("/api/v1/people", token).await;
        assert_eq!((status, code(&p)), (StatusCode::UNAUTHORIZED, "unauthenticated"), "{token:?}");
    }

    let (alice, alice_token) = s.person("Alice", &["applicant"], "sales").await;
    let (bob, _) = s.person("Bob", &["applicant"], "sales").await;
    let (_, auditor) = s.person("Audrey", &["auditor"], "hq").await;

    // An applicant cannot create people or read another person; reads herself.
    let (status, p) =
        s.post("/api/v1/people", Some(&alice_token), json!({ "name": "X", "roles": ["admin"], "org_unit": "x" })).await;
    assert_eq!((status, code(&p)), (StatusCode::FORBIDDEN, "forbidden"));
    assert_eq!(s.get(&format!("/api/v1/people/{bob}"), Some(&alice_token)).await.0, StatusCode::FORBIDDEN);
    let (status, me) = s.get(&format!("/api/v1/people/{alice}"), Some(&alice_token)).await;
    assert_eq!((status, me["name"].as_str()), (StatusCode::OK, Some("Alice")));
    // An auditor lists people but cannot issue tokens.
    let (status, list) = s.get("/api/v1/people", Some(&auditor)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().map(Vec::len), Some(4));
    assert_eq!(
        s.post(&format!("/api/v1/people/{bob}/tokens"), Some(&auditor), json!({})).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(s.get("/api/v1/people/per_0000000000000000", Some(&s.admin)).await.0, StatusCode::NOT_FOUND);

    // Revoked tokens and disabled people are refused; the last admin cannot be disabled.
    let (status, r) = s
        .post(&format!("/api/v1/people/{bob}/tokens/revoke"), Some(&s.admin), json!({ "reason": "laptop stolen" }))
        .await;
    assert_eq!((status, r["tokens_revoked"].as_u64()), (StatusCode::OK, Some(1)), "{r}");
    let (status, p) =
        s.post(&format!("/api/v1/people/{alice}/disable"), Some(&s.admin), json!({ "reason": "left" })).await;
    assert_eq!((status, p["disabled"].as_bool()), (StatusCode::OK, Some(true)), "{p}");
    assert_eq!(s.get(&format!("/api/v1/people/{alice}"), Some(&alice_token)).await.0, StatusCode::UNAUTHORIZED);
    let admin_id = s.get("/api/v1/people", Some(&s.admin)).await.1[0]["id"].as_str().expect("admin").to_string();
    let (status, p) =
        s.post(&format!("/api/v1/people/{admin_id}/disable"), Some(&s.admin), json!({ "reason": "oops" })).await;
    assert_eq!((status, code(&p)), (StatusCode::CONFLICT, "conflict"), "{p}");
    s.stop().await;
}

#[tokio::test]
async fn bad_requests_are_problem_details() {
    let s = Server::start("bad").await;
    let url = format!("{}/api/v1/people", s.base);
    let send = |body: Vec<u8>, content_type: &'static str| {
        s.http.post(&url).bearer_auth(&s.admin).header("content-type", content_type).body(body).send()
    };
    let cases: [(Vec<u8>, &str, StatusCode); 5] = [
        (b"{not json".to_vec(), "application/json", StatusCode::BAD_REQUEST),
        (
            br#"{"name":"A","roles":["admin"],"org_unit":"x","extra":1}"#.to_vec(),
            "application/json",
            StatusCode::BAD_REQUEST,
        ),
        (br#"{"name":"A","roles":["root"],"org_unit":"x"}"#.to_vec(), "application/json", StatusCode::BAD_REQUEST),
        (br#"{"name":"","roles":["admin"],"org_unit":"x"}"#.to_vec(), "application/json", StatusCode::BAD_REQUEST),
        (
            br#"{"name":"A","roles":["admin"],"org_unit":"x"}"#.to_vec(),
            "text/plain",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
    ];
    for (body, content_type, want) in cases {
        let r = send(body.clone(), content_type).await.expect("response");
        assert_eq!(r.status(), want, "{}", String::from_utf8_lossy(&body));
        assert_eq!(r.headers()["content-type"], "application/problem+json");
    }
    let huge = vec![b' '; s.running.state.config.max_body_bytes + 1];
    let r = send(huge, "application/json").await.expect("response");
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(s.get("/api/v1/nowhere", Some(&s.admin)).await.0, StatusCode::NOT_FOUND);
    // Nothing half-written: only the admin exists.
    let (_, list) = s.get("/api/v1/people", Some(&s.admin)).await;
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    s.stop().await;
}

/// Ways to tamper with the log with database write access.
#[derive(Debug, Clone, Copy)]
enum Tamper {
    Edit,
    Remove,
    Reorder,
    TruncateTail,
    RecomputeChain,
}

async fn exec(state: &AppState, sql: &'static str) {
    sqlx::query(sql).execute(&state.db.pool).await.expect(sql);
}

async fn tamper(state: &AppState, how: Tamper) {
    match how {
        Tamper::Edit => exec(state, "UPDATE audit_log SET detail = '{\"name\":\"Mallory\"}' WHERE seq = 3").await,
        Tamper::Remove => exec(state, "DELETE FROM audit_log WHERE seq = 3").await,
        Tamper::Reorder => {
            exec(state, "UPDATE audit_log SET seq = -1 WHERE seq = 3").await;
            exec(state, "UPDATE audit_log SET seq = 3 WHERE seq = 4").await;
            exec(state, "UPDATE audit_log SET seq = 4 WHERE seq = -1").await;
        }
        Tamper::TruncateTail => {
            exec(state, "DELETE FROM audit_log WHERE seq > 4").await;
            exec(
                state,
                "UPDATE audit_head SET seq = 4, hash = (SELECT hash FROM audit_log WHERE seq = 4) WHERE id = 1",
            )
            .await;
        }
        Tamper::RecomputeChain => {
            // Edit entry 3 and rewrite every hash after it, as someone with write access could.
            exec(state, "UPDATE audit_log SET detail = '{\"name\":\"Mallory\"}' WHERE seq = 3").await;
            let mut entries = audit::entries(&state.db, 0, 1000).await.expect("entries");
            let mut prev = audit::GENESIS.to_string();
            for e in entries.iter_mut() {
                e.prev_hash = prev.clone();
                e.hash = audit::entry_hash(&e.prev_hash, e.seq, e.at, &e.actor, &e.action, &e.subject, &e.detail);
                sqlx::query("UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3")
                    .bind(&e.prev_hash)
                    .bind(&e.hash)
                    .bind(e.seq)
                    .execute(&state.db.pool)
                    .await
                    .expect("rewritten");
                prev = e.hash.clone();
            }
            sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
                .bind(&prev)
                .execute(&state.db.pool)
                .await
                .expect("head");
        }
    }
}

#[tokio::test]
async fn audit_verify_detects_every_kind_of_tampering() {
    for how in [
        None,
        Some(Tamper::Edit),
        Some(Tamper::Remove),
        Some(Tamper::Reorder),
        Some(Tamper::TruncateTail),
        Some(Tamper::RecomputeChain),
    ] {
        let s = Server::start(&format!("audit-{how:?}")).await;
        // Entries 1-2: the admin and their token; then two people and their tokens (3-10).
        s.person("Carol", &["reviewer"], "hq").await;
        s.person("Dan", &["approver"], "hq").await;
        let (status, cp) = s.post("/api/v1/audit/checkpoints", Some(&s.admin), json!({})).await;
        assert_eq!(status, StatusCode::CREATED, "{cp}");
        let cp: Checkpoint = serde_json::from_value(cp).expect("checkpoint");
        assert_eq!(cp.seq, 6);
        let (_, entries) = s.get("/api/v1/audit/entries?after=0&limit=100", Some(&s.admin)).await;
        assert_eq!(entries.as_array().map(Vec::len), Some(6), "{entries}");
        let state = &s.running.state;
        let pinned = state.key.verifying_key();
        if let Some(how) = how {
            tamper(state, how).await;
        }
        let result = audit::verify(&state.db, &cp, Some(&pinned), |_| {}).await;
        match how {
            None => assert_eq!(result.expect("intact").entries, 6),
            Some(Tamper::Edit) => assert_eq!(result.unwrap_err(), VerifyError::EditedEntry { seq: 3 }),
            Some(Tamper::Remove) => {
                assert_eq!(result.unwrap_err(), VerifyError::SequenceGap { expected_after: 2, found: 4 })
            }
            Some(Tamper::Reorder) => assert_eq!(result.unwrap_err(), VerifyError::BrokenLink { seq: 3 }),
            Some(Tamper::TruncateTail) => {
                assert_eq!(result.unwrap_err(), VerifyError::Truncated { last: 4, checkpoint: 6 })
            }
            Some(Tamper::RecomputeChain) => assert_eq!(result.unwrap_err(), VerifyError::CheckpointMismatch { seq: 6 }),
        }
        // A checkpoint signed by another key is refused even on an intact log.
        if how.is_none() {
            let forged = Checkpoint { public_key: "00".repeat(32), ..cp.clone() };
            assert!(audit::verify(&state.db, &forged, Some(&pinned), |_| {}).await.is_err());
        }
        s.stop().await;
    }
}

#[tokio::test]
async fn evidence_is_written_once_by_the_store() {
    let s = Server::start("evidence").await;
    let store = &s.running.state.evidence;
    let (key, first) = store.put(b"page photo".to_vec()).await.expect("stored");
    let (again, second) = store.put(b"page photo".to_vec()).await.expect("stored again");
    assert_eq!((first, second, &again), (Put::Written, Put::AlreadyStored, &key));
    // The store itself refuses a second write of the key, whatever the bytes.
    assert!(!store.write_once(&key, b"forged".to_vec()).await.expect("answered"), "the store overwrote evidence");
    assert_eq!(store.get(&key).await.expect("read"), b"page photo");
    s.stop().await;
}
