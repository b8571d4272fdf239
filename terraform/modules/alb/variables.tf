variable "name" {
  description = "Name prefix of the load balancer resources."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the target groups."
  type        = string
}

variable "subnet_ids" {
  description = "Public subnets of the ALB (two AZs)."
  type        = list(string)
}

variable "security_group_id" {
  description = "Security group of the ALB."
  type        = string
}

variable "certificate_arn" {
  description = "ACM certificate of the HTTPS listener."
  type        = string
}

variable "domain_name" {
  description = "Base domain: api.<d> (default), dagster.<d> and mlflow.<d> (behind Cognito)."
  type        = string
}

variable "cognito_domain_prefix" {
  description = "Prefix of the Cognito hosted UI domain."
  type        = string
}

variable "access_log_bucket" {
  description = "Bucket for the ALB access logs (prefix alb/)."
  type        = string
}

variable "waf_log_retention_days" {
  description = "Retention of the WAF log group (security evidence: one year)."
  type        = number
  default     = 365
}

variable "api_max_body_bytes" {
  description = "Largest request body WAF lets through to the API (it inspects the first 8 KB)."
  type        = number
  default     = 8192

  validation {
    # An ALB shows WAF only the first 8 KB: a larger limit could not be checked.
    condition     = var.api_max_body_bytes > 0 && var.api_max_body_bytes <= 8192
    error_message = "api_max_body_bytes must be in 1..8192 (WAF sees the first 8 KB of an ALB request)."
  }
}

variable "api_rate_limit" {
  description = "Requests one client address may send to the API in 5 minutes before WAF blocks it."
  type        = number
  default     = 500
}
