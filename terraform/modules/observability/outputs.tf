output "log_group_names" {
  description = "Names of the managed log groups."
  value       = sort(keys(aws_cloudwatch_log_group.this))
}

output "alarm_topic_arn" {
  description = "SNS topic every alarm notifies."
  value       = aws_sns_topic.alarms.arn
}
