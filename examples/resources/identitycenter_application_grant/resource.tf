# Browser sign-in: Identity Center sends the authorization code to one of
# these redirect URIs. A set, so reordering never shows a diff.
resource "identitycenter_application_grant" "authorization_code" {
  application_arn = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-2222333344445555"
  grant_type      = "authorization_code"

  grant {
    authorization_code {
      redirect_uris = [
        "https://intranet.example.com/oauth/callback",
        "http://localhost:8080/oauth/callback",
      ]
    }
  }
}

# Token renewal without a new sign-in. Grants without settings still need
# their (empty) sub-block.
resource "identitycenter_application_grant" "refresh_token" {
  application_arn = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-2222333344445555"
  grant_type      = "refresh_token"

  grant {
    refresh_token {}
  }
}

# Exchange of JWTs from an external identity provider (a trusted token
# issuer) for Identity Center tokens.
resource "identitycenter_application_grant" "jwt_bearer" {
  application_arn = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-2222333344445555"
  grant_type      = "urn:ietf:params:oauth:grant-type:jwt-bearer"

  grant {
    jwt_bearer {
      authorized_token_issuers {
        trusted_token_issuer_arn = "arn:aws:sso::123456789012:trustedTokenIssuer/ssoins-1111222233334444/tti-0123abcd-0123-4abc-8def-0123456789ab"
        authorized_audiences     = ["intranet-api"]
      }
    }
  }

  # Optional deadlines, each covering every retry of one operation.
  timeouts {
    create = "2m"
    update = "2m"
    delete = "5m"
  }
}

# Trusted identity propagation: exchange an Identity Center token for one
# scoped to another AWS service.
resource "identitycenter_application_grant" "token_exchange" {
  application_arn = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-2222333344445555"
  grant_type      = "urn:ietf:params:oauth:grant-type:token-exchange"

  grant {
    token_exchange {}
  }
}
