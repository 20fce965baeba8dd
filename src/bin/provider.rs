//! The provider binary Terraform launches.

use std::process::ExitCode;
use std::sync::Arc;

use identitycenter::plugin::{serve, ServeOptions};
use identitycenter::provider::{IdentityCenterProvider, PROVIDER_ADDRESS};

fn main() -> ExitCode {
    let debug = std::env::args()
        .skip(1)
        .any(|a| a == "--debug" || a == "-debug");
    serve(
        Arc::new(IdentityCenterProvider::new()),
        ServeOptions {
            provider_address: PROVIDER_ADDRESS.to_string(),
            debug,
        },
    )
}
