# What the AWS provider's half of the guide makes, given here as variables so
# that this half runs on its own. The defaults name what the local emulator's
# seed (examples/emulator-seed.json) holds: the portal application and the
# corp-idp trusted token issuer. The emulator checks no IAM principal, so the
# role needs no seed.

variable "application_arn" {
  description = "The custom OAuth application: aws_ssoadmin_application.portal.application_arn (arn:aws:sso::ACCOUNT:application/ssoins-…/apl-…)."
  type        = string
  default     = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444"
}

variable "trusted_token_issuer_arn" {
  description = "The external identity provider whose JWTs the application exchanges: aws_ssoadmin_trusted_token_issuer.corp_idp.arn (arn:aws:sso::ACCOUNT:trustedTokenIssuer/ssoins-…/tti-…)."
  type        = string
  default     = "arn:aws:sso::123456789012:trustedTokenIssuer/ssoins-1111222233334444/tti-0123abcd-0123-4abc-8def-0123456789ab"
}

variable "backend_role_arn" {
  description = "The IAM role the application's backend runs as, the one principal allowed to call CreateTokenWithIAM for it: aws_iam_role.portal_backend.arn."
  type        = string
  default     = "arn:aws:iam::123456789012:role/portal-backend"
}
