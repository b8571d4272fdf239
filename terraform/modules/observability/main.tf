resource "aws_cloudwatch_log_group" "this" {
  for_each          = var.log_groups
  name              = each.key
  retention_in_days = each.value
}

resource "aws_sns_topic" "alarms" {
  name              = "${var.name}-alarms"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_sns_topic_subscription" "email" {
  count     = var.alarm_email == "" ? 0 : 1
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

locals {
  service_dimensions = { ClusterName = var.cluster_name, ServiceName = var.api_service_name }

  alarms = {
    api-high-cpu = {
      description = "HTTP API CPU above ${var.cpu_threshold} %"
      namespace   = "AWS/ECS"
      metric      = "CPUUtilization"
      statistic   = "Average"
      period      = 60
      evaluations = 5
      comparison  = "GreaterThanThreshold"
      threshold   = var.cpu_threshold
      dimensions  = local.service_dimensions
    }
    api-high-memory = {
      description = "HTTP API memory above ${var.memory_threshold} %"
      namespace   = "AWS/ECS"
      metric      = "MemoryUtilization"
      statistic   = "Average"
      period      = 60
      evaluations = 5
      comparison  = "GreaterThanThreshold"
      threshold   = var.memory_threshold
      dimensions  = local.service_dimensions
    }
    alb-target-5xx = {
      description = "More than ${var.http_5xx_per_minute} 5xx answers per minute from the API"
      namespace   = "AWS/ApplicationELB"
      metric      = "HTTPCode_Target_5XX_Count"
      statistic   = "Sum"
      period      = 60
      evaluations = 1
      comparison  = "GreaterThanThreshold"
      threshold   = var.http_5xx_per_minute
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
    }
    api-unhealthy-targets = {
      description = "Fewer healthy API targets than the service's minimum"
      namespace   = "AWS/ApplicationELB"
      metric      = "HealthyHostCount"
      statistic   = "Minimum"
      period      = 60
      evaluations = 3
      comparison  = "LessThanThreshold"
      threshold   = var.api_desired_tasks
      dimensions  = { LoadBalancer = var.alb_arn_suffix, TargetGroup = var.api_target_group_arn_suffix }
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each            = local.alarms
  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  statistic           = each.value.statistic
  period              = each.value.period
  evaluation_periods  = each.value.evaluations
  comparison_operator = each.value.comparison
  threshold           = each.value.threshold
  dimensions          = each.value.dimensions
  # No data from the ALB means no errors; no data about healthy hosts means none are healthy.
  treat_missing_data = each.value.metric == "HealthyHostCount" ? "breaching" : "notBreaching"
  alarm_actions      = [aws_sns_topic.alarms.arn]
  ok_actions         = [aws_sns_topic.alarms.arn]
}
