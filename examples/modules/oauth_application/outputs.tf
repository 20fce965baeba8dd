output "authorization_code_grant_id" {
  description = "ID of the authorization_code grant (\"<application_arn>,authorization_code\"; also its import ID)."
  value       = identitycenter_application_grant.authorization_code.id
}

output "refresh_token_grant_id" {
  description = "ID of the refresh_token grant, or null when refresh_tokens is false."
  value       = one(identitycenter_application_grant.refresh_token[*].id)
}
