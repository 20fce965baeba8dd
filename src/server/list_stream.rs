//! ListResource's server stream: the framework's results, encoded as they
//! arrive. A problem before listing starts is one event with diagnostics.

use futures_util::StreamExt;

use super::convert::{decode_dynamic, diagnostics_to_proto, encode_dynamic, encode_identity};
use super::response::{single, BoxStream};
use crate::framework::engine::Engine;
use crate::framework::{Diagnostics, ListResult};
use crate::proto::tfplugin6 as pb;
use crate::value::Type;

/// The event stream answering `req`.
pub(super) fn list_events(
    engine: &Engine,
    req: pb::list_resource::Request,
) -> BoxStream<pb::list_resource::Event> {
    let started = (|| {
        let list = engine.list_resource(&req.type_name)?;
        let config = decode_dynamic(req.config.as_ref(), list.config_ty(), "list configuration")?;
        let limit = u64::try_from(req.limit).unwrap_or(0);
        let types = (list.resource_ty().clone(), list.identity_ty().cloned());
        Ok::<_, Diagnostics>((list.list(config, req.include_resource_object, limit), types))
    })();
    match started {
        Ok((results, (resource_ty, identity_ty))) => Box::pin(
            results.map(move |result| Ok(event(result, &resource_ty, identity_ty.as_ref()))),
        ),
        Err(diags) => single(pb::list_resource::Event {
            diagnostic: diagnostics_to_proto(diags),
            ..Default::default()
        }),
    }
}

fn event(
    result: ListResult,
    resource_ty: &Type,
    identity_ty: Option<&Type>,
) -> pb::list_resource::Event {
    let encoded = (|| {
        let identity = match &result.identity {
            Some(identity) => encode_identity(identity, identity_ty)?,
            None => None,
        };
        let resource_object = match &result.resource_object {
            Some(object) => Some(encode_dynamic(object, resource_ty, "listed object")?),
            None => None,
        };
        Ok::<_, Diagnostics>((identity, resource_object))
    })();
    match encoded {
        Ok((identity, resource_object)) => pb::list_resource::Event {
            identity,
            display_name: result.display_name,
            resource_object,
            diagnostic: diagnostics_to_proto(result.diagnostics),
        },
        Err(diags) => pb::list_resource::Event {
            diagnostic: diagnostics_to_proto(diags),
            ..Default::default()
        },
    }
}
