//! The identitycenter provider: its configuration, the AWS client it builds,
//! the grant resources, data sources and functions, and the application
//! authentication method resource.

pub(crate) mod authentication_method;
pub mod client;
pub mod client_settings;
pub(crate) mod credential_sources;
pub mod endpoint;
pub mod grant;
pub(crate) mod identity_center;
pub mod policy;
pub mod provider_block;
pub(crate) mod shared_client;

pub use identity_center::{IdentityCenterProvider, PROVIDER_ADDRESS, PROVIDER_NAME};
