# Browser sign-in: the application receives an authorization code at one of
# its redirect URIs and exchanges it for tokens.
resource "identitycenter_application_grant" "authorization_code" {
  application_arn = var.application_arn
  grant_type      = "authorization_code"

  grant {
    authorization_code {
      redirect_uris = var.redirect_uris # a set: reordering never shows a diff
    }
  }
}

# Lets the application renew access tokens without sending the user back
# through sign-in.
resource "identitycenter_application_grant" "refresh_token" {
  count = var.refresh_tokens ? 1 : 0

  application_arn = var.application_arn
  grant_type      = "refresh_token"

  grant {
    refresh_token {}
  }
}
