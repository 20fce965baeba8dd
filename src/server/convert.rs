//! Conversions between the framework's types and the generated wire types.
//! Nothing outside the protocol layer sees a prost type.

use crate::framework::engine::Capabilities;
use crate::framework::{
    Attribute, Block, Diagnostic, Diagnostics, NestedBlock, NestingMode, Parameter, Schema,
    Severity, Signature,
};
use crate::proto::tfplugin6 as pb;
use crate::value::{self, AttributePath, PathStep, Type, Value};

/// Schema to proto. Attributes and blocks are sorted by name so the output
/// is the same on every call (Terraform caches it across processes).
pub(crate) fn schema_to_proto(schema: &Schema) -> pb::Schema {
    pb::Schema {
        version: schema.version,
        block: Some(block_to_proto(&schema.block)),
    }
}

fn block_to_proto(block: &Block) -> pb::schema::Block {
    let mut attributes: Vec<&Attribute> = block.attributes.iter().collect();
    attributes.sort_by(|a, b| a.name.cmp(&b.name));
    let mut blocks: Vec<&NestedBlock> = block.blocks.iter().collect();
    blocks.sort_by(|a, b| a.type_name.cmp(&b.type_name));
    pb::schema::Block {
        version: 0,
        attributes: attributes.into_iter().map(attribute_to_proto).collect(),
        block_types: blocks.into_iter().map(nested_block_to_proto).collect(),
        description: block.description.clone(),
        description_kind: pb::StringKind::Markdown as i32,
        deprecated: block.deprecated,
        deprecation_message: String::new(),
    }
}

fn attribute_to_proto(a: &Attribute) -> pb::schema::Attribute {
    pb::schema::Attribute {
        name: a.name.clone(),
        r#type: a.ty.to_json().into_bytes(),
        nested_type: None,
        description: a.description.clone(),
        required: a.is_required(),
        optional: a.is_optional(),
        computed: a.is_computed(),
        sensitive: a.sensitive,
        description_kind: pb::StringKind::Markdown as i32,
        deprecated: a.deprecated,
        write_only: false,
        deprecation_message: String::new(),
    }
}

fn nested_block_to_proto(b: &NestedBlock) -> pb::schema::NestedBlock {
    use pb::schema::nested_block::NestingMode as Pm;
    let nesting = match b.nesting {
        NestingMode::Single => Pm::Single,
        NestingMode::Group => Pm::Group,
        NestingMode::List => Pm::List,
        NestingMode::Set => Pm::Set,
        NestingMode::Map => Pm::Map,
    };
    pb::schema::NestedBlock {
        type_name: b.type_name.clone(),
        block: Some(block_to_proto(&b.block)),
        nesting: nesting as i32,
        min_items: b.min_items,
        max_items: b.max_items,
    }
}

/// An identity schema to proto: required attributes are required for
/// import, optional ones optional.
pub(crate) fn identity_schema_to_proto(schema: &Schema) -> pb::ResourceIdentitySchema {
    let mut attributes: Vec<&Attribute> = schema.block.attributes.iter().collect();
    attributes.sort_by(|a, b| a.name.cmp(&b.name));
    pb::ResourceIdentitySchema {
        version: schema.version,
        identity_attributes: attributes
            .into_iter()
            .map(|a| pb::resource_identity_schema::IdentityAttribute {
                name: a.name.clone(),
                r#type: a.ty.to_json().into_bytes(),
                required_for_import: a.is_required(),
                optional_for_import: a.is_optional(),
                description: a.description.clone(),
            })
            .collect(),
    }
}

/// Decodes an identity Terraform sent; null when it sent none, or when
/// the resource has no identity schema (`ty` is `None`).
pub(crate) fn decode_identity(
    data: Option<&pb::ResourceIdentityData>,
    ty: Option<&Type>,
) -> Result<Value, Diagnostics> {
    match (data.and_then(|d| d.identity_data.as_ref()), ty) {
        (Some(dv), Some(ty)) => decode_dynamic(Some(dv), ty, "identity"),
        _ => Ok(Value::Null),
    }
}

/// Encodes an identity for Terraform; nothing for a null identity or a
/// resource without an identity schema.
pub(crate) fn encode_identity(
    value: &Value,
    ty: Option<&Type>,
) -> Result<Option<pb::ResourceIdentityData>, Diagnostics> {
    match ty {
        Some(ty) if !value.is_null() => Ok(Some(pb::ResourceIdentityData {
            identity_data: Some(encode_dynamic(value, ty, "identity")?),
        })),
        _ => Ok(None),
    }
}

/// A function signature to proto.
pub(crate) fn signature_to_proto(signature: &Signature) -> pb::Function {
    let parameter = |p: &Parameter| pb::function::Parameter {
        name: p.name.clone(),
        r#type: p.ty.to_json().into_bytes(),
        allow_null_value: p.allow_null,
        allow_unknown_values: p.allow_unknown,
        description: p.description.clone(),
        description_kind: pb::StringKind::Markdown as i32,
    };
    pb::Function {
        parameters: signature.parameters.iter().map(parameter).collect(),
        variadic_parameter: signature.variadic.as_ref().map(parameter),
        r#return: Some(pb::function::Return {
            r#type: signature.return_type.to_json().into_bytes(),
        }),
        summary: signature.summary.clone(),
        description: signature.description.clone(),
        description_kind: pb::StringKind::Markdown as i32,
        deprecation_message: String::new(),
    }
}

/// Server capabilities to proto.
pub(crate) fn capabilities_to_proto(c: Capabilities) -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        plan_destroy: c.plan_destroy,
        get_provider_schema_optional: c.get_provider_schema_optional,
        move_resource_state: c.move_resource_state,
        generate_resource_config: c.generate_resource_config,
    }
}

/// Attribute path to proto.
pub(crate) fn path_to_proto(path: &AttributePath) -> pb::AttributePath {
    use pb::attribute_path::step::Selector;
    pb::AttributePath {
        steps: path
            .steps()
            .iter()
            .map(|s| pb::attribute_path::Step {
                selector: Some(match s {
                    PathStep::Attribute(n) => Selector::AttributeName(n.clone()),
                    PathStep::ElementKeyString(k) => Selector::ElementKeyString(k.clone()),
                    PathStep::ElementKeyInt(i) => Selector::ElementKeyInt(*i),
                }),
            })
            .collect(),
    }
}

/// One diagnostic to proto. Severity is always set: INVALID would be
/// ignored by Terraform's error checks.
pub(crate) fn diagnostic_to_proto(d: Diagnostic) -> pb::Diagnostic {
    let severity = match d.severity {
        Severity::Error => pb::diagnostic::Severity::Error,
        Severity::Warning => pb::diagnostic::Severity::Warning,
    };
    pb::Diagnostic {
        severity: severity as i32,
        summary: d.summary,
        detail: d.detail,
        attribute: d.attribute.as_ref().map(path_to_proto),
    }
}

/// All diagnostics to proto.
pub(crate) fn diagnostics_to_proto(diags: Diagnostics) -> Vec<pb::Diagnostic> {
    diags.into_iter().map(diagnostic_to_proto).collect()
}

/// Decodes a DynamicValue against `ty`: msgpack when present, else JSON,
/// else null (what Terraform itself does with an empty value).
pub(crate) fn decode_dynamic(
    dv: Option<&pb::DynamicValue>,
    ty: &Type,
    what: &str,
) -> Result<Value, Diagnostics> {
    let result = match dv {
        Some(dv) if !dv.msgpack.is_empty() => value::decode_msgpack(&dv.msgpack, ty),
        Some(dv) if !dv.json.is_empty() => value::decode_json(&dv.json, ty),
        _ => Ok(Value::Null),
    };
    result.map_err(|e| {
        let mut d = Diagnostics::new();
        d.error(
            format!("Invalid {what} from Terraform"),
            format!("The provider could not decode the {what}: {e}. This is a bug in the provider or in Terraform."),
        );
        d
    })
}

/// Encodes a value as msgpack in a DynamicValue.
pub(crate) fn encode_dynamic(
    value: &Value,
    ty: &Type,
    what: &str,
) -> Result<pb::DynamicValue, Diagnostics> {
    value::encode_msgpack(value, ty)
        .map(|msgpack| pb::DynamicValue {
            msgpack,
            json: Vec::new(),
        })
        .map_err(|e| {
            let mut d = Diagnostics::new();
            d.error(
                format!("Invalid {what} produced by the provider"),
                format!(
                    "The provider could not encode the {what}: {e}. This is a bug in the provider."
                ),
            );
            d
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Attribute;

    #[test]
    fn schema_order_is_deterministic_and_sorted() {
        let s = Schema::new(
            1,
            Block::new("d")
                .attribute(Attribute::required("zeta", Type::String))
                .attribute(Attribute::computed("alpha", Type::String)),
        );
        let p = schema_to_proto(&s);
        let block = p.block.expect("block");
        let names: Vec<_> = block.attributes.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["alpha", "zeta"]);
        assert_eq!(block.attributes[1].r#type, b"\"string\"");
        assert!(block.attributes[0].computed && !block.attributes[0].optional);
        assert_eq!(p.version, 1);
    }

    #[test]
    fn empty_dynamic_value_is_null() {
        let v = decode_dynamic(None, &Type::String, "config").expect("decode");
        assert_eq!(v, Value::Null);
    }

    #[test]
    fn diagnostic_paths_convert_step_by_step() {
        use pb::attribute_path::step::Selector;
        let path = AttributePath::root()
            .attribute("grant")
            .key_int(0)
            .key_string("k");
        let selectors: Vec<_> = path_to_proto(&path)
            .steps
            .into_iter()
            .map(|s| s.selector)
            .collect();
        assert_eq!(
            selectors,
            [
                Some(Selector::AttributeName("grant".into())),
                Some(Selector::ElementKeyInt(0)),
                Some(Selector::ElementKeyString("k".into())),
            ]
        );
        let d = diagnostic_to_proto(Diagnostic::warning("s", "d").at(path));
        assert_eq!(d.severity, pb::diagnostic::Severity::Warning as i32);
        assert_eq!(d.attribute.map(|a| a.steps.len()), Some(3));
    }
}
