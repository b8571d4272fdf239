variable "name" {
  description = "Cluster name and prefix of the ECS resources."
  type        = string
}

variable "region" {
  description = "AWS region (awslogs driver)."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the Cloud Map namespace."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of every task."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups by role (ecs, api, code_server, mlflow)."
  type        = map(string)
}

variable "target_group_arns" {
  description = "ALB target groups: api, dagster, mlflow."
  type        = map(string)
}

variable "image_tag" {
  description = "Tag of the facturas image in this module's ECR repository."
  type        = string
}

variable "execution_role_arn" {
  description = "Task execution role."
  type        = string
}

variable "task_role_arn" {
  description = "Task role of Dagster services and runs."
  type        = string
}

variable "api_task_role_arn" {
  description = "Task role of the HTTP API."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR of the VPC: the only proxies (the ALB) whose X-Forwarded-* headers the API trusts."
  type        = string
}

variable "mlflow_role_arn" {
  description = "Task role of MLflow."
  type        = string
}

variable "db_bootstrap_role_arn" {
  description = "Task role of the database bootstrap task."
  type        = string
}

variable "mysql_secret_arn" {
  description = "ARN of textil/mysql/credentials (the application login, JSON)."
  type        = string
}

variable "master_user_secret_arn" {
  description = "ARN of the RDS-managed administrator secret."
  type        = string
}

variable "db_host" {
  description = "RDS endpoint address."
  type        = string
}

variable "db_port" {
  description = "RDS port."
  type        = number
}

variable "compute_log_bucket" {
  description = "Bucket of the Dagster compute logs."
  type        = string
}

variable "mlflow_artifacts_bucket" {
  description = "Bucket of the MLflow artifacts."
  type        = string
}

variable "dagster_public_host" {
  description = "Host name of the Dagster UI behind the ALB (run links in the API's answers)."
  type        = string
}

variable "mlflow_public_host" {
  description = "Host name of the MLflow UI behind the ALB."
  type        = string
}

variable "log_groups" {
  description = "Log groups: dagster, api, training, mlflow."
  type        = map(string)
}

variable "run_task_family" {
  description = "Task definition family of Dagster runs (DAGSTER_RUN_TASK_DEFINITION)."
  type        = string
}

variable "training_task_family" {
  description = "Task definition family of the on-demand training task."
  type        = string
}

variable "api_min_tasks" {
  description = "Minimum tasks of the HTTP API."
  type        = number
  default     = 2
}

variable "api_max_tasks" {
  description = "Maximum tasks of the HTTP API."
  type        = number
  default     = 10
}

variable "api_cpu_target" {
  description = "Target CPU utilisation of the API's autoscaling, percent."
  type        = number
  default     = 70
}

variable "api_memory_target" {
  description = "Target memory utilisation of the API's autoscaling, percent."
  type        = number
  default     = 80
}

variable "scale_out_cooldown" {
  description = "Seconds between scale-out steps."
  type        = number
  default     = 60
}

variable "scale_in_cooldown" {
  description = "Seconds between scale-in steps."
  type        = number
  default     = 300
}
