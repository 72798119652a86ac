//! The `sealgate` binary.

fn main() -> std::process::ExitCode {
    ensure_omp_thread_limit();
    sealgate_api::cli::main()
}

/// Tesseract's OpenMP runtime reads `OMP_THREAD_LIMIT` when the library is loaded, before `main`
/// runs; unset, a page takes 10-40x longer on a busy machine. Re-execute once with it set.
fn ensure_omp_thread_limit() {
    #[cfg(unix)]
    if std::env::var_os("OMP_THREAD_LIMIT").is_none() {
        use std::os::unix::process::CommandExt;
        if let Ok(exe) = std::env::current_exe() {
            let err =
                std::process::Command::new(exe).args(std::env::args_os().skip(1)).env("OMP_THREAD_LIMIT", "1").exec();
            eprintln!("warning: could not re-execute with OMP_THREAD_LIMIT=1 ({err}); continuing");
        }
    }
}
