variable "application_arn" {
  type = string
}

# One grant. An application without an authorization_code grant is an error
# that names the application and the grant type.
data "identitycenter_application_grant" "web" {
  application_arn = var.application_arn
  grant_type      = "authorization_code"
}

# Every grant of the application, ordered by grant type.
data "identitycenter_application_grants" "all" {
  application_arn = var.application_arn
}

output "redirect_uris" {
  value = data.identitycenter_application_grant.web.grant.authorization_code.redirect_uris
}

output "grant_types" {
  value = data.identitycenter_application_grants.all.grants[*].grant_type
}
