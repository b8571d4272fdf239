variable "identifier" {
  description = "RDS instance identifier."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the DB subnet group (two AZs, for Multi-AZ)."
  type        = list(string)
}

variable "security_group_id" {
  description = "Security group of the instance."
  type        = string
}

variable "instance_class" {
  description = "Instance class."
  type        = string
  default     = "db.t3.medium"
}

variable "allocated_storage" {
  description = "Initial gp3 storage, GB."
  type        = number
  default     = 100
}

variable "max_allocated_storage" {
  description = "Upper bound of storage autoscaling, GB."
  type        = number
  default     = 1000
}

variable "backup_retention_days" {
  description = "Days of automated backups."
  type        = number
  default     = 7
}

variable "database_name" {
  description = "Database created with the instance."
  type        = string
  default     = "textil"
}

variable "master_username" {
  description = "Administrator login (its password is generated and kept by RDS in Secrets Manager)."
  type        = string
  default     = "textil_admin"
}
