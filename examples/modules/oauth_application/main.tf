resource "identitycenter_application_grant" "authorization_code" {
  application_arn = var.application_arn
  grant_type      = "authorization_code"

  grant {
    authorization_code {
      redirect_uris = var.redirect_uris # a set: reordering never shows a diff
    }
  }
}

resource "identitycenter_application_grant" "refresh_token" {
  count = var.refresh_tokens ? 1 : 0

  application_arn = var.application_arn
  grant_type      = "refresh_token"

  grant {
    refresh_token {}
  }
}

resource "identitycenter_application_grant" "jwt_bearer" {
  count = length(var.trusted_token_issuers) > 0 ? 1 : 0

  application_arn = var.application_arn
  grant_type      = "urn:ietf:params:oauth:grant-type:jwt-bearer"

  grant {
    jwt_bearer {
      dynamic "authorized_token_issuers" {
        for_each = var.trusted_token_issuers
        content {
          trusted_token_issuer_arn = authorized_token_issuers.value.arn
          authorized_audiences     = authorized_token_issuers.value.audiences
        }
      }
    }
  }
}

resource "identitycenter_application_grant" "token_exchange" {
  count = var.token_exchange ? 1 : 0

  application_arn = var.application_arn
  grant_type      = "urn:ietf:params:oauth:grant-type:token-exchange"

  grant {
    token_exchange {}
  }
}

# With exclusive_grants, the grants above are the application's only ones: a
# grant of another type added outside Terraform shows in the plan, and apply
# deletes it. The list is built from the grants, so it never falls behind.
resource "identitycenter_application_grants_exclusive" "this" {
  count = var.exclusive_grants ? 1 : 0

  application_arn = var.application_arn
  grant_types = concat(
    [identitycenter_application_grant.authorization_code.grant_type],
    identitycenter_application_grant.refresh_token[*].grant_type,
    identitycenter_application_grant.jwt_bearer[*].grant_type,
    identitycenter_application_grant.token_exchange[*].grant_type,
  )
}

# With an actor policy, the AWS principals it names may call
# sso-oauth:CreateTokenWithIAM for the application.
resource "identitycenter_application_authentication_method" "this" {
  count = var.actor_policy == null ? 0 : 1

  application_arn            = var.application_arn
  authentication_method_type = "IAM"

  authentication_method {
    iam {
      actor_policy = var.actor_policy
    }
  }
}
