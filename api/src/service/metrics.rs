//! Prometheus metrics at `/metrics` (text format 0.0.4), one per stage: HTTP requests by route,
//! method and status with their latency, decisions by kind and outcome with their reasons, and the
//! vision engines' job time. A small registry of atomics and maps: no exporter dependency.
//!
//! The same middleware writes one structured log line per request (route, status, milliseconds).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;

/// Upper bounds of the latency buckets, seconds.
const BUCKETS: [f64; 12] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

#[derive(Debug, Default, Clone)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        for (c, &b) in self.counts.iter_mut().zip(&BUCKETS) {
            if seconds <= b {
                *c += 1;
            }
        }
        self.count += 1;
        self.sum += seconds;
    }
}

#[derive(Debug, Default)]
struct Inner {
    requests: BTreeMap<(String, String, u16), u64>,
    request_seconds: BTreeMap<String, Histogram>,
    decisions: BTreeMap<(String, String), u64>,
    decision_reasons: BTreeMap<(String, String), u64>,
    engine_seconds: BTreeMap<String, Histogram>,
    engine_failures: BTreeMap<String, u64>,
}

/// The service's metrics.
#[derive(Debug, Default)]
pub struct Metrics(Mutex<Inner>);

impl Metrics {
    fn with(&self, f: impl FnOnce(&mut Inner)) {
        if let Ok(mut m) = self.0.lock() {
            f(&mut m);
        }
    }

    pub fn request(&self, route: &str, method: &str, status: u16, took: Duration) {
        self.with(|m| {
            *m.requests.entry((route.to_string(), method.to_string(), status)).or_default() += 1;
            m.request_seconds.entry(route.to_string()).or_default().observe(took.as_secs_f64());
        });
    }

    pub fn decision(&self, kind: &str, outcome: &str, reasons: &[String]) {
        self.with(|m| {
            *m.decisions.entry((kind.to_string(), outcome.to_string())).or_default() += 1;
            for r in reasons {
                *m.decision_reasons.entry((kind.to_string(), r.clone())).or_default() += 1;
            }
        });
    }

    pub fn engine_job(&self, engine: &str, took: Duration, failure: Option<&str>) {
        self.with(|m| {
            m.engine_seconds.entry(engine.to_string()).or_default().observe(took.as_secs_f64());
            if let Some(code) = failure {
                *m.engine_failures.entry(code.to_string()).or_default() += 1;
            }
        });
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let Ok(m) = self.0.lock() else { return String::new() };
        let mut out = String::new();
        let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
        let _ = writeln!(out, "# HELP sealgate_http_requests_total HTTP requests answered.");
        let _ = writeln!(out, "# TYPE sealgate_http_requests_total counter");
        for ((route, method, status), n) in &m.requests {
            let _ = writeln!(
                out,
                "sealgate_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {n}",
                esc(route),
                esc(method)
            );
        }
        histograms(
            &mut out,
            "sealgate_http_request_seconds",
            "HTTP request latency.",
            "route",
            &m.request_seconds,
            esc,
        );
        let _ = writeln!(out, "# HELP sealgate_decisions_total Decisions by kind and outcome.");
        let _ = writeln!(out, "# TYPE sealgate_decisions_total counter");
        for ((kind, outcome), n) in &m.decisions {
            let _ =
                writeln!(out, "sealgate_decisions_total{{kind=\"{}\",outcome=\"{}\"}} {n}", esc(kind), esc(outcome));
        }
        let _ = writeln!(out, "# HELP sealgate_decision_reasons_total Reasons given, by decision kind.");
        let _ = writeln!(out, "# TYPE sealgate_decision_reasons_total counter");
        for ((kind, reason), n) in &m.decision_reasons {
            let _ = writeln!(
                out,
                "sealgate_decision_reasons_total{{kind=\"{}\",reason=\"{}\"}} {n}",
                esc(kind),
                esc(reason)
            );
        }
        histograms(
            &mut out,
            "sealgate_engine_job_seconds",
            "Vision engine job time.",
            "engine",
            &m.engine_seconds,
            esc,
        );
        let _ = writeln!(out, "# HELP sealgate_engine_failures_total Engine jobs that gave no answer, by reason.");
        let _ = writeln!(out, "# TYPE sealgate_engine_failures_total counter");
        for (code, n) in &m.engine_failures {
            let _ = writeln!(out, "sealgate_engine_failures_total{{reason=\"{}\"}} {n}", esc(code));
        }
        out
    }
}

fn histograms(
    out: &mut String,
    name: &str,
    help: &str,
    label: &str,
    map: &BTreeMap<String, Histogram>,
    esc: impl Fn(&str) -> String,
) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} histogram");
    for (key, h) in map {
        let key = esc(key);
        for (b, c) in BUCKETS.iter().zip(&h.counts) {
            let _ = writeln!(out, "{name}_bucket{{{label}=\"{key}\",le=\"{b}\"}} {c}");
        }
        let _ = writeln!(out, "{name}_bucket{{{label}=\"{key}\",le=\"+Inf\"}} {}", h.count);
        let _ = writeln!(out, "{name}_sum{{{label}=\"{key}\"}} {}", h.sum);
        let _ = writeln!(out, "{name}_count{{{label}=\"{key}\"}} {}", h.count);
    }
}

/// Count and time every request by its route template (never the raw path: ids would explode the
/// label set), and log it.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map_or("unmatched", |p| p.as_str()).to_string();
    let method = req.method().to_string();
    let start = Instant::now();
    let response = next.run(req).await;
    let took = start.elapsed();
    let status = response.status().as_u16();
    state.metrics.request(&route, &method, status, took);
    tracing::info!(target: "sealgate::http", %method, %route, status, ms = took.as_secs_f64() * 1000.0, "request");
    response
}

pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    ([(CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exposition_has_counters_and_cumulative_buckets() {
        let m = Metrics::default();
        m.request("/api/v1/people", "GET", 200, Duration::from_millis(3));
        m.request("/api/v1/people", "GET", 200, Duration::from_millis(300));
        m.decision("cabinet_face", "deny", &["spoof".into()]);
        let text = m.render();
        assert!(
            text.contains("sealgate_http_requests_total{route=\"/api/v1/people\",method=\"GET\",status=\"200\"} 2")
        );
        assert!(text.contains("sealgate_http_request_seconds_bucket{route=\"/api/v1/people\",le=\"0.005\"} 1"));
        assert!(text.contains("sealgate_http_request_seconds_bucket{route=\"/api/v1/people\",le=\"0.5\"} 2"));
        assert!(text.contains("sealgate_decision_reasons_total{kind=\"cabinet_face\",reason=\"spoof\"} 1"));
    }
}
