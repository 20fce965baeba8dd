output "grant_ids" {
  description = "ID of every grant, by grant type. Each ID is \"<application_arn>,<grant_type>\" and is also what `terraform import` takes."
  value = {
    authorization_code = module.web_sign_in.grant_ids["authorization_code"]
    refresh_token      = module.web_sign_in.grant_ids["refresh_token"]
    jwt_bearer         = identitycenter_application_grant.jwt_bearer.id
    token_exchange     = identitycenter_application_grant.token_exchange.id
  }
}
