variable "name" {
  description = "Name prefix of the network resources."
  type        = string
}

variable "region" {
  description = "AWS region (for the VPC endpoint service names)."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR of the VPC."
  type        = string
}

variable "availability_zones" {
  description = "One AZ per subnet pair."
  type        = list(string)
}

variable "public_subnet_cidrs" {
  description = "Public subnets (ALB, NAT gateway), one per AZ."
  type        = list(string)
}

variable "private_subnet_cidrs" {
  description = "Private subnets (ECS, MWAA, RDS), one per AZ."
  type        = list(string)
}

variable "flow_log_retention_days" {
  description = "Retention of the VPC flow log group (security evidence: one year)."
  type        = number
  default     = 365
}
