output "ecr_repository_url" {
  description = "Push the image here (docs/deploy.md)."
  value       = module.ecs.repository_url
}

output "alb_dns_name" {
  description = "Point api., dagster. and mlflow.<domain> at this name."
  value       = module.alb.dns_name
}

output "alb_zone_id" {
  description = "Hosted zone of the ALB, for Route 53 alias records."
  value       = module.alb.zone_id
}

output "ecs_cluster" {
  description = "ECS cluster of the services and runs."
  value       = module.ecs.cluster_name
}

output "private_subnet_ids" {
  description = "Subnets for one-off tasks (migrations, bootstrap)."
  value       = module.network.private_subnet_ids
}

output "ecs_security_group_id" {
  description = "Security group for one-off tasks."
  value       = module.security.ids["ecs"]
}

output "db_bootstrap_task_definition" {
  description = "One-off task creating the databases and the application login."
  value       = module.ecs.db_bootstrap_task_definition_family
}

output "run_task_definition" {
  description = "Task definition of Dagster runs (also used for migrations)."
  value       = module.ecs.run_task_definition_family
}

output "cognito_user_pool_id" {
  description = "Create UI users here (docs/deploy.md, first login)."
  value       = module.alb.cognito_user_pool_id
}

output "alarm_topic_arn" {
  description = "SNS topic of the alarms."
  value       = module.observability.alarm_topic_arn
}

output "mwaa_webserver_url" {
  description = "Private URL of the Airflow UI."
  value       = module.mwaa.webserver_url
}
