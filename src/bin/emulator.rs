//! `identitycenter-emulator`: a local AWS SSO Admin application-grant API for tests and demos.

fn main() -> std::process::ExitCode {
    identitycenter::emulator::cli::main()
}
