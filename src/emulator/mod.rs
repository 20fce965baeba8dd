//! A local emulator of the AWS IAM Identity Center (SSO Admin) application-grant and
//! application-authentication-method APIs.
//!
//! It speaks AWS JSON 1.1 on 127.0.0.1, verifies SigV4 signatures, validates every request
//! against the service model, keeps state in memory, and can inject the faults real AWS
//! produces (throttling, server errors, conflicts, latency, rate limits, read-after-write
//! invisibility). It is the backend of the acceptance tests and the quick start, so it must
//! fail exactly where AWS would: it shares no code with the provider's AWS mapping.
//!
//! Start one in-process with [`start`], or run the `identitycenter-emulator` binary.
//! Operations served: Put/Get/Delete/ListApplicationGrants,
//! Put/Get/Delete/ListApplicationAuthenticationMethod(s), ListInstances,
//! Create/Describe/List/DeleteApplication(s), Create/Describe/List/DeleteTrustedTokenIssuer(s).

mod authentication_method;
mod backend;
mod bootstrap;
pub mod cli;
mod config;
mod error;
mod faults;
mod grant;
mod ids;
mod inspect;
mod model;
mod operation;
mod operations;
mod paging;
mod resources;
mod scripted;
mod secret;
pub mod seed;
mod server;
mod service;
mod shapes;
mod sigv4;
mod slot;
mod state;
mod stats;
mod sts;
mod wire;

pub use bootstrap::SeededResource;
pub use config::{
    AssumableRole, Credential, EmulatorConfig, FaultConfig, ScriptedFault, AWS_COLLECTIVE_TPS,
    DEFAULT_ACCOUNT_ID, DEFAULT_PAGE_SIZE, DEFAULT_REGION, DEMO_ACCESS_KEY_ID,
    DEMO_SECRET_ACCESS_KEY,
};
pub use model::CUSTOM_APPLICATION_PROVIDER_ARN;
pub use secret::Secret;
pub use seed::Seed;
pub use server::{start, EmulatorError, RunningEmulator};
