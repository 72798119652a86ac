//! The service's keys: the ed25519 signing key and the biometric data key, created on first start in the data folder (readable by the
//! service's user only), loaded afterwards. It signs audit checkpoints (and, later, device grants).

use std::io::Write;
use std::path::Path;

use ed25519_dalek::SigningKey;
use sealgate_models::digest::hex;

use super::error::ApiError;

/// Load the key from `path`, creating it (with a fresh random secret) when the file does not exist.
pub fn load_or_create(path: &Path) -> Result<SigningKey, ApiError> {
    Ok(SigningKey::from_bytes(&load_or_create_secret(path)?))
}

/// A 32-byte secret kept hex-encoded in `path`, created when the file does not exist.
pub fn load_or_create_secret(path: &Path) -> Result<[u8; 32], ApiError> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse(text.trim())
            .ok_or_else(|| ApiError::Internal(format!("{} is not a 32-byte key (64 hex digits)", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(path),
        Err(e) => Err(ApiError::Internal(format!("cannot read {}: {e}", path.display()))),
    }
}

/// Load an existing key; a missing file is an error.
pub fn load(path: &Path) -> Result<SigningKey, ApiError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ApiError::Internal(format!("cannot read {}: {e}", path.display())))?;
    parse(text.trim())
        .map(|s| SigningKey::from_bytes(&s))
        .ok_or_else(|| ApiError::Internal(format!("{} is not a service key", path.display())))
}

fn parse(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut secret = [0u8; 32];
    for (i, b) in secret.iter_mut().enumerate() {
        *b = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(secret)
}

fn create(path: &Path) -> Result<[u8; 32], ApiError> {
    let io = |e: std::io::Error| ApiError::Internal(format!("cannot create {}: {e}", path.display()));
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| ApiError::Internal(format!("no random source: {e}")))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    // create_new: two processes starting at once cannot both write a key; the loser reads the winner's.
    match options.open(path) {
        Ok(mut f) => {
            f.write_all(hex(&secret).as_bytes()).map_err(io)?;
            f.sync_all().map_err(io)?;
            tracing::info!(path = %path.display(), "created a key");
            Ok(secret)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => load(path).map(|k| k.to_bytes()),
        Err(e) => Err(io(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_created_once_then_loaded_and_garbage_is_refused() {
        let dir = std::env::temp_dir().join(format!("sealgate-key-{}", std::process::id()));
        let path = dir.join("service.key");
        let a = load_or_create(&path).expect("created");
        let b = load_or_create(&path).expect("loaded");
        assert_eq!(a.to_bytes(), b.to_bytes());
        std::fs::write(&path, "not a key").expect("written");
        assert!(load_or_create(&path).is_err());
        assert!(load(&dir.join("missing.key")).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
