locals {
  image     = "${aws_ecr_repository.this.repository_url}:${var.image_tag}"
  namespace = "${var.name}.internal"

  code_server_host = "code-server.${local.namespace}"
  mlflow_internal  = "mlflow.${local.namespace}"

  # What every Dagster process (webserver, daemon, code server, runs) and the API gets.
  common_environment = {
    FACTURAS_ENV                = "prod"
    AWS_REGION                  = var.region
    MLFLOW_TRACKING_URI         = "http://${local.mlflow_internal}:5000"
    DAGSTER_MYSQL_HOST          = var.db_host
    DAGSTER_MYSQL_PORT          = tostring(var.db_port)
    DAGSTER_MYSQL_DB            = "dagster"
    DAGSTER_RUN_TASK_DEFINITION = var.run_task_family
    DAGSTER_COMPUTE_LOG_BUCKET  = var.compute_log_bucket
    DAGSTER_CODE_SERVER_HOST    = local.code_server_host
  }
  # The application login written by the bootstrap task; JSON keys picked by ECS at start.
  common_secrets = {
    DAGSTER_MYSQL_USER     = "${var.mysql_secret_arn}:username::"
    DAGSTER_MYSQL_PASSWORD = "${var.mysql_secret_arn}:password::"
  }

  workspace = "/opt/dagster/workspace.yaml"

  # Long-running services. `role` selects the image's health check (deploy/healthcheck.py).
  services = {
    dagster-webserver = {
      role    = "webserver", cpu = 1024, memory = 2048, port = 3000, target = "dagster"
      command = ["dagster-webserver", "-h", "0.0.0.0", "-p", "3000", "-w", local.workspace]
      log     = "dagster", sg = "ecs", task_role = var.task_role_arn, desired = 1, discovery = "dagster-webserver"
    }
    dagster-daemon = {
      role    = "daemon", cpu = 1024, memory = 2048, port = null, target = null
      command = ["dagster-daemon", "run", "-w", local.workspace]
      log     = "dagster", sg = "ecs", task_role = var.task_role_arn, desired = 1, discovery = null
    }
    dagster-code-server = {
      role    = "code-server", cpu = 1024, memory = 4096, port = 4000, target = null
      command = ["dagster", "code-server", "start", "-h", "0.0.0.0", "-p", "4000", "-m", "facturas_assets.definitions", "--location-name", "facturas"]
      log     = "dagster", sg = "code_server", task_role = var.task_role_arn, desired = 1, discovery = "code-server"
    }
    # X-Forwarded-* headers are believed only from the VPC (the ALB's nodes), never from clients.
    fastapi = {
      role    = "api", cpu = 1024, memory = 2048, port = 8000, target = "api"
      command = ["uvicorn", "facturas_assets.api.app:app", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers", "--forwarded-allow-ips", var.vpc_cidr]
      log     = "api", sg = "api", task_role = var.api_task_role_arn, desired = var.api_min_tasks, discovery = null
    }
    mlflow = {
      role    = "mlflow", cpu = 512, memory = 1024, port = 5000, target = "mlflow"
      command = ["python", "/opt/facturas/deploy/mlflow_server.py"]
      log     = "mlflow", sg = "mlflow", task_role = var.mlflow_role_arn, desired = 1, discovery = "mlflow"
    }
  }

  # Environment and secrets per service on top of the common ones.
  extra_environment = {
    # The API is a client of the webserver's GraphQL API; its answers link to the public UI.
    fastapi = {
      DAGSTER_GRAPHQL_URL = "http://dagster-webserver.${local.namespace}:3000/graphql"
      DAGSTER_UI_URL      = "https://${var.dagster_public_host}"
    }
    mlflow = {
      MLFLOW_ARTIFACTS_BUCKET = var.mlflow_artifacts_bucket
      MLFLOW_ALLOWED_HOSTS    = join(",", [var.mlflow_public_host, local.mlflow_internal, "${local.mlflow_internal}:5000", "10.0.*"])
    }
  }
  extra_secrets = {
    mlflow = { MLFLOW_DB_CREDENTIALS = var.mysql_secret_arn }
  }

  # Writable scratch space on a read-only root file system.
  mount_points = [
    { sourceVolume = "tmp", containerPath = "/tmp", readOnly = false },
    { sourceVolume = "dagster-storage", containerPath = "/opt/dagster/dagster_home/storage", readOnly = false },
  ]
}

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
    base              = 0
  }
}

resource "aws_service_discovery_private_dns_namespace" "this" {
  name        = local.namespace
  description = "Internal names of the platform's services"
  vpc         = var.vpc_id
}

resource "aws_service_discovery_service" "this" {
  for_each = toset(["code-server", "mlflow", "dagster-webserver"])
  name     = each.key

  dns_config {
    namespace_id   = aws_service_discovery_private_dns_namespace.this.id
    routing_policy = "MULTIVALUE"
    dns_records {
      type = "A"
      ttl  = 10
    }
  }

  health_check_custom_config {
    failure_threshold = 1
  }
}

resource "aws_ecs_task_definition" "service" {
  for_each                 = local.services
  family                   = each.key
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = each.value.cpu
  memory                   = each.value.memory
  execution_role_arn       = var.execution_role_arn
  task_role_arn            = each.value.task_role

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  volume {
    name = "tmp"
  }
  volume {
    name = "dagster-storage"
  }

  container_definitions = jsonencode([
    {
      name                   = each.key
      image                  = local.image
      essential              = true
      command                = each.value.command
      readonlyRootFilesystem = true
      mountPoints            = local.mount_points
      portMappings           = each.value.port == null ? [] : [{ containerPort = each.value.port, protocol = "tcp" }]
      environment = [
        for k, v in merge(local.common_environment, { FACTURAS_ROLE = each.value.role }, lookup(local.extra_environment, each.key, {})) :
        { name = k, value = v }
      ]
      secrets = [
        for k, v in merge(each.key == "mlflow" ? {} : local.common_secrets, lookup(local.extra_secrets, each.key, {})) :
        { name = k, valueFrom = v }
      ]
      healthCheck = {
        command     = ["CMD", "python", "/opt/facturas/deploy/healthcheck.py"]
        interval    = 30
        timeout     = 10
        retries     = 3
        startPeriod = 120
      }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = var.log_groups[each.value.log]
          awslogs-region        = var.region
          awslogs-stream-prefix = each.key
        }
      }
    }
  ])
}

# Dagster runs: EcsRunLauncher starts one task of this definition per run and overrides the
# command and, through the ecs/cpu and ecs/memory run tags, the size.
resource "aws_ecs_task_definition" "run" {
  family                   = var.run_task_family
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 1024
  memory                   = 4096
  execution_role_arn       = var.execution_role_arn
  task_role_arn            = var.task_role_arn

  ephemeral_storage {
    size_in_gib = 50 # a batch of scanned PDFs rasterised for OCR
  }

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  volume {
    name = "tmp"
  }
  volume {
    name = "dagster-storage"
  }

  container_definitions = jsonencode([
    {
      name                   = "run"
      image                  = local.image
      essential              = true
      readonlyRootFilesystem = true
      mountPoints            = local.mount_points
      environment            = [for k, v in merge(local.common_environment, { FACTURAS_ROLE = "run" }) : { name = k, value = v }]
      secrets                = [for k, v in local.common_secrets : { name = k, valueFrom = v }]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = var.log_groups["dagster"]
          awslogs-region        = var.region
          awslogs-stream-prefix = "run"
        }
      }
    }
  ])
}

# The old on-demand training task (8 vCPU / 32 GB), started by MWAA's train_invoice_model_aws:
# it executes training_job in-process against the production instance.
resource "aws_ecs_task_definition" "training" {
  family                   = var.training_task_family
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 8192
  memory                   = 32768
  execution_role_arn       = var.execution_role_arn
  task_role_arn            = var.task_role_arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  volume {
    name = "tmp"
  }
  volume {
    name = "dagster-storage"
  }

  container_definitions = jsonencode([
    {
      name                   = "run"
      image                  = local.image
      essential              = true
      command                = ["dagster", "job", "execute", "-m", "facturas_assets.definitions", "-j", "training_job"]
      readonlyRootFilesystem = true
      mountPoints            = local.mount_points
      environment            = [for k, v in merge(local.common_environment, { FACTURAS_ROLE = "run" }) : { name = k, value = v }]
      secrets                = [for k, v in local.common_secrets : { name = k, valueFrom = v }]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = var.log_groups["training"]
          awslogs-region        = var.region
          awslogs-stream-prefix = "training"
        }
      }
    }
  ])
}

# One-off: databases, application user and its secret on a fresh RDS instance (docs/deploy.md).
resource "aws_ecs_task_definition" "db_bootstrap" {
  family                   = "${var.name}-db-bootstrap"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = var.execution_role_arn
  task_role_arn            = var.db_bootstrap_role_arn

  volume {
    name = "tmp"
  }

  container_definitions = jsonencode([
    {
      name                   = "bootstrap"
      image                  = local.image
      essential              = true
      command                = ["python", "/opt/facturas/deploy/bootstrap_mysql.py"]
      readonlyRootFilesystem = true
      mountPoints            = [local.mount_points[0]]
      environment = [
        { name = "FACTURAS_ROLE", value = "task" },
        { name = "AWS_REGION", value = var.region },
        { name = "MYSQL_HOST", value = var.db_host },
        { name = "MYSQL_PORT", value = tostring(var.db_port) },
      ]
      secrets = [{ name = "MYSQL_ADMIN_CREDENTIALS", valueFrom = var.master_user_secret_arn }]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = var.log_groups["dagster"]
          awslogs-region        = var.region
          awslogs-stream-prefix = "db-bootstrap"
        }
      }
    }
  ])
}

resource "aws_ecs_service" "this" {
  for_each        = local.services
  name            = each.key
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.service[each.key].arn
  desired_count   = each.value.desired
  # The daemon runs on plain FARGATE: EcsRunLauncher copies its launch type to every run and
  # cannot copy a capacity provider strategy. The API scales out on Spot above its base of
  # on-demand tasks; the other services stay on on-demand Fargate.
  launch_type = each.key == "fastapi" ? null : "FARGATE"

  dynamic "capacity_provider_strategy" {
    for_each = each.key == "fastapi" ? [{ provider = "FARGATE", base = var.api_min_tasks, weight = 1 }, { provider = "FARGATE_SPOT", base = 0, weight = 3 }] : []
    content {
      capacity_provider = capacity_provider_strategy.value.provider
      base              = capacity_provider_strategy.value.base
      weight            = capacity_provider_strategy.value.weight
    }
  }

  propagate_tags                     = "SERVICE"
  enable_ecs_managed_tags            = true
  deployment_minimum_healthy_percent = each.key == "dagster-daemon" ? 0 : 100
  deployment_maximum_percent         = each.key == "dagster-daemon" ? 100 : 200
  health_check_grace_period_seconds  = each.value.target == null ? null : 180

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [var.security_group_ids[each.value.sg]]
    assign_public_ip = false
  }

  dynamic "load_balancer" {
    for_each = each.value.target == null ? [] : [each.value.target]
    content {
      target_group_arn = var.target_group_arns[load_balancer.value]
      container_name   = each.key
      container_port   = each.value.port
    }
  }

  dynamic "service_registries" {
    for_each = each.value.discovery == null ? [] : [each.value.discovery]
    content {
      registry_arn = aws_service_discovery_service.this[service_registries.value].arn
    }
  }

  lifecycle {
    # The API's task count belongs to its autoscaling policies after the first apply.
    ignore_changes = [desired_count]
  }

  depends_on = [aws_ecs_cluster_capacity_providers.this]
}

# ---- HTTP API autoscaling: 2-10 tasks, target tracking on CPU and memory ----
resource "aws_appautoscaling_target" "api" {
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.this["fastapi"].name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.api_min_tasks
  max_capacity       = var.api_max_tasks
}

resource "aws_appautoscaling_policy" "api" {
  for_each = {
    cpu    = { metric = "ECSServiceAverageCPUUtilization", target = var.api_cpu_target }
    memory = { metric = "ECSServiceAverageMemoryUtilization", target = var.api_memory_target }
  }
  name               = "${var.name}-api-${each.key}"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.api.service_namespace
  resource_id        = aws_appautoscaling_target.api.resource_id
  scalable_dimension = aws_appautoscaling_target.api.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = each.value.target
    scale_out_cooldown = var.scale_out_cooldown
    scale_in_cooldown  = var.scale_in_cooldown
    predefined_metric_specification {
      predefined_metric_type = each.value.metric
    }
  }
}
