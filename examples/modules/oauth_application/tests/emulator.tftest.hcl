# Runs against whatever the provider is configured for through the
# environment: the test suite points it at identitycenter-emulator seeded
# with ../../emulator-seed.json. `terraform test` destroys what it created.

variables {
  application_arn = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444"
  redirect_uris   = ["https://portal.example.com/oauth/callback"]
}

run "sign_in_and_renewal_by_default" {
  assert {
    condition = output.grant_ids == {
      authorization_code = "${var.application_arn},authorization_code"
      refresh_token      = "${var.application_arn},refresh_token"
    }
    error_message = "Expected exactly the authorization_code and refresh_token grants, got ${jsonencode(output.grant_ids)}."
  }

  assert {
    condition     = identitycenter_application_grant.authorization_code.grant.authorization_code.redirect_uris == toset(var.redirect_uris)
    error_message = "The redirect URIs read back from AWS differ from the input."
  }
}

run "every_grant_type" {
  variables {
    redirect_uris = [
      "https://portal.example.com/oauth/callback",
      "http://localhost:8080/oauth/callback",
    ]
    trusted_token_issuers = [{
      arn       = "arn:aws:sso::123456789012:trustedTokenIssuer/ssoins-1111222233334444/tti-0123abcd-0123-4abc-8def-0123456789ab"
      audiences = ["portal-api", "portal-batch"]
    }]
    token_exchange = true
  }

  assert {
    condition     = length(output.grant_ids) == 4
    error_message = "Expected four grants, got ${jsonencode(keys(output.grant_ids))}."
  }

  assert {
    condition     = one(identitycenter_application_grant.jwt_bearer[0].grant.jwt_bearer.authorized_token_issuers).authorized_audiences == toset(["portal-api", "portal-batch"])
    error_message = "The jwt-bearer grant does not carry the issuer's audiences."
  }
}

run "without_refresh_tokens" {
  variables {
    refresh_tokens = false
  }

  assert {
    condition     = keys(output.grant_ids) == ["authorization_code"]
    error_message = "Turning refresh_tokens off must remove that grant, got ${jsonencode(keys(output.grant_ids))}."
  }
}

run "rejects_an_empty_redirect_uri_list" {
  command = plan

  variables {
    redirect_uris = []
  }

  expect_failures = [var.redirect_uris]
}

run "rejects_an_issuer_without_audiences" {
  command = plan

  variables {
    trusted_token_issuers = [{
      arn       = "arn:aws:sso::123456789012:trustedTokenIssuer/ssoins-1111222233334444/tti-0123abcd-0123-4abc-8def-0123456789ab"
      audiences = []
    }]
  }

  expect_failures = [var.trusted_token_issuers]
}
