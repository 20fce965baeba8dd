//! Wire types generated from `proto/` by `build.rs`.
//!
//! Only the protocol layer (`server`, `plugin`) and tests use these types;
//! providers work with [`crate::value::Value`] and [`crate::framework`] types.

#![allow(clippy::all, missing_docs)]

/// Terraform plugin protocol 6 (`tfplugin6` package).
pub mod tfplugin6 {
    tonic::include_proto!("tfplugin6");
}

/// go-plugin's own services (`plugin` package): controller, stdio, broker.
pub mod plugin {
    tonic::include_proto!("plugin");
}
