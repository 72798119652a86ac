//! Labelled face photo sets.

use std::path::{Path, PathBuf};

/// The shared face photo folder: `$SEALGATE_SHARED/datasets/faces`, else `<root>/../shared/datasets/faces`,
/// where `<root>` is the nearest ancestor of the current directory holding `models/manifest.toml`.
pub fn shared_faces_dir() -> PathBuf {
    if let Some(s) = std::env::var_os("SEALGATE_SHARED") {
        return PathBuf::from(s).join("datasets").join("faces");
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let root = cwd.ancestors().find(|d| d.join("models").join("manifest.toml").is_file()).unwrap_or(&cwd).to_path_buf();
    root.join("..").join("shared").join("datasets").join("faces")
}

/// A label or pair file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LabelError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path} line {line}: {what}")]
    Line { path: PathBuf, line: usize, what: String },
}

/// One labelled photo.
#[derive(Debug, Clone)]
pub struct Labelled {
    pub path: PathBuf,
    pub identity: String,
}

fn read(csv: &Path) -> Result<String, LabelError> {
    std::fs::read_to_string(csv).map_err(|source| LabelError::Read { path: csv.to_path_buf(), source })
}

fn line_err(csv: &Path, line: usize, what: impl Into<String>) -> LabelError {
    LabelError::Line { path: csv.to_path_buf(), line, what: what.into() }
}

/// Read `path,identity[,source]` (header required); paths are relative to the csv's folder.
pub fn read_labels(csv: &Path) -> Result<Vec<Labelled>, LabelError> {
    let base = csv.parent().unwrap_or(Path::new("."));
    let text = read(csv)?;
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    match lines.next() {
        Some((_, h)) if h.trim_start_matches('\u{feff}').starts_with("path,identity") => {}
        _ => return Err(line_err(csv, 1, "header must start with path,identity")),
    }
    lines
        .map(|(i, line)| {
            let mut cols = line.split(',');
            match (cols.next(), cols.next()) {
                (Some(p), Some(id)) if !p.trim().is_empty() && !id.trim().is_empty() => {
                    Ok(Labelled { path: base.join(p.trim()), identity: id.trim().to_string() })
                }
                _ => Err(line_err(csv, i + 1, "expected path,identity")),
            }
        })
        .collect()
}

/// Read `a,b,same` (header required; same = 1 or 0) into index pairs of `labels`; a path not in
/// `labels` is appended to it with an identity of its own.
pub fn read_pairs(csv: &Path, labels: &mut Vec<Labelled>) -> Result<Vec<(usize, usize, bool)>, LabelError> {
    let base = csv.parent().unwrap_or(Path::new("."));
    let text = read(csv)?;
    let mut index = |p: &str| -> usize {
        let path = base.join(p.trim());
        if let Some(i) = labels.iter().position(|l| l.path == path) {
            return i;
        }
        labels.push(Labelled { identity: format!("unlabelled:{}", path.display()), path });
        labels.len() - 1
    };
    let mut pairs = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).skip(1) {
        let cols: Vec<&str> = line.split(',').collect();
        if cols.len() != 3 {
            return Err(line_err(csv, i + 1, "expected a,b,same"));
        }
        let same = match cols[2].trim() {
            "1" => true,
            "0" => false,
            other => return Err(line_err(csv, i + 1, format!("same must be 1 or 0, not `{other}`"))),
        };
        pairs.push((index(cols[0]), index(cols[1]), same));
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_pairs_parse_and_malformed_lines_are_refused() {
        let dir = std::env::temp_dir().join(format!("sealgate-labels-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let labels = dir.join("l.csv");
        std::fs::write(&labels, "path,identity,source\na.jpg,x,s\nb.jpg,y,s\n").expect("write");
        let mut set = read_labels(&labels).expect("labels");
        assert_eq!(set.len(), 2);
        assert_eq!(set[1].path, dir.join("b.jpg"));
        let pairs = dir.join("p.csv");
        std::fs::write(&pairs, "a,b,same\na.jpg,c.jpg,0\n").expect("write");
        assert_eq!(read_pairs(&pairs, &mut set).expect("pairs"), vec![(0, 2, false)]);
        std::fs::write(&pairs, "a,b,same\na.jpg,c.jpg,maybe\n").expect("write");
        assert!(read_pairs(&pairs, &mut set).is_err());
        std::fs::write(&labels, "file,who\n").expect("write");
        assert!(read_labels(&labels).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
