variable "application_arn" {
  type = string
}

locals {
  adopted = toset(["refresh_token", "urn:ietf:params:oauth:grant-type:token-exchange"])
  # "<application_arn>,<grant_type>": the resource's ID and import ID.
  refresh_id = provider::identitycenter::grant_id(var.application_arn, "refresh_token")
}

# Bring grants that already exist under Terraform, one import per grant type.
import {
  for_each = local.adopted
  to       = identitycenter_application_grant.adopted[each.key]
  id       = provider::identitycenter::grant_id(var.application_arn, each.key)
}

resource "identitycenter_application_grant" "adopted" {
  for_each        = local.adopted
  application_arn = var.application_arn
  grant_type      = each.key
  grant {
    dynamic "refresh_token" {
      for_each = each.key == "refresh_token" ? [1] : []
      content {}
    }
    dynamic "token_exchange" {
      for_each = each.key == "urn:ietf:params:oauth:grant-type:token-exchange" ? [1] : []
      content {}
    }
  }
}

output "refresh_id" {
  value = local.refresh_id
}

# { application_arn = "arn:aws:sso::…", grant_type = "refresh_token" }
output "refresh_parts" {
  value = provider::identitycenter::parse_grant_id(local.refresh_id)
}
