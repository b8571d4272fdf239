output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "CIDR of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "Public subnets (ALB)."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "Private subnets (ECS, MWAA, RDS)."
  value       = aws_subnet.private[*].id
}

output "interface_endpoint_services" {
  description = "Service names of the interface endpoints."
  value       = sort([for e in aws_vpc_endpoint.interface : e.service_name])
}
