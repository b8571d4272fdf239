variable "name" {
  description = "Name prefix of the roles."
  type        = string
}

variable "region" {
  description = "AWS region."
  type        = string
}

variable "cluster_name" {
  description = "ECS cluster the run launcher and MWAA start tasks in."
  type        = string
}

variable "run_task_family" {
  description = "Task definition family of Dagster runs."
  type        = string
}

variable "training_task_family" {
  description = "Task definition family of the on-demand training task (started by MWAA)."
  type        = string
}

variable "bucket_arns" {
  description = "ARNs of the buckets the application reads and writes."
  type        = list(string)
}

variable "landing_bucket_arn" {
  description = "ARN of the landing bucket (mes-en-curso): intake deletes exactly the object version it copied there. Null: no such permission."
  type        = string
  default     = null
}

variable "mlflow_bucket_arn" {
  description = "ARN of the MLflow artifact bucket."
  type        = string
}

variable "dags_bucket_arn" {
  description = "ARN of the MWAA DAG bucket."
  type        = string
}

variable "secret_arns" {
  description = "ARNs of the application secrets, by name (the API token's included)."
  type        = map(string)
}

variable "api_token_secret_name" {
  description = "Name of the HTTP API's bearer-token secret (read by the API's role only)."
  type        = string
}

variable "mysql_secret_name" {
  description = "Name of the application MySQL login secret (written by the bootstrap task)."
  type        = string
}

variable "master_user_secret_arn" {
  description = "ARN of the RDS-managed administrator secret (bootstrap task only)."
  type        = string
}

variable "dagster_log_group" {
  description = "Log group of Dagster services and runs (the launcher reads failed runs' logs)."
  type        = string
}

variable "mwaa_environment_name" {
  description = "Name of the MWAA environment."
  type        = string
}

variable "metric_namespace" {
  description = "CloudWatch namespace of the platform's custom metrics."
  type        = string
}
