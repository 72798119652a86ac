//! The computer-vision engines behind the decision endpoints: the face pipeline and the page
//! readers (PP-OCR), loaded once at start. They are synchronous and CPU-bound, so each job runs on
//! the blocking pool, at most one per core at a time, under a deadline. A model that failed to
//! load, a job that failed or one that missed its deadline is a typed failure the caller turns into
//! "deny" with its reason code: the service fails closed.

use std::sync::Arc;
use std::time::Duration;

use sealgate_pipeline::face::FacePipeline;
use tokio::sync::Semaphore;

use super::metrics::Metrics;
use crate::config::Config;
use crate::doc::Readers;

/// Why an engine job gave no answer; each maps to a stable reason code.
#[derive(Debug, Clone, thiserror::Error)]
pub enum EngineFailure {
    #[error("model unavailable: {0}")]
    ModelUnavailable(String),
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    #[error("{0}")]
    BadInput(String),
}

impl EngineFailure {
    pub fn code(&self) -> &'static str {
        match self {
            EngineFailure::ModelUnavailable(_) => "model_unavailable",
            EngineFailure::Timeout(_) => "timeout",
            EngineFailure::BadInput(_) => "bad_image",
        }
    }
}

pub struct Engines {
    pub config: Config,
    /// The service's metrics (engine job times here; the rest by the HTTP layer).
    pub metrics: Arc<Metrics>,
    face: Result<FacePipeline, String>,
    readers: Result<Readers, String>,
    slots: Arc<Semaphore>,
    deadline: Duration,
}

impl Engines {
    /// Load every engine; a failure is kept (and reported by `/readyz`), never fatal.
    pub fn load(config: Config, deadline: Duration) -> Engines {
        let face = crate::face_pipeline(&config).map_err(|e| format!("{e:#}"));
        let readers = Readers::load(&config, false).map_err(|e| format!("{e:#}"));
        for (name, r) in [("face", face.as_ref().err()), ("ocr", readers.as_ref().err())] {
            if let Some(e) = r {
                tracing::error!(engine = name, error = %e, "engine unavailable; its decisions will deny");
            }
        }
        Engines::with(config, face, readers, deadline)
    }

    /// No engines: every decision that needs one denies with `model_unavailable` (tests of the
    /// workflow without models, and of failing closed).
    pub fn none(config: Config) -> Engines {
        let missing = "not loaded".to_string();
        Engines::with(config, Err(missing.clone()), Err(missing), Duration::from_secs(30))
    }

    fn with(
        config: Config,
        face: Result<FacePipeline, String>,
        readers: Result<Readers, String>,
        deadline: Duration,
    ) -> Engines {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Engines {
            config,
            metrics: Arc::new(Metrics::default()),
            face,
            readers,
            slots: Arc::new(Semaphore::new(cores)),
            deadline,
        }
    }

    /// Names of engines that failed to load.
    pub fn unavailable(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.face.is_err() {
            out.push("face");
        }
        if self.readers.is_err() {
            out.push("ocr");
        }
        out
    }

    pub fn face(&self) -> Result<&FacePipeline, EngineFailure> {
        self.face.as_ref().map_err(|e| EngineFailure::ModelUnavailable(format!("face pipeline: {e}")))
    }

    pub fn readers(&self) -> Result<&Readers, EngineFailure> {
        self.readers.as_ref().map_err(|e| EngineFailure::ModelUnavailable(format!("page reader: {e}")))
    }

    /// Run `job` (named `name` in the metrics) on the blocking pool when a core is free, within
    /// the deadline.
    pub async fn run<T, F>(self: &Arc<Self>, name: &str, job: F) -> Result<T, EngineFailure>
    where
        T: Send + 'static,
        F: FnOnce(&Engines) -> Result<T, EngineFailure> + Send + 'static,
    {
        let deadline = self.deadline;
        let work = async {
            let permit = Arc::clone(&self.slots)
                .acquire_owned()
                .await
                .map_err(|_| EngineFailure::ModelUnavailable("engines shut down".into()))?;
            let engines = Arc::clone(self);
            tokio::task::spawn_blocking(move || {
                // The permit is held until the job ends, even when its caller gave up waiting.
                let _permit = permit;
                job(&engines)
            })
            .await
            .map_err(|e| EngineFailure::ModelUnavailable(format!("engine job failed: {e}")))?
        };
        let start = std::time::Instant::now();
        let result =
            tokio::time::timeout(deadline, work).await.map_err(|_| EngineFailure::Timeout(deadline)).and_then(|r| r);
        self.metrics.engine_job(name, start.elapsed(), result.as_ref().err().map(EngineFailure::code));
        result
    }
}
