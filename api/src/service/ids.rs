//! Identifiers and secrets from the operating system's random source: opaque ids for records and
//! API tokens, which are stored only as their sha256.

use sealgate_models::digest::{hex, sha256_hex};

use super::error::ApiError;

fn random_hex(bytes: usize) -> Result<String, ApiError> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| ApiError::Internal(format!("no random source: {e}")))?;
    Ok(hex(&buf))
}

/// A new record id such as `per_1f0c...` (64 random bits after the prefix).
pub fn new_id(prefix: &str) -> Result<String, ApiError> {
    Ok(format!("{prefix}_{}", random_hex(8)?))
}

/// A new API token (256 random bits); shown once, stored as [`token_hash`].
pub fn new_token() -> Result<String, ApiError> {
    Ok(format!("sgt_{}", random_hex(32)?))
}

/// What the database keeps of a token.
pub fn token_hash(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_tokens_are_fresh_and_prefixed() {
        let (a, b) = (new_id("per").expect("id"), new_id("per").expect("id"));
        assert!(a.starts_with("per_") && a.len() == 20 && a != b);
        let t = new_token().expect("token");
        assert!(t.starts_with("sgt_") && t.len() == 68);
        assert_eq!(token_hash(&t).len(), 64);
        assert_ne!(token_hash(&t), token_hash(&new_token().expect("token")));
    }
}
