output "grant_ids" {
  description = "ID of each grant this module manages, by grant type. An ID is \"<application_arn>,<grant_type>\", also its import ID."
  value = {
    for grant in concat(
      [identitycenter_application_grant.authorization_code],
      identitycenter_application_grant.refresh_token,
      identitycenter_application_grant.jwt_bearer,
      identitycenter_application_grant.token_exchange,
    ) : grant.grant_type => grant.id
  }
}
