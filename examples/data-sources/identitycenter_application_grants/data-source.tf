# Every grant of the application, ordered by grant type.
data "identitycenter_application_grants" "portal" {
  application_arn = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444"
}

output "grant_types" {
  value = data.identitycenter_application_grants.portal.grants[*].grant_type
}
