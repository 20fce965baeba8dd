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

variable "refresh_tokens" {
  description = "Also grant refresh_token, so the application can renew access tokens without a new sign-in."
  type        = bool
  default     = true
}
