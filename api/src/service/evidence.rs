//! Evidence (page photos, frames, crops) stored by content: the key is the sha256 of the bytes, so
//! a device's retry writing the same bytes again is an idempotent success, and a stored object is
//! never overwritten: the store itself refuses a second write of a key (a hard link that fails on
//! an existing file; an S3 conditional put), and the existing object must then hold the same bytes.
//! The embedded default is a local folder; `s3://bucket/prefix` uses S3-compatible storage,
//! configured by the usual `AWS_*` variables (`AWS_ENDPOINT`, `AWS_ALLOW_HTTP`, credentials, region).

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload};

use sealgate_models::digest::sha256_hex;

use super::error::ApiError;

/// Where evidence lives.
#[derive(Debug, Clone)]
pub enum EvidenceStore {
    /// Files under a folder, fanned out by the first two hex digits of their hash.
    Local { root: PathBuf },
    /// Objects `<prefix>/<hash>` in an S3 bucket.
    S3 { store: Arc<AmazonS3>, prefix: String },
}

/// Whether a put wrote the object or found it already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Put {
    Written,
    AlreadyStored,
}

impl EvidenceStore {
    /// Open the store named by `location`: `s3://bucket[/prefix]`, or a folder (created).
    pub fn open(location: &str) -> Result<EvidenceStore, ApiError> {
        if let Some(rest) = location.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err(ApiError::Internal(format!("no bucket in {location}")));
            }
            let store = AmazonS3Builder::from_env()
                .with_bucket_name(bucket)
                .build()
                .map_err(|e| ApiError::Internal(format!("S3 evidence store {location}: {e}")))?;
            return Ok(EvidenceStore::S3 { store: Arc::new(store), prefix: prefix.trim_matches('/').to_string() });
        }
        let root = PathBuf::from(location);
        std::fs::create_dir_all(&root)
            .map_err(|e| ApiError::Internal(format!("cannot create evidence folder {}: {e}", root.display())))?;
        Ok(EvidenceStore::Local { root })
    }

    /// Store `bytes` under their sha256 (returned). When the key is already stored, the stored
    /// object must hold the same bytes (an idempotent success); otherwise it is an error.
    pub async fn put(&self, bytes: Vec<u8>) -> Result<(String, Put), ApiError> {
        let key = sha256_hex(&bytes);
        if self.write_once(&key, bytes).await? {
            return Ok((key, Put::Written));
        }
        // `get` checks the stored content against the key.
        self.get(&key).await.map_err(|e| match e {
            ApiError::Internal(m) => ApiError::Internal(format!("{m}; refusing to overwrite it")),
            other => other,
        })?;
        Ok((key, Put::AlreadyStored))
    }

    /// Write `bytes` under `key` unless the key exists: `Ok(false)` when the store refused because
    /// it already holds the key (an S3 conditional put; a hard link that fails on an existing file).
    /// Never replaces an object, never leaves one half-written.
    pub async fn write_once(&self, key: &str, bytes: Vec<u8>) -> Result<bool, ApiError> {
        match self {
            EvidenceStore::S3 { store, .. } => {
                let path = self.object_path(key)?;
                let create = PutOptions { mode: PutMode::Create, ..PutOptions::default() };
                match store.put_opts(&path, PutPayload::from(bytes), create).await {
                    Ok(_) => Ok(true),
                    Err(object_store::Error::AlreadyExists { .. }) => Ok(false),
                    Err(e) => Err(ApiError::Internal(format!("evidence write {path}: {e}"))),
                }
            }
            EvidenceStore::Local { .. } => {
                let path = self.path(key)?;
                tokio::task::spawn_blocking(move || write_file_once(&path, &bytes))
                    .await
                    .map_err(|e| ApiError::Internal(format!("evidence write task: {e}")))?
            }
        }
    }

    /// Read an object back, checking its content against its key.
    pub async fn get(&self, key: &str) -> Result<Vec<u8>, ApiError> {
        if let EvidenceStore::S3 { store, .. } = self {
            let path = self.object_path(key)?;
            let bytes = match store.get(&path).await {
                Ok(r) => r.bytes().await.map_err(|e| ApiError::Internal(format!("evidence read {path}: {e}")))?,
                Err(object_store::Error::NotFound { .. }) => return Err(ApiError::NotFound("evidence")),
                Err(e) => return Err(ApiError::Internal(format!("evidence read {path}: {e}"))),
            };
            if sha256_hex(&bytes) != key {
                return Err(ApiError::Internal(format!("evidence {key} is corrupt in the store")));
            }
            return Ok(bytes.to_vec());
        }
        let path = self.path(key)?;
        let bytes = tokio::fs::read(&path).await.map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ApiError::NotFound("evidence"),
            _ => ApiError::Internal(format!("cannot read {}: {e}", path.display())),
        })?;
        if sha256_hex(&bytes) != key {
            return Err(ApiError::Internal(format!("evidence {key} is corrupt on disk")));
        }
        Ok(bytes)
    }

    /// An object as an HTTP response, with the content type its first bytes show.
    pub async fn response(&self, key: &str) -> Result<axum::response::Response, ApiError> {
        use axum::response::IntoResponse;
        let bytes = self.get(key).await?;
        Ok(([(axum::http::header::CONTENT_TYPE, sniff(&bytes))], bytes).into_response())
    }

    /// Whether the store accepts writes now (for `/readyz`).
    pub async fn ready(&self) -> Result<(), ApiError> {
        self.put(b"sealgate readiness probe".to_vec()).await.map(|_| ())
    }

    fn check_key(key: &str) -> Result<(), ApiError> {
        if key.len() != 64 || !key.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return Err(ApiError::NotFound("evidence"));
        }
        Ok(())
    }

    fn path(&self, key: &str) -> Result<PathBuf, ApiError> {
        Self::check_key(key)?;
        match self {
            EvidenceStore::Local { root } => Ok(root.join(&key[..2]).join(key)),
            EvidenceStore::S3 { .. } => Err(ApiError::Internal("not a local store".into())),
        }
    }

    fn object_path(&self, key: &str) -> Result<ObjectPath, ApiError> {
        Self::check_key(key)?;
        match self {
            EvidenceStore::S3 { prefix, .. } if !prefix.is_empty() => Ok(ObjectPath::from(format!("{prefix}/{key}"))),
            _ => Ok(ObjectPath::from(key)),
        }
    }
}

/// The content type of stored evidence, from its first bytes.
pub fn sniff(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"\xff\xd8\xff") {
        "image/jpeg"
    } else if bytes.starts_with(b"\x89PNG") {
        "image/png"
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP".as_slice()) {
        "image/webp"
    } else if bytes.starts_with(b"%PDF-") {
        "application/pdf"
    } else {
        "application/octet-stream"
    }
}

/// Write a temporary file, flush it, then link it into place: the link fails if the object exists,
/// so a stored object is never replaced and never seen half-written.
fn write_file_once(path: &std::path::Path, bytes: &[u8]) -> Result<bool, ApiError> {
    let io = |what: &str, e: std::io::Error| ApiError::Internal(format!("evidence {what} {}: {e}", path.display()));
    let dir = path.parent().ok_or_else(|| ApiError::Internal("evidence path has no folder".into()))?;
    std::fs::create_dir_all(dir).map_err(|e| io("folder for", e))?;
    if path.exists() {
        return Ok(false);
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("object");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(io("write", e));
    }
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(io("link", e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_same_bytes_twice_are_stored_once_and_bad_keys_are_not_found() {
        let dir = std::env::temp_dir().join(format!("sealgate-evidence-{}", std::process::id()));
        let store = EvidenceStore::open(&dir.display().to_string()).expect("store");
        let (key, first) = store.put(b"photo".to_vec()).await.expect("stored");
        let (again, second) = store.put(b"photo".to_vec()).await.expect("stored again");
        assert_eq!((key.as_str(), first, second), (again.as_str(), Put::Written, Put::AlreadyStored));
        assert_eq!(store.get(&key).await.expect("read"), b"photo");
        for bad in ["../../etc/passwd", "", &"g".repeat(64), &sha256_hex(b"never stored")] {
            assert!(matches!(store.get(bad).await, Err(ApiError::NotFound(_))), "{bad}");
        }
        // A corrupted object is an error, never silently replaced.
        let EvidenceStore::Local { root } = &store else { panic!("a local store") };
        std::fs::write(root.join(&key[..2]).join(&key), b"tampered").expect("tampered");
        assert!(store.get(&key).await.is_err());
        assert!(store.put(b"photo".to_vec()).await.is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
