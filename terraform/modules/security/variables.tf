variable "name" {
  description = "Name prefix of the security groups."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the security groups."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR of the VPC (destination of internal egress)."
  type        = string
}
