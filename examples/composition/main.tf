# Several applications, each with the grants it needs, from one module.
terraform {
  required_version = ">= 1.0"

  required_providers {
    identitycenter = {
      source  = "idc-labs/identitycenter"
      version = "~> 0.2.0"
    }
  }
}

provider "identitycenter" {
  region = "us-east-1"
}

locals {
  corp_idp = "arn:aws:sso::123456789012:trustedTokenIssuer/ssoins-1111222233334444/tti-0123abcd-0123-4abc-8def-0123456789ab"

  applications = {
    portal = {
      arn           = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444"
      redirect_uris = ["https://portal.example.com/oauth/callback"]
      issuers       = [{ arn = local.corp_idp, audiences = ["portal-api"] }]
      # The portal's backend exchanges users' tokens from AWS.
      token_users = ["arn:aws:iam::123456789012:role/portal-backend"]
    }
    analytics = {
      arn           = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-5555666677778888"
      redirect_uris = ["https://analytics.example.com/callback", "https://analytics.example.com/silent-renew"]
      issuers       = []
      token_users   = []
    }
    helpdesk = {
      arn           = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-9999aaaabbbbcccc"
      redirect_uris = ["https://helpdesk.example.com/sso"]
      issuers       = [{ arn = local.corp_idp, audiences = ["helpdesk"] }]
      token_users   = []
    }
  }
}

module "oauth_application" {
  source   = "../modules/oauth_application"
  for_each = local.applications

  application_arn       = each.value.arn
  redirect_uris         = each.value.redirect_uris
  trusted_token_issuers = each.value.issuers

  # Each application has exactly the grants declared for it.
  exclusive_grants = true
  # Who may ask for tokens from AWS, where anyone may.
  actor_policy = length(each.value.token_users) == 0 ? null : jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = each.value.token_users }
      Action    = "sso-oauth:CreateTokenWithIAM"
      Resource  = "*"
    }]
  })
}

output "grant_ids" {
  description = "Grant IDs by application, then by grant type."
  value       = { for name, app in module.oauth_application : name => app.grant_ids }
}
