//! Shared test support: a go-plugin client, a Terraform CLI harness and the
//! emulator.
#![allow(dead_code)]

pub mod configured;
pub mod docs;
pub mod documents;
pub mod emulator;
pub mod examples;
pub mod grants;
pub mod in_process;
pub mod plugin_client;
pub mod ports;
pub mod processes;
pub mod release;
pub mod steps;
pub mod strategies;
pub mod terraform;
pub mod waiting;
