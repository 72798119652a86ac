//! The `sealgate` binary.

fn main() -> std::process::ExitCode {
    sealgate_api::cli::main()
}
