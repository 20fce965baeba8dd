variable "application_arn" {
  type = string
}

variable "instance_arn" {
  type = string
}
