# One grant of an application managed elsewhere: here the crm application's
# authorization_code grant, which the emulator's seed creates. If the
# application has no such grant, the read fails with an error naming the
# application and the grant type.
data "identitycenter_application_grant" "sign_in" {
  application_arn = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-aaaabbbbccccdddd"
  grant_type      = "authorization_code"
}

output "redirect_uris" {
  value = data.identitycenter_application_grant.sign_in.grant.authorization_code.redirect_uris
}
