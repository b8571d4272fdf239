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
