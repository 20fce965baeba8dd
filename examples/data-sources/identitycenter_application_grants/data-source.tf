# Every grant of an application, ordered by grant type: here the crm
# application, whose grants the emulator's seed creates. An application
# without grants gives an empty list.
data "identitycenter_application_grants" "crm" {
  application_arn = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-aaaabbbbccccdddd"
}

output "grant_types" {
  value = data.identitycenter_application_grants.crm.grants[*].grant_type
}
