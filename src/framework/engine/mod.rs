//! The framework's behaviour behind each RPC, on [`crate::value::Value`]s
//! only: registries, the plan pipeline, which lifecycle call to make and
//! what to keep in state when it fails. One file per RPC family; the
//! protocol layer only decodes, calls one of these, and encodes.

mod apply;
mod capabilities;
mod data_source;
mod function;
mod handle;
mod identity;
mod import;
mod list;
mod outcome;
mod plan;
mod provider_config;
mod read;
mod upgrade;
mod validate;

pub use apply::ApplyInput;
pub use capabilities::Capabilities;
pub use handle::{
    DataSourceHandle, Engine, FunctionHandle, ListHandle, ResourceHandle, TypedSchema,
};
pub use list::ListStream;
pub use outcome::{ImportOutcome, ImportedObject, ObjectOutcome, PlanOutcome};
pub use plan::PlanInput;
pub use read::ReadInput;
#[cfg(test)]
pub(crate) use validate::run_declared;
