//! The semantic layer between the wire protocol and provider code: schemas,
//! diagnostics, the resource/provider traits and the plan pipeline.

pub mod diagnostics;
pub mod resource;
pub mod schema;

pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use resource::{ConfigureInput, PlanInput, Provider, Resource, StateResult, StopSignal};
pub use schema::{Attribute, AttributeMode, Block, NestedBlock, NestingMode, Schema};
