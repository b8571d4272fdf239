variable "aws_region" {
  description = "Region of the whole platform (the old design ran in us-east-1)."
  type        = string
  default     = "us-east-1"
}

variable "availability_zones" {
  description = "The two availability zones of the subnets, in the order of the CIDR lists."
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b"]
}

variable "domain_name" {
  description = "Base DNS name: api.<domain> (HTTP API), dagster.<domain> and mlflow.<domain> (UIs)."
  type        = string
}

variable "certificate_arn" {
  description = "ACM certificate covering *.<domain_name>, for the ALB's HTTPS listener."
  type        = string
}

variable "cognito_domain_prefix" {
  description = "Prefix of the Cognito hosted UI domain (<prefix>.auth.<region>.amazoncognito.com)."
  type        = string
}

variable "image_tag" {
  description = "Tag of the facturas image in ECR to run (immutable tags: one per build)."
  type        = string
}

variable "alarm_email" {
  description = "E-mail subscribed to the alarm topic (empty: subscribe later)."
  type        = string
  default     = ""
}

variable "mwaa_requirements_file" {
  description = "Local path of the MWAA requirements.txt uploaded next to the DAGs."
  type        = string
  default     = "../mwaa/requirements.txt"
}

variable "airflow_version" {
  description = "MWAA Airflow version (the newest 2.x MWAA offers)."
  type        = string
  default     = "2.10.3"
}
