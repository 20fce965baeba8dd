variable "application_arn" {
  description = "ARN of the Identity Center customer managed application (arn:aws:sso::ACCOUNT:application/ssoins-…/apl-…)."
  type        = string
}

variable "redirect_uris" {
  description = "Absolute URIs Identity Center may redirect to after sign-in (1 to 10). Order does not matter."
  type        = list(string)

  validation {
    condition     = length(var.redirect_uris) >= 1 && length(var.redirect_uris) <= 10
    error_message = "Give between 1 and 10 redirect URIs."
  }
}

variable "trusted_token_issuers" {
  description = "Trusted token issuers whose JWTs the application may exchange for Identity Center tokens, each with the audiences (aud claims) accepted from it. Empty: no jwt-bearer grant."
  type = list(object({
    arn       = string
    audiences = list(string)
  }))
  default = []

  validation {
    condition     = length(var.trusted_token_issuers) <= 10
    error_message = "At most 10 trusted token issuers."
  }

  validation {
    condition     = alltrue([for issuer in var.trusted_token_issuers : length(issuer.audiences) >= 1 && length(issuer.audiences) <= 10])
    error_message = "Each trusted token issuer needs between 1 and 10 audiences."
  }
}

variable "refresh_tokens" {
  description = "Also grant refresh_token, so the application can renew access tokens without a new sign-in."
  type        = bool
  default     = true
}

variable "token_exchange" {
  description = "Also grant token-exchange (trusted identity propagation to other AWS services)."
  type        = bool
  default     = false
}

variable "exclusive_grants" {
  description = "Make the grants this module declares the application's only ones: a grant of another type added outside Terraform is deleted by the next apply."
  type        = bool
  default     = false
}

variable "actor_policy" {
  description = "IAM policy document (JSON, e.g. from jsonencode) naming the AWS principals that may call sso-oauth:CreateTokenWithIAM for the application. Null: the module leaves the application's authentication method alone."
  type        = string
  default     = null
}
