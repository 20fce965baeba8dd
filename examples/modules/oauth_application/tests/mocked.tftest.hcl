# Needs no AWS and no emulator: Terraform answers every call of the provider
# with mock values (Terraform 1.7 and later). Only the provider's schema is
# read from the installed binary.

mock_provider "identitycenter" {
  mock_resource "identitycenter_application_grant" {
    defaults = {
      id = "mocked-grant-id"
    }
  }
}

variables {
  application_arn = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444"
  redirect_uris   = ["https://portal.example.com/oauth/callback"]
}

run "issuers_turn_on_the_jwt_bearer_grant" {
  command = apply

  variables {
    trusted_token_issuers = [{
      arn       = "arn:aws:sso::123456789012:trustedTokenIssuer/ssoins-1111222233334444/tti-0123abcd-0123-4abc-8def-0123456789ab"
      audiences = ["portal-api"]
    }]
  }

  assert {
    condition     = length(identitycenter_application_grant.jwt_bearer) == 1
    error_message = "One trusted token issuer must create the jwt-bearer grant."
  }

  assert {
    condition     = sort(keys(output.grant_ids)) == sort(["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:jwt-bearer"])
    error_message = "Unexpected grants: ${jsonencode(keys(output.grant_ids))}."
  }
}

run "no_issuers_no_jwt_bearer_grant" {
  command = plan

  assert {
    condition     = length(identitycenter_application_grant.jwt_bearer) == 0
    error_message = "Without trusted token issuers there is no jwt-bearer grant."
  }
}
