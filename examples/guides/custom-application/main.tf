# This provider's half of the guide "Custom OAuth application with trusted
# identity propagation" (docs/guides/custom-application.md): how the portal
# application may obtain Identity Center tokens, and nothing more.
#
# In a configuration holding both halves, set these locals to the references
# in their comments and leave out variables.tf.
locals {
  application_arn          = var.application_arn          # aws_ssoadmin_application.portal.application_arn
  trusted_token_issuer_arn = var.trusted_token_issuer_arn # aws_ssoadmin_trusted_token_issuer.corp_idp.arn
  backend_role_arn         = var.backend_role_arn         # aws_iam_role.portal_backend.arn
}

# People sign in through the browser...
resource "identitycenter_application_grant" "authorization_code" {
  application_arn = local.application_arn
  grant_type      = "authorization_code"

  grant {
    authorization_code {
      redirect_uris = ["https://portal.example.com/oauth/callback"]
    }
  }
}

# ...and stay signed in without signing in again.
resource "identitycenter_application_grant" "refresh_token" {
  application_arn = local.application_arn
  grant_type      = "refresh_token"

  grant {
    refresh_token {}
  }
}

# The backend trades a token the corporate identity provider issued to a user
# (a JWT whose aud claim is the portal) for an Identity Center token that
# carries that user's identity to AWS services: trusted identity propagation.
resource "identitycenter_application_grant" "jwt_bearer" {
  application_arn = local.application_arn
  grant_type      = "urn:ietf:params:oauth:grant-type:jwt-bearer"

  grant {
    jwt_bearer {
      authorized_token_issuers {
        trusted_token_issuer_arn = local.trusted_token_issuer_arn
        authorized_audiences     = ["portal"]
      }
    }
  }
}

# Exactly these grant types, no others: a grant of any other type added
# outside this configuration (say, token-exchange) shows in the plan as the
# type removed from this set, and apply deletes that grant. Built from the
# grants above, so the list never falls behind them.
resource "identitycenter_application_grants_exclusive" "portal" {
  application_arn = local.application_arn
  grant_types = [
    identitycenter_application_grant.authorization_code.grant_type,
    identitycenter_application_grant.refresh_token.grant_type,
    identitycenter_application_grant.jwt_bearer.grant_type,
  ]
}

# Who may ask for those tokens: the backend's IAM role, and only it, may call
# sso-oauth:CreateTokenWithIAM for this application.
resource "identitycenter_application_authentication_method" "portal" {
  application_arn            = local.application_arn
  authentication_method_type = "IAM"

  authentication_method {
    iam {
      actor_policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Effect    = "Allow"
          Principal = { AWS = local.backend_role_arn }
          Action    = "sso-oauth:CreateTokenWithIAM"
          Resource  = "*"
        }]
      })
    }
  }
}
