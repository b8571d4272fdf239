output "arns" {
  description = "Bucket ARNs by name (the access-log bucket included)."
  value       = { for k, b in aws_s3_bucket.this : k => b.arn }
}

output "names" {
  description = "Names of the platform's buckets (without the access-log bucket)."
  value       = sort(keys(var.buckets))
}

output "access_log_bucket" {
  description = "Name of the access-log bucket (ALB logs go under alb/)."
  value       = aws_s3_bucket.this[var.access_log_bucket].id
}
