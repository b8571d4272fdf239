output "arn_suffix" {
  description = "ARN suffix of the ALB (CloudWatch dimension LoadBalancer)."
  value       = aws_lb.this.arn_suffix
}

output "dns_name" {
  description = "DNS name of the ALB (point api., dagster. and mlflow. at it)."
  value       = aws_lb.this.dns_name
}

output "zone_id" {
  description = "Hosted zone of the ALB (for Route 53 alias records)."
  value       = aws_lb.this.zone_id
}

output "target_group_arns" {
  description = "Target group ARNs: api, dagster, mlflow."
  value       = { for k, tg in aws_lb_target_group.this : k => tg.arn }
}

output "target_group_arn_suffixes" {
  description = "Target group ARN suffixes (CloudWatch dimension TargetGroup)."
  value       = { for k, tg in aws_lb_target_group.this : k => tg.arn_suffix }
}

output "hosts" {
  description = "Host names served by the ALB."
  value       = local.hosts
}

output "cognito_user_pool_id" {
  description = "User pool of the UI logins (create operators with admin-create-user)."
  value       = aws_cognito_user_pool.this.id
}
