//! The identitycenter provider: its configuration, the AWS client it builds,
//! and the grant resource, data sources and functions.

pub mod client;
pub mod config;
pub mod configured;
pub mod duration;
pub mod grant;
pub mod identity_center;
pub mod settings;

pub use identity_center::{IdentityCenterProvider, PROVIDER_ADDRESS, PROVIDER_NAME};
