//! proptest strategies over cty types.

use identitycenter::value::Type;
use proptest::prelude::*;

/// Types up to three levels deep whose object attribute names match
/// `names` and whose objects and tuples have fewer than `width` elements.
pub fn cty_types(names: &'static str, width: usize) -> impl Strategy<Value = Type> {
    let leaf = prop_oneof![
        Just(Type::String),
        Just(Type::Number),
        Just(Type::Bool),
        Just(Type::Dynamic),
    ];
    leaf.prop_recursive(3, 16, 4, move |inner| {
        prop_oneof![
            inner.clone().prop_map(Type::list),
            inner.clone().prop_map(Type::set),
            inner.clone().prop_map(Type::map),
            prop::collection::btree_map(names, inner.clone(), 0..width).prop_map(Type::Object),
            prop::collection::vec(inner, 0..width).prop_map(Type::Tuple),
        ]
    })
}
