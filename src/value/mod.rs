//! The cty value model and its schema-directed wire codecs.
//!
//! Terraform sends every value as msgpack encoded against the schema's implied
//! type (and raw state as JSON); neither encoding is self-describing, so every
//! codec here takes the [`Type`] the schema says is at that position.
//! [`Value`] mirrors cty closely enough that encode(decode(bytes)) reproduces
//! what Terraform would accept: nulls, unknowns with refinements, exact
//! numbers, and `dynamic` positions that carry their own type.

mod cty;
mod error;
mod json;
mod msgpack;
mod msgpack_number;
mod msgpack_wire;
mod number;
pub mod path;
mod refinements;
mod types;

pub use cty::Value;
pub use error::ValueError;
pub use json::{decode_json, encode_json};
pub use msgpack::{decode_msgpack, encode_msgpack};
pub use number::{Number, NumberError};
pub use path::{AttributePath, PathStep};
pub use refinements::Refinements;
pub use types::Type;
