//! Application grants: the domain, the typed models of every grant schema,
//! the AWS calls, the plan-time rules, and the resource, data sources and
//! functions built on them.

pub mod arn;
pub mod attempts;
pub(crate) mod aws_error;
pub mod calls;
pub mod consistency;
pub(crate) mod data_sources;
pub mod deadline;
pub(crate) mod domain;
pub mod error;
pub(crate) mod exclusive;
#[cfg(test)]
mod fake_endpoint;
pub mod functions;
pub mod identity;
pub mod list;
pub mod model;
pub mod pages;
pub mod resource;
pub(crate) mod sdk_shapes;
pub(crate) mod shared_reads;
pub mod uri;
pub mod validation;
pub mod written;
