output "execution_role_arn" {
  description = "ECS task execution role."
  value       = aws_iam_role.execution.arn
}

output "task_role_arn" {
  description = "Task role of Dagster services and runs."
  value       = aws_iam_role.task.arn
}

output "api_task_role_arn" {
  description = "Task role of the HTTP API (its token and the MySQL login, nothing else)."
  value       = aws_iam_role.api.arn
}

output "mlflow_role_arn" {
  description = "Task role of the MLflow server."
  value       = aws_iam_role.mlflow.arn
}

output "db_bootstrap_role_arn" {
  description = "Task role of the one-off database bootstrap task."
  value       = aws_iam_role.db_bootstrap.arn
}

output "mwaa_role_arn" {
  description = "MWAA execution role."
  value       = aws_iam_role.mwaa.arn
}
