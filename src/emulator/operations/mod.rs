//! Request handlers, one file per resource family.
//!
//! Each handler validates its input completely before touching state (so a rejected request
//! never changes anything), lets the fault injector answer a valid write with a conflict, and
//! then applies the request under the state lock.

mod applications;
mod authentication_methods;
mod grants;
mod instances;
mod listing;
mod members;
mod slots;
mod trusted_token_issuers;

use serde_json::{Map, Value};

use super::backend::Call;
use super::error::ApiError;
use super::operation::Operation;
use super::shapes::Members;

pub use authentication_methods::check_put_application_authentication_method;
pub use grants::check_put_application_grant;
pub use trusted_token_issuers::check_configuration as check_trusted_token_issuer_configuration;

/// Run `op` on a parsed JSON body. `Ok(None)` means a 200 with an empty body.
pub fn dispatch(
    op: Operation,
    backend: &Call<'_>,
    body: &Map<String, Value>,
) -> Result<Option<Value>, ApiError> {
    let input = Members::new(body, "");
    match op {
        Operation::PutApplicationGrant => grants::put(backend, &input).map(|()| None),
        Operation::GetApplicationGrant => grants::get(backend, &input).map(Some),
        Operation::DeleteApplicationGrant => grants::delete(backend, &input).map(|()| None),
        Operation::ListApplicationGrants => grants::list(backend, &input).map(Some),
        Operation::PutApplicationAuthenticationMethod => {
            authentication_methods::put(backend, &input).map(|()| None)
        }
        Operation::GetApplicationAuthenticationMethod => {
            authentication_methods::get(backend, &input).map(Some)
        }
        Operation::DeleteApplicationAuthenticationMethod => {
            authentication_methods::delete(backend, &input).map(|()| None)
        }
        Operation::ListApplicationAuthenticationMethods => {
            authentication_methods::list(backend, &input).map(Some)
        }
        Operation::ListInstances => instances::list(backend, &input).map(Some),
        Operation::CreateApplication => applications::create(backend, &input).map(Some),
        Operation::DescribeApplication => applications::describe(backend, &input).map(Some),
        Operation::ListApplications => applications::list(backend, &input).map(Some),
        Operation::DeleteApplication => applications::delete(backend, &input).map(Some),
        Operation::CreateTrustedTokenIssuer => {
            trusted_token_issuers::create(backend, &input).map(Some)
        }
        Operation::DescribeTrustedTokenIssuer => {
            trusted_token_issuers::describe(backend, &input).map(Some)
        }
        Operation::ListTrustedTokenIssuers => {
            trusted_token_issuers::list(backend, &input).map(Some)
        }
        Operation::DeleteTrustedTokenIssuer => {
            trusted_token_issuers::delete(backend, &input).map(Some)
        }
    }
}
