variable "name" {
  description = "Name prefix of the alarms and the topic."
  type        = string
}

variable "log_groups" {
  description = "Log group name => retention in days."
  type        = map(number)
}

variable "cluster_name" {
  description = "ECS cluster of the HTTP API service."
  type        = string
}

variable "api_service_name" {
  description = "ECS service of the HTTP API (the old FastAPI service)."
  type        = string
}

variable "alb_arn_suffix" {
  description = "ARN suffix of the ALB."
  type        = string
}

variable "api_target_group_arn_suffix" {
  description = "ARN suffix of the HTTP API's target group."
  type        = string
}

variable "api_desired_tasks" {
  description = "Healthy API targets expected at least (the service's minimum)."
  type        = number
}

variable "cpu_threshold" {
  description = "CPU utilisation alarm threshold, percent."
  type        = number
  default     = 80
}

variable "memory_threshold" {
  description = "Memory utilisation alarm threshold, percent."
  type        = number
  default     = 85
}

variable "http_5xx_per_minute" {
  description = "5xx answers from the API targets per minute before alarming."
  type        = number
  default     = 10
}

variable "alarm_email" {
  description = "E-mail subscribed to the topic (empty: none)."
  type        = string
  default     = ""
}
