# Terraform 1.8 and later.
locals {
  grant_id = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444,refresh_token"
}

# { application_arn = "arn:aws:sso::…/apl-1111222233334444", grant_type = "refresh_token" }
output "grant_parts" {
  value = provider::identitycenter::parse_grant_id(local.grant_id)
}
