//! The framework's server state: the provider, its schemas computed once,
//! one registry per kind, and the stop source. A lookup yields a handle
//! whose methods (one file per RPC family) carry the behaviour.

use std::future::Future;
use std::sync::Arc;

use crate::framework::data_source::DataSource;
use crate::framework::diagnostics::{Diagnostic, Diagnostics};
use crate::framework::function::{Function, Signature};
use crate::framework::list_resource::ListResource;
use crate::framework::provider::Provider;
use crate::framework::registry::{not_offered, Kind, Registry};
use crate::framework::resource::Resource;
use crate::framework::schema::Schema;
use crate::framework::stop::{StopSignal, StopSource};
use crate::value::Type;

/// A schema and the type its values have on the wire, computed once.
#[derive(Clone, Debug)]
pub struct TypedSchema {
    /// The schema.
    pub schema: Schema,
    /// Its implied type.
    pub ty: Type,
}

impl TypedSchema {
    fn new(schema: Schema) -> Self {
        let ty = schema.implied_type();
        Self { schema, ty }
    }
}

pub(super) struct ResourceEntry {
    pub(super) resource: Arc<dyn Resource>,
    pub(super) schema: TypedSchema,
    pub(super) identity: Option<TypedSchema>,
}

pub(super) struct DataSourceEntry {
    pub(super) data_source: Arc<dyn DataSource>,
    pub(super) schema: TypedSchema,
}

pub(super) struct ListEntry {
    pub(super) list: Arc<dyn ListResource>,
    pub(super) schema: TypedSchema,
}

pub(super) struct FunctionEntry {
    pub(super) function: Arc<dyn Function>,
    pub(super) signature: Signature,
}

/// Serves one [`Provider`]: every RPC's behaviour, on [`crate::value::Value`]s.
pub struct Engine {
    pub(super) provider: Arc<dyn Provider>,
    pub(super) provider_schema: TypedSchema,
    resources: Registry<ResourceEntry>,
    data_sources: Registry<DataSourceEntry>,
    functions: Registry<FunctionEntry>,
    lists: Registry<ListEntry>,
    stop: StopSource,
}

impl Engine {
    /// Registers everything the provider offers; schemas are computed here,
    /// once.
    pub fn new(provider: Arc<dyn Provider>) -> Self {
        let name = provider.type_name();
        let resources = provider.resources().into_iter().map(|resource| {
            let schema = match resource.timeouts() {
                Some(timeouts) => timeouts.added_to(resource.schema()),
                None => resource.schema(),
            };
            let schema = TypedSchema::new(schema);
            let identity = resource.identity_schema().map(TypedSchema::new);
            let entry = ResourceEntry {
                resource,
                schema,
                identity,
            };
            (entry.resource.type_name().to_string(), entry)
        });
        let data_sources = provider.data_sources().into_iter().map(|data_source| {
            let schema = TypedSchema::new(data_source.schema());
            let entry = DataSourceEntry {
                data_source,
                schema,
            };
            (entry.data_source.type_name().to_string(), entry)
        });
        let functions = provider.functions().into_iter().map(|function| {
            let signature = function.signature();
            let entry = FunctionEntry {
                function,
                signature,
            };
            (entry.function.name().to_string(), entry)
        });
        let lists = provider.list_resources().into_iter().map(|list| {
            let schema = TypedSchema::new(list.schema());
            let entry = ListEntry { list, schema };
            (entry.list.type_name().to_string(), entry)
        });
        Self {
            provider_schema: TypedSchema::new(provider.schema()),
            lists: Registry::new(name, Kind::ListResource, lists),
            resources: Registry::new(name, Kind::Resource, resources),
            data_sources: Registry::new(name, Kind::DataSource, data_sources),
            functions: Registry::new(name, Kind::Function, functions),
            stop: StopSource::default(),
            provider,
        }
    }

    /// The provider's local name.
    pub(crate) fn provider_name(&self) -> &'static str {
        self.provider.type_name()
    }

    /// The `provider` block's schema.
    pub fn provider_schema(&self) -> &TypedSchema {
        &self.provider_schema
    }

    /// Resource schemas by type name.
    pub fn resource_schemas(&self) -> impl Iterator<Item = (&str, &Schema)> {
        self.resources.iter().map(|(n, e)| (n, &e.schema.schema))
    }

    /// Data source schemas by type name.
    pub fn data_source_schemas(&self) -> impl Iterator<Item = (&str, &Schema)> {
        self.data_sources.iter().map(|(n, e)| (n, &e.schema.schema))
    }

    /// Identity schemas by resource type name, for the types that have one.
    pub fn identity_schemas(&self) -> impl Iterator<Item = (&str, &Schema)> {
        self.resources
            .iter()
            .filter_map(|(n, e)| e.identity.as_ref().map(|i| (n, &i.schema)))
    }

    /// List resource (`config` block) schemas by type name.
    pub fn list_resource_schemas(&self) -> impl Iterator<Item = (&str, &Schema)> {
        self.lists.iter().map(|(n, e)| (n, &e.schema.schema))
    }

    /// Function signatures by name.
    pub(crate) fn function_signatures(&self) -> impl Iterator<Item = (&str, &Signature)> {
        self.functions.iter().map(|(n, e)| (n, &e.signature))
    }

    /// The resource type `name`.
    pub fn resource(&self, name: &str) -> Result<ResourceHandle<'_>, Diagnostics> {
        let entry = self.resources.get(name)?;
        Ok(ResourceHandle {
            engine: self,
            entry,
        })
    }

    /// The data source `name`.
    pub(crate) fn data_source(&self, name: &str) -> Result<DataSourceHandle<'_>, Diagnostics> {
        let entry = self.data_sources.get(name)?;
        Ok(DataSourceHandle {
            engine: self,
            entry,
        })
    }

    /// The list resource `name`, with the resource type it lists.
    pub fn list_resource(&self, name: &str) -> Result<ListHandle<'_>, Diagnostics> {
        let entry = self.lists.get(name)?;
        let listed = self.resource(name)?;
        Ok(ListHandle {
            engine: self,
            entry,
            listed: listed.entry,
        })
    }

    /// The function `name`.
    pub fn function(&self, name: &str) -> Result<FunctionHandle<'_>, Diagnostics> {
        let entry = self.functions.get(name)?;
        Ok(FunctionHandle { entry })
    }

    /// The answer to any request for a kind this provider does not offer.
    pub(crate) fn not_offered(&self, kind: Kind, name: &str) -> Diagnostics {
        not_offered(self.provider_name(), kind, name)
    }

    /// StopProvider: cancel everything in flight; later calls run normally.
    pub(crate) fn stop_all(&self) {
        tracing::info!("StopProvider: cancelling operations in flight");
        self.stop.stop_all();
    }

    /// The stop signal for a call starting now.
    pub(super) fn stop_signal(&self) -> StopSignal {
        self.stop.signal()
    }

    /// Runs remote work unless StopProvider cancels it first.
    pub(super) async fn cancellable<T>(
        &self,
        work: impl Future<Output = T>,
    ) -> Result<T, Diagnostics> {
        let stop = self.stop_signal();
        tokio::select! {
            out = work => Ok(out),
            _ = stop.stopped() => Err(Diagnostic::error(
                "Operation cancelled",
                "Terraform asked the provider to stop (StopProvider) before this operation finished.",
            )
            .into()),
        }
    }
}

/// A registered resource type, ready for calls.
pub struct ResourceHandle<'e> {
    pub(super) engine: &'e Engine,
    pub(super) entry: &'e ResourceEntry,
}

impl ResourceHandle<'_> {
    /// The type values of this resource have on the wire.
    pub fn ty(&self) -> &Type {
        &self.entry.schema.ty
    }

    /// The type of this resource's identity, if it has one.
    pub fn identity_ty(&self) -> Option<&Type> {
        self.entry.identity.as_ref().map(|i| &i.ty)
    }

    pub(super) fn resource(&self) -> &dyn Resource {
        self.entry.resource.as_ref()
    }

    pub(super) fn schema(&self) -> &Schema {
        &self.entry.schema.schema
    }
}

/// A registered data source, ready for calls.
pub struct DataSourceHandle<'e> {
    pub(super) engine: &'e Engine,
    pub(super) entry: &'e DataSourceEntry,
}

impl DataSourceHandle<'_> {
    /// The type values of this data source have on the wire.
    pub fn ty(&self) -> &Type {
        &self.entry.schema.ty
    }
}

/// A registered list resource, ready for calls.
pub struct ListHandle<'e> {
    pub(super) engine: &'e Engine,
    pub(super) entry: &'e ListEntry,
    pub(super) listed: &'e ResourceEntry,
}

impl ListHandle<'_> {
    /// The type of the `config` block.
    pub(crate) fn config_ty(&self) -> &Type {
        &self.entry.schema.ty
    }

    /// The type of the listed objects.
    pub(crate) fn resource_ty(&self) -> &Type {
        &self.listed.schema.ty
    }

    /// The type of the listed objects' identities (null type when the
    /// resource has none, which Terraform rejects).
    pub fn identity_ty(&self) -> Option<&Type> {
        self.listed.identity.as_ref().map(|i| &i.ty)
    }
}

/// A registered function, ready for calls.
pub struct FunctionHandle<'e> {
    pub(super) entry: &'e FunctionEntry,
}

impl FunctionHandle<'_> {
    /// The function's signature (argument and result types).
    pub fn signature(&self) -> &Signature {
        &self.entry.signature
    }
}
