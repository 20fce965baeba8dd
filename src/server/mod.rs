//! The protocol server: the tonic implementation of `tfplugin6.Provider`
//! and the conversions between wire and framework types. It only
//! translates; the behaviour is the framework's. It never sees AWS.

pub(crate) mod convert;
mod function_call;
mod list_stream;
mod response;
pub mod service;

pub use service::ProviderService;
