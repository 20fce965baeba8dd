variable "application_arn" {
  type = string
}

# Adopt an existing grant by its identity (Terraform 1.12 and later).
import {
  to = identitycenter_application_grant.mobile
  identity = {
    application_arn = var.application_arn
    grant_type      = "refresh_token"
  }
}

resource "identitycenter_application_grant" "mobile" {
  application_arn = var.application_arn
  grant_type      = "refresh_token"
  grant {
    refresh_token {}
  }
}
