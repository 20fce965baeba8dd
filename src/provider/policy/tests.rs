//! The rules of `super` by example, and by property: every spelling of a policy is
//! equivalent to every other, and no real change ever is.

use super::*;
use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::json;

fn equivalent(a: &str, b: &str) -> bool {
    texts_are_equivalent(a, b).expect("both are policies")
}

#[test]
fn key_order_and_whitespace_do_not_matter() {
    assert!(equivalent(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
        "{\n  \"Statement\" : [ {\"Resource\": \"*\",\n \"Action\": \"s3:GetObject\", \"Effect\": \"Allow\"} ],\n  \"Version\": \"2012-10-17\"\n}\n",
    ));
}

#[test]
fn one_value_equals_a_list_holding_it_in_every_set_member() {
    for member in ["Action", "NotAction", "Resource", "NotResource"] {
        let one = json!({"Statement": [{"Effect": "Allow", member: "x:Y"}]}).to_string();
        let list = json!({"Statement": [{"Effect": "Allow", member: ["x:Y"]}]}).to_string();
        assert!(equivalent(&one, &list), "{member}");
    }
    for member in ["Principal", "NotPrincipal"] {
        let one = json!({"Statement": {member: {"AWS": "arn:aws:iam::123456789012:role/a"}}});
        let list = json!({"Statement": {member: {"AWS": ["arn:aws:iam::123456789012:role/a"]}}});
        assert!(equivalent(&one.to_string(), &list.to_string()), "{member}");
    }
}

#[test]
fn set_members_ignore_order_and_repeats() {
    assert!(equivalent(
        r#"{"Statement":{"Action":["b:B","a:A"],"Principal":{"Service":["s2","s1"]}}}"#,
        r#"{"Statement":{"Action":["a:A","b:B","a:A"],"Principal":{"Service":["s1","s2"]}}}"#,
    ));
}

#[test]
fn a_single_statement_equals_a_list_holding_it() {
    assert!(equivalent(
        r#"{"Statement":{"Effect":"Deny","Action":"*"}}"#,
        r#"{"Statement":[{"Effect":"Deny","Action":"*"}]}"#,
    ));
}

#[test]
fn condition_values_are_unordered_sets_under_every_operator() {
    assert!(equivalent(
        r#"{"Statement":{"Condition":{"StringEquals":{"aws:PrincipalTag/team":["b","a"]},"ForAllValues:StringLike":{"aws:TagKeys":"k*"},"Bool":{"aws:SecureTransport":true}}}}"#,
        r#"{"Statement":{"Condition":{"Bool":{"aws:SecureTransport":[true]},"ForAllValues:StringLike":{"aws:TagKeys":["k*"]},"StringEquals":{"aws:PrincipalTag/team":["a","b","a"]}}}}"#,
    ));
}

#[test]
fn numbers_compare_by_value_not_spelling() {
    let with =
        |n: &str| format!(r#"{{"Statement":{{"Condition":{{"NumericLessThan":{{"k":{n}}}}}}}}}"#);
    assert!(equivalent(&with("100"), &with("100.0")));
    assert!(equivalent(&with("100"), &with("1e2")));
    assert!(equivalent(&with("0.5"), &with("5e-1")));
    assert!(equivalent(&with("-0"), &with("0")));
    assert!(!equivalent(&with("100"), &with("101")));
    assert!(
        !equivalent(&with("100"), &with("\"100\"")),
        "a string is not a number"
    );
    assert!(
        !equivalent(
            &with("123456789012345678901234567890"),
            &with("123456789012345678901234567891")
        ),
        "integers keep every digit"
    );
}

#[test]
fn everything_else_is_compared_exactly() {
    let base = json!({"Version": "2012-10-17", "Id": "p", "Statement": [
        {"Sid": "One", "Effect": "Allow", "Action": "s3:GetObject", "Principal": "*",
         "Condition": {"StringEquals": {"k": "v"}}},
        {"Sid": "Two", "Effect": "Deny", "Action": "s3:PutObject"}
    ]});
    let changed = |edit: &dyn Fn(&mut Value)| {
        let mut other = base.clone();
        edit(&mut other);
        !PolicyDocument::from_value(base.clone())
            .expect("policy")
            .is_equivalent_to(&PolicyDocument::from_value(other).expect("policy"))
    };
    assert!(changed(&|p| p["Version"] = json!("2008-10-17")));
    assert!(changed(&|p| p["Id"] = json!("q")));
    assert!(changed(&|p| p["Statement"][0]["Sid"] = json!("one")));
    assert!(changed(&|p| p["Statement"][0]["Effect"] = json!("allow")));
    assert!(changed(
        &|p| p["Statement"][0]["Action"] = json!("S3:GetObject")
    ));
    assert!(changed(
        &|p| p["Statement"][0]["Principal"] = json!({"AWS": "*"})
    ));
    assert!(changed(
        &|p| p["Statement"][0]["Condition"] = json!({"StringLike": {"k": "v"}})
    ));
    assert!(changed(
        &|p| p["Statement"][0]["Condition"] = json!({"StringEquals": {"K": "v"}})
    ));
    assert!(changed(&|p| p["Statement"][0]["Extra"] = json!(["a", "b"])));
    assert!(
        changed(&|p| p["Statement"][0]["Effect"] = json!(["Allow"])),
        "only the set-valued members take a list for one value"
    );
    assert!(
        changed(&|p| {
            let statements = p["Statement"].as_array_mut().expect("list");
            statements.reverse();
        }),
        "statement order"
    );
    assert!(
        !changed(&|_| {}),
        "and the same document is equivalent to itself"
    );
}

#[test]
fn the_canonical_form_is_compact_sorted_and_uses_lists() {
    let policy = PolicyDocument::parse(
        r#"{ "Version": "2012-10-17", "Statement": { "Effect": "Allow", "Action": ["b:B", "a:A"], "Resource": "*", "Condition": {"NumericEquals": {"n": 1.0}} } }"#,
    )
    .expect("policy");
    assert_eq!(
        policy.canonical(),
        r#"{"Statement":[{"Action":["a:A","b:B"],"Condition":{"NumericEquals":{"n":[1]}},"Effect":"Allow","Resource":["*"]}],"Version":"2012-10-17"}"#
    );
}

#[test]
fn the_document_is_kept_as_written() {
    let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"a:A"}}"#;
    let policy = PolicyDocument::parse(text).expect("policy");
    assert_eq!(policy.to_value().to_string(), text);
}

#[test]
fn invalid_json_says_what_and_where() {
    let err = PolicyDocument::parse("{\n  \"Statement\": [\n}").unwrap_err();
    let PolicyError::InvalidJson { line, column, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!((*line, *column), (3, 1));
    let message = err.to_string();
    assert!(
        message.starts_with("The policy is not valid JSON: "),
        "{message}"
    );
    assert!(message.contains("(line 3, column 1)"), "{message}");
    assert!(
        !message.contains(" at line "),
        "the position is said once: {message}"
    );
}

#[test]
fn a_document_must_be_an_object_with_statements() {
    let refused = |text: &str| PolicyDocument::parse(text).unwrap_err();
    assert_eq!(
        refused(r#""{\"Statement\": []}""#),
        PolicyError::NotAnObject { found: "a string" }
    );
    assert_eq!(refused("[]"), PolicyError::NotAnObject { found: "a list" });
    assert_eq!(refused("null"), PolicyError::NotAnObject { found: "null" });
    assert_eq!(
        refused(r#"{"Version":"2012-10-17"}"#),
        PolicyError::NoStatement
    );
    assert_eq!(refused(r#"{"Statement":null}"#), PolicyError::NoStatement);
    assert_eq!(
        refused(r#"{"Statement":[]}"#),
        PolicyError::InvalidStatement {
            found: "an empty list"
        }
    );
    assert_eq!(
        refused(r#"{"Statement":"Allow"}"#),
        PolicyError::InvalidStatement { found: "a string" }
    );
    assert_eq!(
        refused(r#"{"Statement":[{},[]]}"#),
        PolicyError::InvalidStatement {
            found: "a list holding a list"
        }
    );
    assert!(PolicyDocument::parse(r#"{"Statement":{}}"#).is_ok());
    assert!(refused("{}").to_string().contains("\"Statement\""));
    assert!(refused("1").to_string().contains("a number"));
}

/// A policy as IAM reads it: the set-valued members as sets, so any spelling of them is
/// this same policy.
#[derive(Clone, Debug)]
struct Statement {
    sid: Option<String>,
    effect: &'static str,
    action: (&'static str, Vec<String>),
    resource: Option<(&'static str, Vec<String>)>,
    principal: Option<(&'static str, BTreeMap<&'static str, Vec<String>>)>,
    condition: BTreeMap<&'static str, BTreeMap<&'static str, Vec<Value>>>,
}

#[derive(Clone, Debug)]
struct Policy {
    version: Option<&'static str>,
    statements: Vec<Statement>,
}

fn distinct(pool: &'static [&'static str], most: usize) -> BoxedStrategy<Vec<String>> {
    proptest::sample::subsequence(pool, 1..=most)
        .prop_map(|picked| picked.into_iter().map(str::to_string).collect())
        .boxed()
}

const ACTIONS: &[&str] = &[
    "sso-oauth:CreateTokenWithIAM",
    "s3:GetObject",
    "s3:PutObject",
    "sts:AssumeRole",
    "*",
];
const RESOURCES: &[&str] = &["*", "arn:aws:s3:::a/*", "arn:aws:s3:::b"];
const ROLES: &[&str] = &[
    "arn:aws:iam::123456789012:role/a",
    "arn:aws:iam::123456789012:role/b",
    "123456789012",
];
const SERVICES: &[&str] = &["lambda.amazonaws.com", "ecs-tasks.amazonaws.com"];
const TAGS: &[&str] = &["portal", "billing", "ops"];

fn statement() -> impl Strategy<Value = Statement> {
    let values = prop_oneof![
        distinct(TAGS, 3).prop_map(|v| v.into_iter().map(Value::String).collect::<Vec<_>>()),
        prop::sample::select(vec![1_i64, 60, 3600]).prop_map(|n| vec![json!(n)]),
    ];
    (
        proptest::option::of("[A-Za-z0-9]{1,8}"),
        prop::sample::select(vec!["Allow", "Deny"]),
        (
            prop::sample::select(vec!["Action", "NotAction"]),
            distinct(ACTIONS, 4),
        ),
        proptest::option::of((
            prop::sample::select(vec!["Resource", "NotResource"]),
            distinct(RESOURCES, 3),
        )),
        proptest::option::of((
            prop::sample::select(vec!["Principal", "NotPrincipal"]),
            (
                distinct(ROLES, 3),
                proptest::option::of(distinct(SERVICES, 2)),
            )
                .prop_map(|(aws, service)| {
                    let mut kinds = BTreeMap::from([("AWS", aws)]);
                    if let Some(service) = service {
                        kinds.insert("Service", service);
                    }
                    kinds
                }),
        )),
        proptest::option::of(values),
    )
        .prop_map(
            |(sid, effect, action, resource, principal, condition_values)| {
                let mut condition = BTreeMap::new();
                if let Some(values) = condition_values {
                    let (operator, key) = if values[0].is_number() {
                        ("NumericLessThan", "aws:MultiFactorAuthAge")
                    } else {
                        ("StringEquals", "aws:PrincipalTag/team")
                    };
                    condition.insert(operator, BTreeMap::from([(key, values)]));
                }
                Statement {
                    sid,
                    effect,
                    action,
                    resource,
                    principal,
                    condition,
                }
            },
        )
}

fn policy() -> impl Strategy<Value = Policy> {
    (
        proptest::option::of(prop::sample::select(vec!["2012-10-17", "2008-10-17"])),
        prop::collection::vec(statement(), 1..4),
    )
        .prop_map(|(version, statements)| Policy {
            version,
            statements,
        })
}

/// One spelling of a set: its values shuffled, maybe one repeated, and a single value maybe
/// written bare.
fn spell_set(values: &[Value], rng: &mut StdRng) -> Value {
    let mut values = values.to_vec();
    if rng.gen_bool(0.3) {
        let again = values[rng.gen_range(0..values.len())].clone();
        values.push(again);
    }
    values.shuffle(rng);
    if values.len() == 1 && rng.gen_bool(0.5) {
        values.remove(0)
    } else {
        Value::Array(values)
    }
}

fn strings(values: &[String]) -> Vec<Value> {
    values.iter().cloned().map(Value::String).collect()
}

/// One spelling of a number: as an integer, with a fraction, or with an exponent.
fn spell_number(value: &Value, rng: &mut StdRng) -> Value {
    let Some(n) = value.as_i64() else {
        return value.clone();
    };
    let text = match rng.gen_range(0..3) {
        0 => n.to_string(),
        1 => format!("{n}.0"),
        _ => format!("{n}e0"),
    };
    serde_json::from_str(&text).expect("a number")
}

/// An object with its members inserted in a random order (serde_json keeps insertion
/// order here, so this is the order they are written in).
fn shuffled(mut members: Vec<(String, Value)>, rng: &mut StdRng) -> Value {
    members.shuffle(rng);
    Value::Object(members.into_iter().collect())
}

fn spell_statement(s: &Statement, rng: &mut StdRng) -> Value {
    let mut members = vec![
        ("Effect".to_string(), json!(s.effect)),
        (
            s.action.0.to_string(),
            spell_set(&strings(&s.action.1), rng),
        ),
    ];
    if let Some(sid) = &s.sid {
        members.push(("Sid".into(), json!(sid)));
    }
    if let Some((key, resources)) = &s.resource {
        members.push((key.to_string(), spell_set(&strings(resources), rng)));
    }
    if let Some((key, kinds)) = &s.principal {
        let kinds = kinds
            .iter()
            .map(|(kind, values)| (kind.to_string(), spell_set(&strings(values), rng)))
            .collect();
        members.push((key.to_string(), shuffled(kinds, rng)));
    }
    if !s.condition.is_empty() {
        let operators = s
            .condition
            .iter()
            .map(|(operator, keys)| {
                let keys = keys
                    .iter()
                    .map(|(key, values)| {
                        let values: Vec<Value> =
                            values.iter().map(|v| spell_number(v, rng)).collect();
                        (key.to_string(), spell_set(&values, rng))
                    })
                    .collect();
                (operator.to_string(), shuffled(keys, rng))
            })
            .collect();
        members.push(("Condition".into(), shuffled(operators, rng)));
    }
    shuffled(members, rng)
}

/// One way of writing `policy`, drawn from `seed`: key order, set spellings, statement
/// as object or list, compact or indented.
fn spell(policy: &Policy, seed: u64) -> String {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut statements: Vec<Value> = policy
        .statements
        .iter()
        .map(|s| spell_statement(s, &mut rng))
        .collect();
    let statement = if statements.len() == 1 && rng.gen_bool(0.5) {
        statements.remove(0)
    } else {
        Value::Array(statements)
    };
    let mut members = vec![("Statement".to_string(), statement)];
    if let Some(version) = policy.version {
        members.push(("Version".into(), json!(version)));
    }
    let document = shuffled(members, &mut rng);
    if rng.gen_bool(0.5) {
        serde_json::to_string_pretty(&document).expect("JSON")
    } else {
        document.to_string()
    }
}

/// A change IAM would not ignore.
#[derive(Clone, Copy, Debug)]
enum RealChange {
    AddAction,
    FlipEffect,
    ActionBecomesNotAction,
    OtherResources,
    AddPrincipal,
    NewConditionValue,
    NewSid,
    AddStatement,
    NewVersion,
}

fn change(policy: &Policy, which: RealChange, pick: usize) -> Policy {
    let mut changed = policy.clone();
    let i = pick % changed.statements.len();
    let s = &mut changed.statements[i];
    match which {
        RealChange::AddAction => s.action.1.push("iam:PassRole".into()),
        RealChange::FlipEffect => {
            s.effect = if s.effect == "Allow" { "Deny" } else { "Allow" };
        }
        RealChange::ActionBecomesNotAction => {
            s.action.0 = if s.action.0 == "Action" {
                "NotAction"
            } else {
                "Action"
            };
        }
        RealChange::OtherResources => match &mut s.resource {
            Some((_, resources)) if resources.len() > 1 => {
                resources.pop();
            }
            _ => s.resource = Some(("Resource", vec!["arn:aws:s3:::elsewhere".into()])),
        },
        RealChange::AddPrincipal => {
            let kinds = &mut s.principal.get_or_insert(("Principal", BTreeMap::new())).1;
            kinds
                .entry("AWS")
                .or_default()
                .push("arn:aws:iam::210987654321:root".into());
        }
        RealChange::NewConditionValue => {
            let values = s
                .condition
                .entry("StringEquals")
                .or_default()
                .entry("aws:PrincipalTag/team")
                .or_default();
            values.push(json!("someone-else"));
        }
        RealChange::NewSid => {
            s.sid = Some(format!("{}x", s.sid.clone().unwrap_or_default()));
        }
        RealChange::AddStatement => {
            let copy = changed.statements[i].clone();
            changed.statements.push(Statement {
                effect: "Deny",
                ..copy
            });
        }
        RealChange::NewVersion => {
            changed.version = match changed.version {
                Some("2012-10-17") => Some("2008-10-17"),
                Some(_) => None,
                None => Some("2012-10-17"),
            };
        }
    }
    changed
}

fn change_kind() -> impl Strategy<Value = RealChange> {
    prop::sample::select(vec![
        RealChange::AddAction,
        RealChange::FlipEffect,
        RealChange::ActionBecomesNotAction,
        RealChange::OtherResources,
        RealChange::AddPrincipal,
        RealChange::NewConditionValue,
        RealChange::NewSid,
        RealChange::AddStatement,
        RealChange::NewVersion,
    ])
}

proptest! {
    #[test]
    fn every_spelling_of_a_policy_is_equivalent(policy in policy(), a: u64, b: u64) {
        let (one, other) = (spell(&policy, a), spell(&policy, b));
        prop_assert!(equivalent(&one, &other), "{} vs {}", one, other);
        prop_assert_eq!(
            PolicyDocument::parse(&one).expect("policy").canonical(),
            PolicyDocument::parse(&other).expect("policy").canonical()
        );
    }

    #[test]
    fn a_real_change_is_never_equivalent(
        policy in policy(), which in change_kind(), pick: usize, a: u64, b: u64
    ) {
        let changed = change(&policy, which, pick);
        let (one, other) = (spell(&policy, a), spell(&changed, b));
        prop_assert!(!equivalent(&one, &other), "{:?}: {} vs {}", which, one, other);
    }
}
