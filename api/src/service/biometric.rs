//! Face templates are biometric data: encrypted at rest with XChaCha20-Poly1305 under a data key
//! kept beside the service key (`<data_dir>/biometric.key`), bound to the person they belong to
//! (the person's id is the associated data, so a template moved to another person fails to open).

use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use sealgate_models::digest::hex;
use sealgate_pipeline::face::Embedding;

use super::error::ApiError;

pub struct TemplateKey(XChaCha20Poly1305);

impl std::fmt::Debug for TemplateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TemplateKey(..)")
    }
}

impl TemplateKey {
    /// Load the data key from `path`, creating it on first use (mode 0600).
    pub fn load_or_create(path: &Path) -> Result<TemplateKey, ApiError> {
        let secret = super::keys::load_or_create_secret(path)?;
        Ok(TemplateKey(XChaCha20Poly1305::new(Key::from_slice(&secret))))
    }

    /// Encrypt an embedding for `person`: hex of nonce (24 bytes) then ciphertext.
    pub fn seal(&self, person: &str, e: &Embedding) -> Result<String, ApiError> {
        let plain: Vec<u8> = e.0.iter().flat_map(|v| v.to_le_bytes()).collect();
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut nonce).map_err(|err| ApiError::Internal(format!("no random source: {err}")))?;
        let sealed = self
            .0
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: &plain, aad: person.as_bytes() })
            .map_err(|_| ApiError::Internal("template encryption failed".into()))?;
        Ok(format!("{}{}", hex(&nonce), hex(&sealed)))
    }

    /// Decrypt a template of `person`; any tampering is an error.
    pub fn open(&self, person: &str, sealed: &str) -> Result<Embedding, ApiError> {
        let bad =
            || ApiError::Internal(format!("a face template of {person} does not decrypt (tampered or wrong key)"));
        let bytes = unhex(sealed).ok_or_else(bad)?;
        if bytes.len() < 24 + 16 {
            return Err(bad());
        }
        let plain = self
            .0
            .decrypt(XNonce::from_slice(&bytes[..24]), Payload { msg: &bytes[24..], aad: person.as_bytes() })
            .map_err(|_| bad())?;
        if !plain.len().is_multiple_of(4) {
            return Err(bad());
        }
        Ok(Embedding(plain.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()))
    }
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_open_only_for_their_person_and_untampered() {
        let dir = std::env::temp_dir().join(format!("sealgate-bio-{}", std::process::id()));
        let key = TemplateKey::load_or_create(&dir.join("biometric.key")).expect("key");
        let e = Embedding(vec![0.25, -0.5, 1.0]);
        let sealed = key.seal("per_a", &e).expect("sealed");
        assert!(!sealed.contains("3e80")); // 0.25f32 LE is 00 00 80 3e: not stored in clear
        assert_eq!(key.open("per_a", &sealed).expect("opened"), e);
        assert!(key.open("per_b", &sealed).is_err());
        let mut flipped = sealed.clone().into_bytes();
        let last = flipped.len() - 1;
        flipped[last] = if flipped[last] == b'0' { b'1' } else { b'0' };
        assert!(key.open("per_a", &String::from_utf8(flipped).expect("ascii")).is_err());
        assert!(key.open("per_a", "zz").is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
