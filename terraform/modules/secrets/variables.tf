variable "secrets" {
  description = "Secret name => description. Values are written outside Terraform (docs/deploy.md)."
  type        = map(string)
}

variable "recovery_window_in_days" {
  description = "Days a deleted secret can still be restored."
  type        = number
  default     = 7
}
