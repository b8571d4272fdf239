variable "name" {
  description = "MWAA environment name."
  type        = string
}

variable "airflow_version" {
  description = "Airflow version."
  type        = string
}

variable "environment_class" {
  description = "MWAA environment class."
  type        = string
  default     = "mw1.small"
}

variable "min_workers" {
  description = "Minimum Celery workers."
  type        = number
  default     = 2
}

variable "max_workers" {
  description = "Maximum Celery workers (autoscaled on queue depth)."
  type        = number
  default     = 10
}

variable "dags_bucket_arn" {
  description = "ARN of the bucket holding dags/ and requirements.txt."
  type        = string
}

variable "dags_bucket_name" {
  description = "Name of that bucket."
  type        = string
}

variable "requirements_file" {
  description = "Local requirements.txt uploaded to the bucket."
  type        = string
}

variable "subnet_ids" {
  description = "Two private subnets."
  type        = list(string)
}

variable "security_group_id" {
  description = "Security group of the environment."
  type        = string
}

variable "execution_role_arn" {
  description = "MWAA execution role."
  type        = string
}

variable "airflow_variables" {
  description = "Airflow configuration options (non-secret) for the compatibility DAGs."
  type        = map(string)
  default     = {}
}
