locals {
  groups = {
    alb         = "ALB: HTTP/HTTPS from the internet"
    ecs         = "ECS: Dagster webserver/daemon/runs, only from the ALB, MWAA and the HTTP API"
    api         = "ECS: the HTTP API, only from the ALB"
    code_server = "ECS: Dagster gRPC code server, only from the Dagster services"
    mlflow      = "ECS: MLflow server, from the ALB and the Dagster runs"
    mwaa        = "MWAA environment (self-referencing, as MWAA requires)"
    rds         = "RDS MySQL: 3306 from the platform's workloads only"
  }

  # Who may reach which group on which port: the whole inbound surface of the platform.
  # `source` is another group of this module; `cidr` an address range; `self` the group itself.
  ingress = {
    alb_http_internet       = { group = "alb", port = 80, cidr = "0.0.0.0/0", source = null, self = false, description = "HTTP (redirected to HTTPS)" }
    alb_https_internet      = { group = "alb", port = 443, cidr = "0.0.0.0/0", source = null, self = false, description = "HTTPS" }
    api_from_alb            = { group = "api", port = 8000, source = "alb", cidr = null, self = false, description = "HTTP API" }
    ecs_webserver_from_alb  = { group = "ecs", port = 3000, source = "alb", cidr = null, self = false, description = "Dagster UI" }
    ecs_webserver_from_mwaa = { group = "ecs", port = 3000, source = "mwaa", cidr = null, self = false, description = "Dagster GraphQL from the Airflow DAGs" }
    ecs_webserver_from_api  = { group = "ecs", port = 3000, source = "api", cidr = null, self = false, description = "Dagster GraphQL from the HTTP API" }
    code_server_from_ecs    = { group = "code_server", port = 4000, source = "ecs", cidr = null, self = false, description = "gRPC from webserver and daemon" }
    mlflow_from_alb         = { group = "mlflow", port = 5000, source = "alb", cidr = null, self = false, description = "MLflow UI" }
    mlflow_from_ecs         = { group = "mlflow", port = 5000, source = "ecs", cidr = null, self = false, description = "MLflow tracking from runs" }
    mwaa_self               = { group = "mwaa", port = -1, self = true, cidr = null, source = null, description = "MWAA components among themselves" }
    rds_from_ecs            = { group = "rds", port = 3306, source = "ecs", cidr = null, self = false, description = "MySQL from Dagster" }
    rds_from_api            = { group = "rds", port = 3306, source = "api", cidr = null, self = false, description = "MySQL from the API's health check" }
    rds_from_code_server    = { group = "rds", port = 3306, source = "code_server", cidr = null, self = false, description = "MySQL from sensor evaluations" }
    rds_from_mlflow         = { group = "rds", port = 3306, source = "mlflow", cidr = null, self = false, description = "MLflow backend store" }
    rds_from_mwaa           = { group = "rds", port = 3306, source = "mwaa", cidr = null, self = false, description = "MySQL from the Airflow DAGs" }
  }

  # Outbound (RDS has none: security groups are stateful, replies need no rule): HTTPS anywhere (AWS APIs, Google Drive, Slack) plus the internal ports.
  egress = {
    alb_to_vpc         = { group = "alb", port = -1, cidr = var.vpc_cidr, source = null, self = false, description = "to the targets in the VPC" }
    ecs_https          = { group = "ecs", port = 443, cidr = "0.0.0.0/0", source = null, self = false, description = "AWS APIs, Drive, Slack" }
    ecs_to_code_server = { group = "ecs", port = 4000, source = "code_server", cidr = null, self = false, description = "gRPC code server" }
    ecs_to_mlflow      = { group = "ecs", port = 5000, source = "mlflow", cidr = null, self = false, description = "MLflow tracking" }
    ecs_to_rds         = { group = "ecs", port = 3306, source = "rds", cidr = null, self = false, description = "MySQL" }
    api_https          = { group = "api", port = 443, cidr = "0.0.0.0/0", source = null, self = false, description = "Secrets Manager, ECR, CloudWatch Logs" }
    api_to_webserver   = { group = "api", port = 3000, source = "ecs", cidr = null, self = false, description = "Dagster GraphQL" }
    api_to_rds         = { group = "api", port = 3306, source = "rds", cidr = null, self = false, description = "MySQL" }
    code_server_https  = { group = "code_server", port = 443, cidr = "0.0.0.0/0", source = null, self = false, description = "AWS APIs, Drive" }
    code_server_to_rds = { group = "code_server", port = 3306, source = "rds", cidr = null, self = false, description = "MySQL" }
    mlflow_https       = { group = "mlflow", port = 443, cidr = "0.0.0.0/0", source = null, self = false, description = "S3 artifacts, AWS APIs" }
    mlflow_to_rds      = { group = "mlflow", port = 3306, source = "rds", cidr = null, self = false, description = "MySQL backend" }
    mwaa_https         = { group = "mwaa", port = 443, cidr = "0.0.0.0/0", source = null, self = false, description = "AWS APIs, the HTTP API through the ALB" }
    mwaa_self          = { group = "mwaa", port = -1, self = true, cidr = null, source = null, description = "MWAA components among themselves" }
    mwaa_to_rds        = { group = "mwaa", port = 3306, source = "rds", cidr = null, self = false, description = "MySQL" }
  }
}

resource "aws_security_group" "this" {
  for_each    = local.groups
  name        = "${var.name}-${replace(each.key, "_", "-")}"
  description = each.value
  vpc_id      = var.vpc_id
  tags        = { Name = "${var.name}-${replace(each.key, "_", "-")}" }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "this" {
  for_each                     = local.ingress
  security_group_id            = aws_security_group.this[each.value.group].id
  description                  = each.value.description
  ip_protocol                  = each.value.port == -1 ? "-1" : "tcp"
  from_port                    = each.value.port == -1 ? null : each.value.port
  to_port                      = each.value.port == -1 ? null : each.value.port
  cidr_ipv4                    = each.value.cidr
  referenced_security_group_id = each.value.self ? aws_security_group.this[each.value.group].id : (each.value.source == null ? null : aws_security_group.this[each.value.source].id)
}

resource "aws_vpc_security_group_egress_rule" "this" {
  for_each                     = local.egress
  security_group_id            = aws_security_group.this[each.value.group].id
  description                  = each.value.description
  ip_protocol                  = each.value.port == -1 ? "-1" : "tcp"
  from_port                    = each.value.port == -1 ? null : each.value.port
  to_port                      = each.value.port == -1 ? null : each.value.port
  cidr_ipv4                    = each.value.cidr
  referenced_security_group_id = each.value.self ? aws_security_group.this[each.value.group].id : (each.value.source == null ? null : aws_security_group.this[each.value.source].id)
}
