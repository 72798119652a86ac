//! The HTTP service behind `sealgate serve`: a thin axum router over the database, the evidence
//! store and the audit log. One file per resource; each handler authenticates its [`auth::Caller`],
//! checks the role it needs, changes state and appends to the audit log in one transaction, and
//! answers errors as problem details.

pub mod applications;
pub mod audit;
mod audit_api;
pub mod auth;
pub mod biometric;
mod board;
mod cabinet;
pub mod clock;
mod crop;
pub mod db;
pub mod decision;
pub mod devices;
pub mod engines;
pub mod error;
pub mod evidence;
pub mod faces;
mod health;
pub mod ids;
mod inventory;
mod json;
pub mod keys;
mod ledger;
mod lock;
pub mod metrics;
pub mod openapi;
pub mod people;
mod queue;
pub mod seals;
pub mod settings;
mod upload;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use ed25519_dalek::SigningKey;
use tokio::net::TcpListener;
use tokio::sync::watch;

use sealgate_pipeline::compare::ApprovedOriginal;

use self::biometric::TemplateKey;
use self::clock::Clock;
use self::db::Db;
use self::engines::Engines;
use self::error::ApiError;
use self::evidence::EvidenceStore;
use self::settings::ServiceConfig;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub evidence: EvidenceStore,
    pub clock: Arc<Clock>,
    pub key: Arc<SigningKey>,
    pub template_key: Arc<TemplateKey>,
    pub config: Arc<ServiceConfig>,
    pub engines: Arc<Engines>,
    pub metrics: Arc<metrics::Metrics>,
    /// Approved originals processed by the page reader, by application id (a cache: read again
    /// from their evidence after a restart).
    pub originals: Arc<Mutex<HashMap<String, Arc<ApprovedOriginal>>>>,
}

impl AppState {
    /// Open the database (migrating it), the evidence store and the keys named by `config`.
    pub async fn open(config: ServiceConfig, engines: Arc<Engines>) -> Result<AppState, ApiError> {
        config.validate().map_err(ApiError::Internal)?;
        std::fs::create_dir_all(config.data_dir()).map_err(|e| {
            ApiError::Internal(format!("cannot create data folder {}: {e}", config.data_dir().display()))
        })?;
        let db = Db::connect(&config.database_url()).await?;
        let evidence = EvidenceStore::open(&config.evidence())?;
        let key = keys::load_or_create(&config.key_file())?;
        let template_key = TemplateKey::load_or_create(&config.data_dir().join("biometric.key"))?;
        Ok(AppState {
            db,
            evidence,
            clock: Arc::new(Clock::default()),
            key: Arc::new(key),
            template_key: Arc::new(template_key),
            config: Arc::new(config),
            metrics: Arc::clone(&engines.metrics),
            engines,
            originals: Arc::new(Mutex::new(HashMap::new())),
        })
    }
}

/// Every documented route of the service, with its OpenAPI document.
pub fn routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    use utoipa::OpenApi as _;
    let (router, mut api) = utoipa_axum::router::OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(health::routes())
        .merge(people::routes())
        .merge(faces::routes())
        .merge(seals::routes())
        .merge(devices::routes())
        .merge(applications::routes())
        .merge(cabinet::routes())
        .merge(lock::routes())
        .merge(queue::routes())
        .merge(ledger::routes())
        .merge(board::routes())
        .merge(inventory::routes())
        .merge(audit_api::routes())
        .split_for_parts();
    openapi::finish(&mut api);
    (router, api)
}

/// Every route of the service.
pub fn router(state: AppState) -> Router {
    let limit = state.config.max_body_bytes;
    let (documented, api) = routes();
    let docs = Router::new()
        .route("/openapi.json", axum::routing::get(openapi::document))
        .route("/docs", axum::routing::get(openapi::docs))
        .with_state(Arc::new(api));
    documented
        .route("/metrics", axum::routing::get(metrics::metrics))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track))
        .fallback(|| async { ApiError::NotFound("route") })
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
        .merge(docs)
}

/// A running server: its address, its state (tests reach the clock and database through it) and
/// the means to stop it.
pub struct Running {
    pub addr: SocketAddr,
    pub state: AppState,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// Stop accepting connections, let in-flight requests finish, and wait.
    pub async fn shutdown(self) -> std::io::Result<()> {
        let _ = self.stop.send(true);
        self.task.await.map_err(std::io::Error::other)?
    }
}

/// Bind `listen` and serve in the background. Periodic audit checkpoints run beside it.
pub async fn start(state: AppState, listen: &str) -> Result<Running, ApiError> {
    let listener =
        TcpListener::bind(listen).await.map_err(|e| ApiError::Internal(format!("cannot listen on {listen}: {e}")))?;
    let addr = listener.local_addr().map_err(|e| ApiError::Internal(e.to_string()))?;
    let (stop, mut stopped) = watch::channel(false);
    spawn_checkpoints(state.clone(), stop.subscribe());
    let app = router(state.clone());
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stopped.wait_for(|&s| s).await;
            })
            .await
    });
    tracing::info!(%addr, "listening");
    Ok(Running { addr, state, stop, task })
}

fn spawn_checkpoints(state: AppState, mut stop: watch::Receiver<bool>) {
    let every = state.config.checkpoint_every_s;
    if every == 0 {
        return;
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(every));
        tick.tick().await;
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    match audit::checkpoint(&state.db, &state.key, state.clock.now_ms()).await {
                        Ok(cp) => tracing::info!(seq = cp.seq, "audit checkpoint"),
                        Err(e) => tracing::error!(error = %e, "audit checkpoint failed"),
                    }
                }
                // Any change (or the sender gone) means stop.
                _ = stop.changed() => break,
            }
        }
    });
}

/// Run until SIGINT or SIGTERM, then drain for at most `shutdown_grace_s`.
pub async fn serve_until_signal(state: AppState, listen: &str) -> Result<(), ApiError> {
    let grace = Duration::from_secs(state.config.shutdown_grace_s);
    let running = start(state, listen).await?;
    eprintln!("sealgate listening on http://{}", running.addr);
    shutdown_signal().await;
    tracing::info!("shutting down; draining requests");
    match tokio::time::timeout(grace, running.shutdown()).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(ApiError::Internal(format!("server: {e}"))),
        Err(_) => Err(ApiError::Internal(format!("requests still running after {}s; stopped", grace.as_secs()))),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
