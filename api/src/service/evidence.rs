//! Evidence (page photos, frames, crops) stored by content: the key is the sha256 of the bytes, so
//! a device's retry writing the same bytes again is an idempotent success, and a stored object is
//! never overwritten. The embedded default is a local folder; S3-compatible storage joins it.

use std::io::Write;
use std::path::PathBuf;

use sealgate_models::digest::sha256_hex;

use super::error::ApiError;

/// Where evidence lives.
#[derive(Debug, Clone)]
pub enum EvidenceStore {
    /// Files under a folder, fanned out by the first two hex digits of their hash.
    Local { root: PathBuf },
}

/// Whether a put wrote the object or found it already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Put {
    Written,
    AlreadyStored,
}

impl EvidenceStore {
    /// Open the store named by `location` (a folder path), creating the folder.
    pub fn open(location: &str) -> Result<EvidenceStore, ApiError> {
        if location.starts_with("s3://") {
            return Err(ApiError::Internal("S3 evidence storage is not built into this binary yet".into()));
        }
        let root = PathBuf::from(location);
        std::fs::create_dir_all(&root)
            .map_err(|e| ApiError::Internal(format!("cannot create evidence folder {}: {e}", root.display())))?;
        Ok(EvidenceStore::Local { root })
    }

    /// Store `bytes` under their sha256 (returned). Runs file I/O on the blocking pool.
    pub async fn put(&self, bytes: Vec<u8>) -> Result<(String, Put), ApiError> {
        let store = self.clone();
        tokio::task::spawn_blocking(move || store.put_blocking(&bytes))
            .await
            .map_err(|e| ApiError::Internal(format!("evidence write task: {e}")))?
    }

    /// Read an object back, checking its content against its key.
    pub async fn get(&self, key: &str) -> Result<Vec<u8>, ApiError> {
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

    /// Whether the store accepts writes now (for `/readyz`).
    pub async fn ready(&self) -> Result<(), ApiError> {
        self.put(b"sealgate readiness probe".to_vec()).await.map(|_| ())
    }

    fn path(&self, key: &str) -> Result<PathBuf, ApiError> {
        if key.len() != 64 || !key.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return Err(ApiError::NotFound("evidence"));
        }
        let EvidenceStore::Local { root } = self;
        Ok(root.join(&key[..2]).join(key))
    }

    fn put_blocking(&self, bytes: &[u8]) -> Result<(String, Put), ApiError> {
        let key = sha256_hex(bytes);
        let path = self.path(&key)?;
        let io = |what: &str, e: std::io::Error| ApiError::Internal(format!("evidence {what} {}: {e}", path.display()));
        let dir = path.parent().ok_or_else(|| ApiError::Internal("evidence path has no folder".into()))?;
        std::fs::create_dir_all(dir).map_err(|e| io("folder for", e))?;
        if path.exists() {
            return self.existing(&key, &path);
        }
        // Write a temporary file, flush it, then link it into place: the link fails if the object
        // appeared meanwhile, so a stored object is never replaced and never seen half-written.
        let tmp = dir.join(format!(".{key}.{}.tmp", std::process::id()));
        let written = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(io("write", e));
        }
        let linked = std::fs::hard_link(&tmp, &path);
        let _ = std::fs::remove_file(&tmp);
        match linked {
            Ok(()) => Ok((key, Put::Written)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => self.existing(&key, &path),
            Err(e) => Err(io("link", e)),
        }
    }

    /// An object already stored under `key`: success when its content matches.
    fn existing(&self, key: &str, path: &std::path::Path) -> Result<(String, Put), ApiError> {
        let stored =
            std::fs::read(path).map_err(|e| ApiError::Internal(format!("cannot read {}: {e}", path.display())))?;
        if sha256_hex(&stored) == key {
            Ok((key.to_string(), Put::AlreadyStored))
        } else {
            Err(ApiError::Internal(format!("evidence {key} is corrupt on disk; refusing to overwrite it")))
        }
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
        let EvidenceStore::Local { root } = &store;
        std::fs::write(root.join(&key[..2]).join(&key), b"tampered").expect("tampered");
        assert!(store.get(&key).await.is_err());
        assert!(store.put(b"photo".to_vec()).await.is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
