//! Local face-template store for `sealgate face enroll` / `identify`: one JSON file per person under
//! `<root>/.data/face_templates/`, readable by the owner only. Templates are biometric data; the
//! service's encrypted store replaces this in the service issue.

use std::path::{Path, PathBuf};

use sealgate_pipeline::face::{Embedding, Gallery};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
struct Record {
    id: String,
    templates: Vec<Embedding>,
}

/// The folder of the local store.
pub fn store_dir() -> PathBuf {
    sealgate_models::paths::Paths::discover().root.join(".data").join("face_templates")
}

/// A person id is a file name: ASCII letters, digits, `-`, `_`, `.`; 1..=64 characters; not starting with `.`.
pub fn valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && !id.starts_with('.')
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
}

/// Replace `id`'s templates, written atomically with mode 0600.
pub fn save(dir: &Path, id: &str, templates: Vec<Embedding>) -> anyhow::Result<PathBuf> {
    anyhow::ensure!(valid_id(id), "person id `{id}` must be 1-64 of A-Z a-z 0-9 - _ . and not start with a dot");
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("{id}.json"));
    let tmp = dir.join(format!(".{id}.json.tmp"));
    let body = serde_json::to_vec(&Record { id: id.to_string(), templates })?;
    {
        use std::io::Write;
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut f = opts.open(&tmp)?;
        f.write_all(&body)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

/// Every enrolled person.
pub fn load_gallery(dir: &Path) -> anyhow::Result<Gallery> {
    let mut gallery = Gallery::default();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(gallery);
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for path in paths.into_iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
        let record: Record = serde_json::from_slice(&std::fs::read(&path)?)
            .map_err(|e| anyhow::anyhow!("template file {} is unreadable: {e}", path.display()))?;
        for t in record.templates {
            gallery.add(&record.id, t);
        }
    }
    Ok(gallery)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_file_names_only() {
        assert!(valid_id("zhang.san-01"));
        for bad in ["", "../x", ".hidden", "a/b", "名字", &"x".repeat(65)] {
            assert!(!valid_id(bad), "{bad}");
        }
    }
}
