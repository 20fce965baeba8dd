//! The semantic layer between the wire protocol and provider code: the
//! traits a provider implements (request/response structs, optional
//! capabilities as default methods), schemas, typed models, diagnostics,
//! and the [`engine`] that carries each RPC's behaviour.

pub mod conversion;
pub(crate) mod data_source;
pub mod diagnostics;
pub mod duration;
pub mod engine;
pub mod function;
pub(crate) mod guard;
pub mod list_resource;
pub(crate) mod model_declaration;
pub mod provider;
pub mod registry;
pub mod resource;
pub mod rules;
pub mod schema;
pub mod stop;
pub mod timeouts;

pub use conversion::{Field, FromValue, IntoValue, ModelError, ValueType};
pub use data_source::{DataSource, ReadDataRequest, ReadDataResponse};
pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use function::{CallRequest, CallResponse, Function, FunctionError, Parameter, Signature};
pub use list_resource::{ListRequest, ListResource, ListResult, ListResults};
pub use provider::{ConfigureRequest, ConfigureResponse, Provider};
pub use registry::Kind;
pub use resource::{
    CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, ImportRequest, ImportResponse,
    ModifyPlanRequest, ModifyPlanResponse, ObjectResponse, ReadRequest, ReadResponse, Resource,
    UpdateRequest, UpdateResponse, UpgradeIdentityRequest, UpgradeIdentityResponse,
    UpgradeStateRequest, UpgradeStateResponse, ValidateRequest, ValidateResponse,
};
pub use schema::{Attribute, AttributeMode, Block, NestedBlock, NestingMode, Schema};
pub use stop::StopSignal;
