//! The audit log: append-only and hash-chained. Entry `n` stores `sha256(entry n-1's hash, n, time,
//! actor, action, subject, detail)`; every decision and state change appends one in the same
//! transaction as the change. Signed checkpoints of the head (sequence number and hash, signed with
//! the service's ed25519 key) are kept in the database and exported; [`verify`] then detects an
//! edited, removed, reordered or recomputed entry and a truncated tail, up to the checkpoint it is
//! given. (Changes after the newest exported checkpoint can only be caught by the next one.)

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sealgate_models::digest::{hex, sha256_hex};
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};

use super::db::Db;
use super::error::ApiError;

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry of the log.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct Entry {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub subject: String,
    /// JSON text of the action's details.
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of an entry given its predecessor's; the fields are JSON-encoded as an array so that
/// no choice of field values can make two different entries hash the same input.
pub fn entry_hash(
    prev_hash: &str,
    seq: i64,
    at: i64,
    actor: &str,
    action: &str,
    subject: &str,
    detail: &str,
) -> String {
    let canonical = serde_json::json!([prev_hash, seq, at, actor, action, subject, detail]).to_string();
    sha256_hex(canonical.as_bytes())
}

/// Append an entry inside the caller's transaction; returns its sequence number. The first
/// statement updates the head row, which serialises concurrent appends on both databases.
pub async fn append(
    tx: &mut AnyConnection,
    at: i64,
    actor: &str,
    action: &str,
    subject: &str,
    detail: &serde_json::Value,
) -> Result<i64, ApiError> {
    sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1").execute(&mut *tx).await?;
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(&mut *tx).await?;
    let seq: i64 = head.try_get("seq")?;
    let prev_hash: String = head.try_get("hash")?;
    let detail = detail.to_string();
    let hash = entry_hash(&prev_hash, seq, at, actor, action, subject, &detail);
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(seq)
    .bind(at)
    .bind(actor)
    .bind(action)
    .bind(subject)
    .bind(&detail)
    .bind(&prev_hash)
    .bind(&hash)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&hash).execute(&mut *tx).await?;
    Ok(seq)
}

/// Entries after `after`, at most `limit`, in order.
pub async fn entries(db: &Db, after: i64, limit: i64) -> Result<Vec<Entry>, ApiError> {
    let rows = sqlx::query(
        "SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM audit_log
         WHERE seq > $1 ORDER BY seq LIMIT $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Entry {
                seq: r.try_get("seq")?,
                at: r.try_get("at")?,
                actor: r.try_get("actor")?,
                action: r.try_get("action")?,
                subject: r.try_get("subject")?,
                detail: r.try_get("detail")?,
                prev_hash: r.try_get("prev_hash")?,
                hash: r.try_get("hash")?,
            })
        })
        .collect()
}

/// A signed statement of the log's head at a time.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
    pub at: i64,
    /// The signer's ed25519 public key, hex.
    pub public_key: String,
    /// ed25519 signature of [`Checkpoint::message`], hex.
    pub signature: String,
}

impl Checkpoint {
    pub fn message(seq: i64, hash: &str, at: i64) -> String {
        format!("sealgate-audit-checkpoint:v1:{seq}:{hash}:{at}")
    }

    /// Check the signature against the key in the checkpoint and, when given, the pinned key.
    pub fn check_signature(&self, pinned: Option<&VerifyingKey>) -> Result<(), VerifyError> {
        let key = VerifyingKey::from_bytes(&decode_hex::<32>(&self.public_key).ok_or(VerifyError::BadSignature)?)
            .map_err(|_| VerifyError::BadSignature)?;
        if pinned.is_some_and(|p| p != &key) {
            return Err(VerifyError::KeyMismatch);
        }
        let signature = Signature::from_bytes(&decode_hex::<64>(&self.signature).ok_or(VerifyError::BadSignature)?);
        key.verify(Checkpoint::message(self.seq, &self.hash, self.at).as_bytes(), &signature)
            .map_err(|_| VerifyError::BadSignature)
    }
}

fn decode_hex<const N: usize>(s: &str) -> Option<[u8; N]> {
    if s.len() != 2 * N || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; N];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// Sign the current head, store the checkpoint and return it.
pub async fn checkpoint(db: &Db, key: &SigningKey, at: i64) -> Result<Checkpoint, ApiError> {
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(&db.pool).await?;
    let seq: i64 = head.try_get("seq")?;
    let hash: String = head.try_get("hash")?;
    let signature = hex(&key.sign(Checkpoint::message(seq, &hash, at).as_bytes()).to_bytes());
    let cp = Checkpoint { seq, hash, at, public_key: hex(&key.verifying_key().to_bytes()), signature };
    // The same head may be checkpointed twice; the first stays.
    let exists =
        sqlx::query("SELECT seq FROM audit_checkpoints WHERE seq = $1").bind(seq).fetch_optional(&db.pool).await?;
    if exists.is_none() {
        sqlx::query("INSERT INTO audit_checkpoints (seq, hash, at, public_key, signature) VALUES ($1, $2, $3, $4, $5)")
            .bind(cp.seq)
            .bind(&cp.hash)
            .bind(cp.at)
            .bind(&cp.public_key)
            .bind(&cp.signature)
            .execute(&db.pool)
            .await?;
    }
    Ok(cp)
}

/// What [`verify`] found wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum VerifyError {
    #[error("entry {found} follows entry {expected_after}: entries were removed or reordered")]
    SequenceGap { expected_after: i64, found: i64 },
    #[error("entry {seq} does not chain to its predecessor: an earlier entry was edited, removed or reordered")]
    BrokenLink { seq: i64 },
    #[error("entry {seq}'s content does not match its hash: it was edited")]
    EditedEntry { seq: i64 },
    #[error("the log ends at entry {last} but the checkpoint covers {checkpoint}: the tail was truncated")]
    Truncated { last: i64, checkpoint: i64 },
    #[error("entry {seq}'s hash differs from the signed checkpoint: the chain was rewritten")]
    CheckpointMismatch { seq: i64 },
    #[error("the checkpoint's signature is invalid")]
    BadSignature,
    #[error("the checkpoint was signed by another key than the service's")]
    KeyMismatch,
    #[error("cannot read the log: {0}")]
    Unreadable(String),
}

/// What an intact log looks like to [`verify`].
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub entries: i64,
    pub head_seq: i64,
    pub head_hash: String,
    pub checkpoint_seq: i64,
}

/// Walk the whole chain from the first entry and check it against `checkpoint` (signature first).
/// `progress(done)` is called every 10 000 entries.
pub async fn verify(
    db: &Db,
    checkpoint: &Checkpoint,
    pinned: Option<&VerifyingKey>,
    mut progress: impl FnMut(i64),
) -> Result<VerifyReport, VerifyError> {
    checkpoint.check_signature(pinned)?;
    let unreadable = |e: ApiError| VerifyError::Unreadable(e.to_string());
    let (mut last_seq, mut last_hash) = (0i64, GENESIS.to_string());
    let mut checkpoint_seen = checkpoint.seq == 0 && checkpoint.hash == GENESIS;
    loop {
        let page = entries(db, last_seq, 1000).await.map_err(unreadable)?;
        if page.is_empty() {
            break;
        }
        for e in page {
            if e.seq != last_seq + 1 {
                return Err(VerifyError::SequenceGap { expected_after: last_seq, found: e.seq });
            }
            if e.prev_hash != last_hash {
                return Err(VerifyError::BrokenLink { seq: e.seq });
            }
            if entry_hash(&e.prev_hash, e.seq, e.at, &e.actor, &e.action, &e.subject, &e.detail) != e.hash {
                return Err(VerifyError::EditedEntry { seq: e.seq });
            }
            if e.seq == checkpoint.seq {
                if e.hash != checkpoint.hash {
                    return Err(VerifyError::CheckpointMismatch { seq: e.seq });
                }
                checkpoint_seen = true;
            }
            last_seq = e.seq;
            last_hash = e.hash;
            if last_seq % 10_000 == 0 {
                progress(last_seq);
            }
        }
    }
    if !checkpoint_seen {
        return Err(VerifyError::Truncated { last: last_seq, checkpoint: checkpoint.seq });
    }
    Ok(VerifyReport { entries: last_seq, head_seq: last_seq, head_hash: last_hash, checkpoint_seq: checkpoint.seq })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_depends_on_every_field_and_the_predecessor() {
        let base = entry_hash(GENESIS, 1, 5, "person:a", "x", "s", "{}");
        assert_ne!(base, entry_hash(GENESIS, 2, 5, "person:a", "x", "s", "{}"));
        assert_ne!(base, entry_hash(GENESIS, 1, 6, "person:a", "x", "s", "{}"));
        assert_ne!(base, entry_hash(GENESIS, 1, 5, "person:b", "x", "s", "{}"));
        assert_ne!(base, entry_hash(GENESIS, 1, 5, "person:a", "y", "s", "{}"));
        assert_ne!(base, entry_hash(GENESIS, 1, 5, "person:a", "x", "t", "{}"));
        assert_ne!(base, entry_hash(GENESIS, 1, 5, "person:a", "x", "s", "{\"a\":1}"));
        assert_ne!(base, entry_hash(&base, 1, 5, "person:a", "x", "s", "{}"));
        // Moving text between fields changes the hash.
        assert_ne!(entry_hash(GENESIS, 1, 5, "ab", "c", "s", "{}"), entry_hash(GENESIS, 1, 5, "a", "bc", "s", "{}"));
    }

    #[test]
    fn a_checkpoint_signature_covers_seq_and_hash() {
        let key = SigningKey::from_bytes(&[7u8; 32]);
        let sign = |seq: i64, hash: &str| hex(&key.sign(Checkpoint::message(seq, hash, 9).as_bytes()).to_bytes());
        let cp = Checkpoint {
            seq: 3,
            hash: GENESIS.into(),
            at: 9,
            public_key: hex(&key.verifying_key().to_bytes()),
            signature: sign(3, GENESIS),
        };
        assert_eq!(cp.check_signature(Some(&key.verifying_key())), Ok(()));
        assert_eq!(Checkpoint { seq: 4, ..cp.clone() }.check_signature(None), Err(VerifyError::BadSignature));
        let other = SigningKey::from_bytes(&[8u8; 32]).verifying_key();
        assert_eq!(cp.check_signature(Some(&other)), Err(VerifyError::KeyMismatch));
        assert_eq!(
            Checkpoint { signature: "zz".into(), ..cp.clone() }.check_signature(None),
            Err(VerifyError::BadSignature)
        );
    }
}
