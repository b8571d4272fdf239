output "cluster_name" {
  description = "Name of the ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "repository_url" {
  description = "ECR repository of the facturas image (docker push here)."
  value       = aws_ecr_repository.this.repository_url
}

output "service_names" {
  description = "ECS services."
  value       = sort(keys(aws_ecs_service.this))
}

output "run_task_definition_family" {
  description = "Family of the Dagster run task definition."
  value       = aws_ecs_task_definition.run.family
}

output "training_task_definition_family" {
  description = "Family of the training task definition (MWAA)."
  value       = aws_ecs_task_definition.training.family
}

output "db_bootstrap_task_definition_family" {
  description = "Family of the one-off database bootstrap task."
  value       = aws_ecs_task_definition.db_bootstrap.family
}
