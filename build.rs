//! Compiles the vendored protocol definitions into Rust with tonic/prost.
//! protox parses the .proto files in pure Rust, so no `protoc` is needed.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let protos = ["proto/tfplugin6.proto", "proto/plugin.proto"];
    for p in &protos {
        println!("cargo:rerun-if-changed={p}");
    }
    let descriptors = protox::compile(protos, ["proto"])?;
    // The provider binary is linked as a position-dependent executable, as
    // Go links Terraform providers. A PIE carries ~50,000 relative
    // relocations (1.1 MiB) that the loader reads and applies on every
    // start, dirtying 0.8 MiB of pointers: measured with `make bench`, that
    // was a quarter of the start-up time and 1.2 MiB of resident memory.
    // Terraform starts a provider several times per command.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bin=terraform-provider-identitycenter=-no-pie");
    }
    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        .compile_fds(descriptors)?;
    Ok(())
}
