//! terraform-provider-identitycenter: a Terraform provider (plugin protocol
//! 6) for IAM Identity Center application grants, and a local emulator of
//! the SSO Admin grant APIs.
//!
//! Layers, top to bottom: [`plugin`] (go-plugin host), [`server`] (tfplugin6
//! over tonic), [`framework`] (schemas, diagnostics, traits, plan rules),
//! [`value`] (cty values and their codecs), [`provider`] (the resources and
//! their AWS mapping). [`emulator`] stands apart and shares no code with
//! [`provider`].

pub mod emulator;
pub mod framework;
pub mod plugin;
pub mod proto;
pub mod provider;
pub mod server;
pub mod value;
