//! The protocol server: the tonic implementation of `tfplugin6.Provider`,
//! conversions between wire and framework types, the plan pipeline and the
//! panic guard. It never sees AWS.

pub mod convert;
pub mod guard;
mod lifecycle;
pub mod plan;
mod response;
pub mod service;

pub use service::ProviderService;
