//! Application grants: the domain, the typed models of every grant schema,
//! the AWS calls, the plan-time rules, and the resource, data sources and
//! functions built on them.

pub mod arn;
pub mod attempts;
pub mod aws;
pub mod data_sources;
pub mod deadline;
pub mod domain;
pub mod error;
pub mod functions;
pub mod identity;
pub mod list;
pub mod model;
pub mod resource;
pub mod shared_reads;
pub mod validation;
