# Network layout and which security group may reach which port.

mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:mock" }
  }
}

run "network" {
  command = apply

  module {
    source = "./modules/network"
  }

  variables {
    name                 = "facturas"
    region               = "us-east-1"
    vpc_cidr             = "10.0.0.0/16"
    availability_zones   = ["us-east-1a", "us-east-1b"]
    public_subnet_cidrs  = ["10.0.0.0/24", "10.0.1.0/24"]
    private_subnet_cidrs = ["10.0.10.0/24", "10.0.11.0/24"]
  }

  assert {
    condition     = aws_vpc.this.cidr_block == "10.0.0.0/16" && aws_vpc.this.enable_dns_hostnames
    error_message = "VPC must be 10.0.0.0/16 with DNS hostnames"
  }
  assert {
    condition     = [for s in aws_subnet.public : s.cidr_block] == ["10.0.0.0/24", "10.0.1.0/24"]
    error_message = "public subnets must be 10.0.0.0/24 and 10.0.1.0/24"
  }
  assert {
    condition     = [for s in aws_subnet.private : s.cidr_block] == ["10.0.10.0/24", "10.0.11.0/24"]
    error_message = "private subnets must be 10.0.10.0/24 and 10.0.11.0/24"
  }
  assert {
    condition     = length(distinct([for s in aws_subnet.private : s.availability_zone])) == 2 && length(distinct([for s in aws_subnet.public : s.availability_zone])) == 2
    error_message = "subnets must span two availability zones"
  }
  assert {
    condition     = alltrue([for s in aws_subnet.public : !s.map_public_ip_on_launch])
    error_message = "nothing gets a public IP by default"
  }
  assert {
    condition     = aws_route.public_internet.gateway_id == aws_internet_gateway.this.id && aws_route.private_nat.nat_gateway_id == aws_nat_gateway.this.id
    error_message = "public subnets route through the internet gateway, private ones through the NAT"
  }
  assert {
    condition     = aws_nat_gateway.this.subnet_id == aws_subnet.public[0].id
    error_message = "the NAT gateway lives in a public subnet"
  }
  assert {
    condition     = aws_vpc_endpoint.s3.vpc_endpoint_type == "Gateway" && aws_vpc_endpoint.s3.service_name == "com.amazonaws.us-east-1.s3"
    error_message = "S3 is reached through a gateway endpoint"
  }
  assert {
    condition = output.interface_endpoint_services == sort([
      "com.amazonaws.us-east-1.ecr.api", "com.amazonaws.us-east-1.ecr.dkr",
      "com.amazonaws.us-east-1.logs", "com.amazonaws.us-east-1.secretsmanager",
    ])
    error_message = "interface endpoints: ECR (api, dkr), CloudWatch Logs, Secrets Manager"
  }
  assert {
    condition     = alltrue([for e in aws_vpc_endpoint.interface : e.private_dns_enabled && e.vpc_endpoint_type == "Interface"])
    error_message = "interface endpoints resolve the public service names privately"
  }
}

run "security_groups" {
  command = apply

  module {
    source = "./modules/security"
  }

  variables {
    name     = "facturas"
    vpc_id   = "vpc-0123456789abcdef0"
    vpc_cidr = "10.0.0.0/16"
  }

  # The whole inbound surface, as (group, port, source) triples.
  assert {
    condition = toset([for r in output.ingress : "${r.group}:${r.port}<-${r.source}"]) == toset([
      "alb:80<-0.0.0.0/0",
      "alb:443<-0.0.0.0/0",
      "api:8000<-alb",
      "ecs:3000<-alb",
      "ecs:3000<-mwaa",
      "ecs:3000<-api",
      "code_server:4000<-ecs",
      "mlflow:5000<-alb",
      "mlflow:5000<-ecs",
      "mwaa:-1<-mwaa",
      "rds:3306<-ecs",
      "rds:3306<-api",
      "rds:3306<-code_server",
      "rds:3306<-mlflow",
      "rds:3306<-mwaa",
    ])
    error_message = "unexpected inbound rule set"
  }
  # Only the ALB is open to the internet, and only on 80/443.
  assert {
    condition     = toset([for k, r in aws_vpc_security_group_ingress_rule.this : "${r.security_group_id}:${r.from_port}" if r.cidr_ipv4 != null]) == toset(["${aws_security_group.this["alb"].id}:80", "${aws_security_group.this["alb"].id}:443"])
    error_message = "only the ALB may accept traffic from an address range"
  }
  # The rules really reference the groups they name.
  assert {
    condition     = aws_vpc_security_group_ingress_rule.this["api_from_alb"].referenced_security_group_id == aws_security_group.this["alb"].id && aws_vpc_security_group_ingress_rule.this["api_from_alb"].security_group_id == aws_security_group.this["api"].id
    error_message = "the API port must be open to the ALB group only"
  }
  assert {
    condition     = toset([for k, r in aws_vpc_security_group_ingress_rule.this : k if r.referenced_security_group_id == aws_security_group.this["api"].id]) == toset(["ecs_webserver_from_api", "rds_from_api"])
    error_message = "the API reaches the Dagster webserver and MySQL, nothing else inside the VPC"
  }
  assert {
    condition = alltrue([
      for k in ["rds_from_ecs", "rds_from_api", "rds_from_code_server", "rds_from_mlflow", "rds_from_mwaa"] :
      aws_vpc_security_group_ingress_rule.this[k].security_group_id == aws_security_group.this["rds"].id && aws_vpc_security_group_ingress_rule.this[k].from_port == 3306 && aws_vpc_security_group_ingress_rule.this[k].to_port == 3306
    ])
    error_message = "RDS accepts 3306 and nothing else"
  }
  assert {
    condition     = aws_vpc_security_group_ingress_rule.this["rds_from_mwaa"].referenced_security_group_id == aws_security_group.this["mwaa"].id
    error_message = "MWAA reaches RDS through its own group"
  }
  assert {
    condition     = length([for k, r in aws_vpc_security_group_egress_rule.this : k if r.security_group_id == aws_security_group.this["rds"].id]) == 0
    error_message = "RDS opens no outbound connection"
  }
}
