//! The provider binary Terraform launches.
//!
//! Its entry point is the C `main`, without std's runtime start-up: that
//! start-up reads `/proc/self/maps` to place a guard for main-thread stack
//! overflows, which `make bench` measured at a tenth of the CPU of a short
//! provider process, and Terraform starts several per command. All this
//! process needs from it is done here: SIGPIPE ignored, so that a write to
//! a closed pipe fails instead of killing the process. (Arguments and the
//! environment need no start-up on Linux.) A stack overflow on the main
//! thread still ends the process, with SIGSEGV instead of a message.
//!
//! `cargo test --all-targets` also builds this file as a unit-test binary;
//! that build keeps the test harness's `main` and leaves this one out, so
//! the test run does not start a plugin server.
#![cfg_attr(not(test), no_main)]

#[cfg(not(test))]
mod entry {
    use std::ffi::{c_char, c_int};
    use std::io::Write as _;
    use std::sync::Arc;

    use identitycenter::plugin::{serve, ServeOptions};
    use identitycenter::provider::{IdentityCenterProvider, PROVIDER_ADDRESS};

    #[no_mangle]
    pub extern "C" fn main(_argc: c_int, _argv: *const *const c_char) -> c_int {
        // SAFETY: setting a signal's disposition to SIG_IGN is always sound.
        #[cfg(unix)]
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_IGN)
        };
        let debug = std::env::args()
            .skip(1)
            .any(|a| a == "--debug" || a == "-debug");
        let status = std::panic::catch_unwind(|| {
            serve(
                Arc::new(IdentityCenterProvider::new()),
                ServeOptions {
                    provider_address: PROVIDER_ADDRESS.to_string(),
                    debug,
                },
            )
        })
        // The panic hook has already reported it, in the form Terraform shows
        // as a provider crash.
        .unwrap_or(1);
        // Everything is cleaned up (the socket is gone): leave without running
        // exit handlers, which only free what the process is about to lose.
        let _ = std::io::stdout().flush();
        let _ = std::io::stderr().flush();
        exit_now(status)
    }

    #[cfg(unix)]
    fn exit_now(status: u8) -> ! {
        // SAFETY: _exit ends the process immediately; nothing runs after it.
        unsafe { libc::_exit(c_int::from(status)) }
    }

    #[cfg(not(unix))]
    fn exit_now(status: u8) -> ! {
        std::process::exit(c_int::from(status))
    }
}
