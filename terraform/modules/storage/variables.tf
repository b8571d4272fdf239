variable "buckets" {
  description = "Bucket name => days after which objects expire (null: never)."
  type        = map(number)
}

variable "landing_bucket" {
  description = "The bucket users drop invoices into (top level) that also holds the platform's zones (raw/, quarantine/, batches/, read/); its lifecycle is set per zone, never bucket-wide."
  type        = string

  validation {
    condition     = contains(keys(var.buckets), var.landing_bucket) && try(var.buckets[var.landing_bucket] == null, false)
    error_message = "The landing bucket must be one of var.buckets with null days: a bucket-wide expiry would also delete its raw zone, quarantine and batch manifests."
  }
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
