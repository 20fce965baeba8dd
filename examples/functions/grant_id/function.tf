# Terraform 1.8 and later. Adopt existing grants with import blocks whose IDs
# the function builds, one per grant type. The grants must exist: here the
# wiki application's, which the emulator's seed creates.
locals {
  wiki    = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-6666777788889999"
  adopted = toset(["refresh_token", "urn:ietf:params:oauth:grant-type:token-exchange"])
}

import {
  for_each = local.adopted
  to       = identitycenter_application_grant.adopted[each.key]
  id       = provider::identitycenter::grant_id(local.wiki, each.key)
}

resource "identitycenter_application_grant" "adopted" {
  for_each        = local.adopted
  application_arn = local.wiki
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

# "arn:aws:sso::123456789012:application/ssoins-…/apl-…,refresh_token"
output "refresh_token_grant_id" {
  value = provider::identitycenter::grant_id(local.wiki, "refresh_token")
}
