//! terraform-provider-identitycenter: a Terraform provider (plugin protocol
//! 6) for IAM Identity Center application grants, and a local emulator of
//! the SSO Admin grant APIs.
//!
//! Layers, top to bottom: [`plugin`] (go-plugin host), [`server`] (tfplugin6
//! over tonic), [`framework`] (schemas, diagnostics, traits, plan rules),
//! [`value`] (cty values and their codecs), [`provider`] (the resources and
//! their AWS mapping). [`emulator`] stands apart and shares no code with
//! [`provider`].

// The generic layers say what each public item is and export only what is
// reachable from outside the crate (clippy's `-D warnings` in `make test`
// turns these into errors).
pub mod emulator;
#[warn(unreachable_pub, missing_docs)]
pub mod framework;
#[warn(unreachable_pub, missing_docs)]
pub mod plugin;
pub mod proto;
pub mod provider;
#[warn(unreachable_pub, missing_docs)]
pub mod server;
#[warn(unreachable_pub, missing_docs)]
pub mod value;
