//! `identitycenter_application_grants_exclusive`: the complete set of grant
//! types one application may have. It never creates a grant (the grant
//! resources do); apply deletes every grant of a type outside the set, and a
//! refresh records each type found outside it, so a grant added out of band
//! shows in the plan as that type removed from the set.
//!
//! What exists is proven as for grants: the listing, with each type it does
//! not show asked of GetApplicationGrant ([`super::consistency`]); the
//! application counts as gone only when DescribeApplication says so.

use std::collections::BTreeSet;
use std::sync::Arc;

use async_trait::async_trait;

use super::arn::check_application_arn;
use super::attempts::Attempts;
use super::calls::{application_exists, delete_grant};
use super::consistency::grant_types_of;
use super::domain::{GrantKey, GrantType};
use super::error::GrantError;
use super::model::GRANT_WORDS;
use super::validation::{self as rules, GrantWords};
use crate::framework::conversion::from_root;
use crate::framework::{
    CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, Diagnostic, Diagnostics, Field,
    ImportRequest, ImportResponse, IntoValue, ModifyPlanRequest, ModifyPlanResponse,
    ObjectResponse, ReadRequest, ReadResponse, Resource, Schema, StopSignal, UpdateRequest,
    UpdateResponse,
};
use crate::object_model;
use crate::provider::shared_client::{AwsClient, SharedClient};
use crate::value::{AttributePath, Value};

/// Resource type name.
pub const TYPE_NAME: &str = "identitycenter_application_grants_exclusive";

object_model! {
    /// The complete set of grant types an IAM Identity Center application may have. A grant of
    /// any other type (one added outside this configuration, say) shows in the plan as its
    /// type removed from `grant_types`, and apply deletes it. This resource never creates a
    /// grant: declare each allowed grant with `identitycenter_application_grant`. Destroying it
    /// deletes no grant.
    #[derive(Clone, Debug, PartialEq)]
    pub struct GrantsExclusiveModel {
        /// The application's ARN; also the import ID.
        [computed, use_state_for_unknown] pub id: Field<String> = ID,
        /// ARN of the application, `arn:aws:sso::<account>:application/ssoins-<16>/apl-<16>`.
        [required, requires_replace, validate(rules::application_arn())]
        pub application_arn: Field<String> = APPLICATION_ARN,
        /// The grant types the application may have: any of `authorization_code`,
        /// `refresh_token`, `urn:ietf:params:oauth:grant-type:jwt-bearer` and
        /// `urn:ietf:params:oauth:grant-type:token-exchange`. May be empty (no grant at all). A
        /// type listed here that the application does not have is fine; a value that is not a
        /// grant type is a warning.
        [required, validate(rules::allowed_grant_types(EXCLUSIVE_WORDS))]
        pub grant_types: Field<BTreeSet<Field<String>>> = GRANT_TYPES,
    }
}

object_model! {
    /// What identifies an allow-list: its application.
    #[derive(Clone, Debug, PartialEq)]
    pub struct GrantsExclusiveIdentityModel {
        /// ARN of the application, `arn:aws:sso::<account>:application/ssoins-<16>/apl-<16>`.
        [required] pub application_arn: Field<String> = APPLICATION_ARN,
    }
}

/// The grant schemas' words, with this resource's set as the place grant
/// types are written.
const EXCLUSIVE_WORDS: GrantWords = GrantWords {
    grant_type: GrantsExclusiveModel::GRANT_TYPES,
    ..GRANT_WORDS
};

/// The resource schema (version 0).
pub fn schema() -> Schema {
    Schema::new(0, GrantsExclusiveModel::schema_block())
}

impl GrantsExclusiveModel {
    /// The state of the allow-list of `application_arn` holding `types`.
    fn state(application_arn: &str, types: &BTreeSet<String>) -> Self {
        Self {
            id: Field::Known(application_arn.to_string()),
            application_arn: Field::Known(application_arn.to_string()),
            grant_types: Field::Known(types.iter().cloned().map(Field::Known).collect()),
        }
    }

    /// The listed types, when every one is known (an import leaves the set
    /// null: nothing is allowed yet).
    fn allowed(&self) -> Option<BTreeSet<String>> {
        match &self.grant_types {
            Field::Null => Some(BTreeSet::new()),
            Field::Unknown => None,
            Field::Known(set) => set.iter().map(|t| t.known().cloned()).collect(),
        }
    }
}

/// The answer carrying the allow-list of `application_arn` as `types`,
/// with its identity.
fn listed<R: ObjectResponse>(application_arn: &str, types: &BTreeSet<String>) -> R {
    R::object(GrantsExclusiveModel::state(application_arn, types).into_value()).with_identity(
        GrantsExclusiveIdentityModel {
            application_arn: Field::Known(application_arn.to_string()),
        }
        .into_value(),
    )
}

/// The application and allowed types of a stored or planned allow-list,
/// which validation guarantees are known.
fn allow_list_of(value: &Value) -> Result<(String, BTreeSet<String>), GrantError> {
    let model: GrantsExclusiveModel = from_root(value)?;
    match (model.application_arn.known(), model.allowed()) {
        (Some(arn), Some(allowed)) => Ok((arn.clone(), allowed)),
        _ => Err(GrantError::Incomplete(format!(
            "{} and {} must be known here.",
            GrantsExclusiveModel::APPLICATION_ARN,
            GrantsExclusiveModel::GRANT_TYPES
        ))),
    }
}

/// The resource.
pub(crate) struct GrantsExclusiveResource {
    client: Arc<SharedClient>,
}

impl GrantsExclusiveResource {
    /// A resource using the provider's (eventually configured) client.
    pub fn new(client: Arc<SharedClient>) -> Self {
        Self { client }
    }

    /// Deletes every grant of the planned application whose type is not in
    /// the planned set. The answer holds the set plus each type whose grant
    /// could not be deleted, so state never claims less than AWS holds.
    async fn enforce<R: ObjectResponse>(&self, planned: &Value, stop: &StopSignal) -> R {
        let (application_arn, allowed) = match allow_list_of(planned) {
            Ok(found) => found,
            Err(e) => return R::failed(e),
        };
        let client = match self.client.get() {
            Ok(c) => c,
            Err(e) => return R::failed(GrantError::from(e)),
        };
        let attempts = Attempts::default();
        let present = tokio::select! {
            r = grant_types_of(&client, &application_arn, &attempts) => r,
            _ = stop.stopped() => return R::failed(stopped(&application_arn, "before any grant was deleted")),
        };
        let present = match present {
            Ok(types) => types,
            Err(e) => return R::failed(e),
        };
        let outside: Vec<GrantType> = present
            .into_iter()
            .filter(|t| !allowed.contains(t.as_str()))
            .collect();
        let mut kept = allowed.clone();
        let mut diagnostics = Diagnostics::new();
        for (n, grant_type) in outside.iter().enumerate() {
            let key = GrantKey {
                application_arn: application_arn.clone(),
                grant_type: *grant_type,
            };
            tracing::info!(application_arn = %key.application_arn, grant_type = %key.grant_type, "deleting a grant outside the allowed types");
            let deleted = tokio::select! {
                r = delete_grant(&client, &key, &attempts) => r,
                _ = stop.stopped() => {
                    // This delete may have been applied, the rest were not
                    // sent: state keeps them all, and the next refresh says
                    // which remain.
                    kept.extend(outside[n..].iter().map(|t| t.as_str().to_string()));
                    diagnostics.add(stopped(
                        &application_arn,
                        "before every grant outside the allowed types was deleted",
                    ));
                    break;
                }
            };
            if let Err(e) = deleted {
                // It may or may not be gone: state keeps the type, and the
                // next refresh says which.
                kept.insert(grant_type.as_str().to_string());
                diagnostics.extend(Diagnostics::from(e));
            }
        }
        listed::<R>(&application_arn, &kept).with_diagnostics(diagnostics)
    }
}

/// StopProvider arrived while apply was enforcing the allow-list.
fn stopped(application_arn: &str, when: &str) -> Diagnostic {
    Diagnostic::error(
        "Operation cancelled",
        format!(
            "Terraform asked the provider to stop {when} (the allowed grant types of \
             application {application_arn}). State keeps each type whose grant may still \
             exist; the next plan shows what is left to delete."
        ),
    )
}

/// What an import names: the application, by its ARN as the import ID or
/// by the identity `{ application_arn }`.
fn imported_application(request: &ImportRequest) -> Result<String, Diagnostics> {
    if request.identity.is_null() {
        let arn = request.id.trim();
        return check_application_arn(arn)
            .map(|()| arn.to_string())
            .map_err(|detail| {
                Diagnostic::error(
                    "Invalid import ID",
                    format!(
                        "{detail} The import ID of an allow-list is its application's ARN, \
                         `arn:aws:sso::<account>:application/ssoins-<16>/apl-<16>`."
                    ),
                )
                .into()
            });
    }
    let identity: GrantsExclusiveIdentityModel =
        from_root(&request.identity).map_err(GrantError::from)?;
    let field = GrantsExclusiveIdentityModel::APPLICATION_ARN;
    let detail = match identity.application_arn.known() {
        Some(arn) => match check_application_arn(arn) {
            Ok(()) => return Ok(arn.clone()),
            Err(detail) => detail,
        },
        None => "is required, the ARN of the application.".to_string(),
    };
    Err(Diagnostic::error(
        "Invalid import identity",
        format!("identity.{field}: {detail}"),
    )
    .at(AttributePath::root().attribute(field))
    .into())
}

/// The allow-list as a refresh finds it: the allowed set from state plus
/// every type the application has outside it, or `None` when the
/// application no longer exists.
async fn refreshed(
    client: &AwsClient,
    application_arn: &str,
    allowed: BTreeSet<String>,
) -> Result<Option<BTreeSet<String>>, GrantError> {
    let attempts = Attempts::default();
    match grant_types_of(client, application_arn, &attempts).await {
        Ok(present) => {
            let mut types = allowed;
            types.extend(present.into_iter().map(|t| t.as_str().to_string()));
            Ok(Some(types))
        }
        // A listing that failed because the application is gone: only
        // DescribeApplication's "not found" says so.
        Err(e) => match application_exists(client, application_arn, &attempts).await {
            Ok(false) => Ok(None),
            _ => Err(e),
        },
    }
}

#[async_trait]
impl Resource for GrantsExclusiveResource {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn identity_schema(&self) -> Option<Schema> {
        Some(Schema::new(0, GrantsExclusiveIdentityModel::schema_block()))
    }

    fn modify_plan(&self, _request: &ModifyPlanRequest, plan: &mut ModifyPlanResponse) {
        // The ID and the identity are the application's ARN (unknown until
        // it is).
        if let Ok(mut planned) = from_root::<GrantsExclusiveModel>(&plan.planned) {
            planned.id = planned.application_arn.clone();
            plan.identity = Some(
                GrantsExclusiveIdentityModel {
                    application_arn: planned.application_arn.clone(),
                }
                .into_value(),
            );
            plan.planned = planned.into_value();
        }
    }

    async fn read(&self, request: ReadRequest) -> ReadResponse {
        let read = async {
            let (application_arn, allowed) = allow_list_of(&request.state)?;
            let client = self.client.get()?;
            let found = refreshed(&client, &application_arn, allowed).await?;
            Ok::<_, GrantError>(match found {
                Some(types) => listed(&application_arn, &types),
                None => {
                    tracing::info!(%application_arn, "application no longer exists");
                    ReadResponse::gone()
                }
            })
        };
        read.await.unwrap_or_else(ReadResponse::failed)
    }

    async fn create(&self, request: CreateRequest) -> CreateResponse {
        self.enforce(&request.planned, &request.stop).await
    }

    async fn update(&self, request: UpdateRequest) -> UpdateResponse {
        self.enforce(&request.planned, &request.stop).await
    }

    async fn delete(&self, _request: DeleteRequest) -> DeleteResponse {
        // Forgetting the allow-list deletes nothing: the grants it allowed
        // belong to their own resources.
        DeleteResponse::default()
    }

    async fn import(&self, request: ImportRequest) -> ImportResponse {
        // Sparse: the read that follows fills in the types found.
        match imported_application(&request) {
            Ok(arn) => {
                let mut state = GrantsExclusiveModel::state(&arn, &BTreeSet::new());
                state.grant_types = Field::Null;
                ImportResponse::imported(state.into_value()).with_identity(
                    GrantsExclusiveIdentityModel {
                        application_arn: Field::Known(arn),
                    }
                    .into_value(),
                )
            }
            Err(d) => ImportResponse::failed(d),
        }
    }
}
