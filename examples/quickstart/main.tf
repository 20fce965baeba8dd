# Quick start: every kind of IAM Identity Center application grant for one
# customer managed application.
#
#   terraform init
#   terraform apply
#
# The variables' defaults name what the local emulator's seed
# (examples/emulator-seed.json) holds: the portal application and the corp-idp
# trusted token issuer. `make demo` runs this against the emulator.
# To use it with real AWS:
#   1. leave var.ssoadmin_endpoint unset (null) and AWS_ENDPOINT_URL_SSO_ADMIN
#      unset, so that the provider calls the region's SSO Admin endpoint,
#   2. sign in the usual way (AWS_PROFILE, `aws sso login`, environment
#      variables, an instance role...) and leave access_key / secret_key unset,
#   3. pass region and the ARNs of your application and trusted token issuer:
#      terraform apply -var region=… -var application_arn=… -var trusted_token_issuer_arn=…

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
  region = var.region

  # Null (the default) means "use the AWS default credential chain".
  access_key = var.access_key
  secret_key = var.secret_key

  # Emulator only: real AWS needs no endpoint override.
  endpoints {
    ssoadmin = var.ssoadmin_endpoint
  }
}

# Browser sign-in (authorization_code) and token renewal (refresh_token),
# from the reusable module in ../modules/oauth_application.
module "web_sign_in" {
  source = "../modules/oauth_application"

  application_arn = var.application_arn
  redirect_uris   = var.redirect_uris
}

# The application may trade a JWT from an external identity provider (the
# trusted token issuer) for an Identity Center token.
resource "identitycenter_application_grant" "jwt_bearer" {
  application_arn = var.application_arn
  grant_type      = "urn:ietf:params:oauth:grant-type:jwt-bearer"

  grant {
    jwt_bearer {
      authorized_token_issuers {
        trusted_token_issuer_arn = var.trusted_token_issuer_arn
        authorized_audiences     = var.authorized_audiences
      }
    }
  }
}

# The application may exchange an Identity Center token for one scoped to
# another AWS service (trusted identity propagation).
resource "identitycenter_application_grant" "token_exchange" {
  application_arn = var.application_arn
  grant_type      = "urn:ietf:params:oauth:grant-type:token-exchange"

  grant {
    token_exchange {}
  }
}
