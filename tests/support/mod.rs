//! Shared test support: a go-plugin client and a Terraform CLI harness.
#![allow(dead_code)]

pub mod plugin_client;
pub mod terraform;
