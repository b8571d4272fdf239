variable "buckets" {
  description = "Bucket name => days after which objects expire (null: never)."
  type        = map(number)
}

variable "access_log_bucket" {
  description = "Bucket receiving S3 server access logs and ALB access logs."
  type        = string
}

variable "access_log_expiration_days" {
  description = "Days the access logs are kept."
  type        = number
  default     = 90
}

variable "noncurrent_version_expiration_days" {
  description = "Days an overwritten or deleted object version is kept (versioning is on)."
  type        = number
  default     = 30
}
