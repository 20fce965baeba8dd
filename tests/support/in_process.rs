//! A provider that hosts one test resource, for checking framework rules
//! through the real protocol server in-process with resources that behave
//! as no real one may (panicking, renaming their identity).

use std::sync::Arc;

use identitycenter::framework::{
    Block, ConfigureRequest, ConfigureResponse, Provider, Resource, Schema,
};

/// Provider `test` with `0` as its only resource.
pub struct OneResource(pub Arc<dyn Resource>);

#[async_trait::async_trait]
impl Provider for OneResource {
    fn type_name(&self) -> &'static str {
        "test"
    }
    fn schema(&self) -> Schema {
        Schema::new(0, Block::new(""))
    }
    async fn configure(&self, _request: ConfigureRequest) -> ConfigureResponse {
        ConfigureResponse::default()
    }
    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![self.0.clone()]
    }
}
