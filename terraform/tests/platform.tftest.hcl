# Data, compute, scaling, monitoring and MWAA settings of the original design, module by module,
# then the whole root module wired together.

mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:user/mock" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_elb_service_account" {
    defaults = { arn = "arn:aws:iam::127311923021:root" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::mock-bucket" }
  }
  mock_resource "aws_secretsmanager_secret" {
    defaults = { arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:mock-AbCdEf" }
  }
  mock_resource "aws_db_instance" {
    defaults = {
      address = "textil-mysql.abcdefghijkl.us-east-1.rds.amazonaws.com"
      port    = 3306
      master_user_secret = [{
        secret_arn    = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-mock-AbCdEf"
        kms_key_id    = "arn:aws:kms:us-east-1:123456789012:key/mock"
        secret_status = "active"
      }]
    }
  }
  mock_resource "aws_lb" {
    defaults = {
      arn        = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/facturas/0123456789abcdef"
      arn_suffix = "app/facturas/0123456789abcdef"
      dns_name   = "facturas-123.us-east-1.elb.amazonaws.com"
    }
  }
  mock_resource "aws_lb_target_group" {
    defaults = {
      arn        = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/facturas/0123456789abcdef"
      arn_suffix = "targetgroup/facturas/0123456789abcdef"
    }
  }
  mock_resource "aws_lb_listener" {
    defaults = { arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/facturas/0123456789abcdef/0123456789abcdef" }
  }
  mock_resource "aws_cognito_user_pool" {
    defaults = { arn = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Mock" }
  }
  mock_resource "aws_wafv2_web_acl" {
    defaults = { arn = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/facturas/mock" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:mock" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:us-east-1:123456789012:facturas-alarms" }
  }
  mock_resource "aws_ecr_repository" {
    defaults = { repository_url = "123456789012.dkr.ecr.us-east-1.amazonaws.com/facturas" }
  }
  mock_resource "aws_ecs_cluster" {
    defaults = { arn = "arn:aws:ecs:us-east-1:123456789012:cluster/facturas" }
  }
  mock_resource "aws_ecs_task_definition" {
    defaults = { arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/mock:1" }
  }
  mock_resource "aws_service_discovery_service" {
    defaults = { arn = "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-mock" }
  }
  mock_resource "aws_mwaa_environment" {
    defaults = { arn = "arn:aws:airflow:us-east-1:123456789012:environment/etl-facturas-airflow" }
  }
}

variables {
  domain_name            = "facturas.example.com"
  certificate_arn        = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
  cognito_domain_prefix  = "facturas-test"
  image_tag              = "test"
  mwaa_requirements_file = "tests/fixtures/requirements.txt"
}

run "buckets" {
  command = apply
  module {
    source = "./modules/storage"
  }
  variables {
    buckets = {
      "mes-en-curso"              = null
      "textil-modelos"            = null
      "textil-mlflow-artifacts"   = 180
      "etl-facturas-airflow-dags" = null
      "textil-drift-data"         = 30
    }
    landing_bucket    = "mes-en-curso"
    access_log_bucket = "textil-access-logs"
  }

  assert {
    condition     = output.names == sort(["mes-en-curso", "textil-modelos", "textil-mlflow-artifacts", "etl-facturas-airflow-dags", "textil-drift-data"])
    error_message = "the five buckets keep their names"
  }
  assert {
    condition     = alltrue([for v in aws_s3_bucket_versioning.this : v.versioning_configuration[0].status == "Enabled"])
    error_message = "versioning on every bucket"
  }
  assert {
    condition     = alltrue([for e in aws_s3_bucket_server_side_encryption_configuration.this : one(one(e.rule).apply_server_side_encryption_by_default).sse_algorithm == "AES256"])
    error_message = "AES256 on every bucket"
  }
  assert {
    condition     = alltrue([for p in aws_s3_bucket_public_access_block.this : p.block_public_acls && p.block_public_policy && p.ignore_public_acls && p.restrict_public_buckets])
    error_message = "public access blocked on every bucket"
  }
  assert {
    condition = {
      for name, l in aws_s3_bucket_lifecycle_configuration.this : name => one(flatten([for r in l.rule : [for e in r.expiration : e.days] if r.id == "expire-current"]))
      } == {
      "mes-en-curso"              = null
      "textil-modelos"            = null
      "textil-mlflow-artifacts"   = 180
      "etl-facturas-airflow-dags" = null
      "textil-drift-data"         = 30
      "textil-access-logs"        = 90
    }
    error_message = "bucket-wide lifecycles: landing none (per zone, storage.tftest.hcl), models none, MLflow 180 d, DAGs none, drift 30 d"
  }
}

run "secrets" {
  command = apply
  module {
    source = "./modules/secrets"
  }
  variables {
    secrets = {
      "textil/mysql/credentials" = "a"
      "textil/aws/credentials"   = "b"
      "textil/google/oauth"      = "c"
      "textil/slack/webhook"     = "d"
    }
  }
  assert {
    condition     = sort([for s in aws_secretsmanager_secret.this : s.name]) == sort(["textil/mysql/credentials", "textil/aws/credentials", "textil/google/oauth", "textil/slack/webhook"])
    error_message = "the four secrets keep their names"
  }
}

run "database" {
  command = apply
  module {
    source = "./modules/database"
  }
  variables {
    identifier        = "textil-mysql"
    subnet_ids        = ["subnet-a", "subnet-b"]
    security_group_id = "sg-rds"
  }
  assert {
    condition     = aws_db_instance.this.engine == "mysql" && startswith(aws_db_instance.this.engine_version, "8.0") && aws_db_instance.this.instance_class == "db.t3.medium"
    error_message = "RDS MySQL 8.0 on db.t3.medium"
  }
  assert {
    condition     = aws_db_instance.this.multi_az && aws_db_instance.this.storage_encrypted && !aws_db_instance.this.publicly_accessible
    error_message = "Multi-AZ, encrypted, private"
  }
  assert {
    condition     = aws_db_instance.this.allocated_storage == 100 && aws_db_instance.this.max_allocated_storage == 1000 && aws_db_instance.this.storage_type == "gp3"
    error_message = "100 GB gp3 autoscaling to 1 TB"
  }
  assert {
    condition     = aws_db_instance.this.backup_retention_period == 7 && aws_db_instance.this.manage_master_user_password
    error_message = "7-day backups; master password managed in Secrets Manager"
  }
  assert {
    condition     = aws_db_instance.this.vpc_security_group_ids == toset(["sg-rds"]) && aws_db_subnet_group.this.subnet_ids == toset(["subnet-a", "subnet-b"])
    error_message = "RDS sits in the private subnets behind its own group"
  }
}

run "iam" {
  command = apply
  module {
    source = "./modules/iam"
  }
  variables {
    name                 = "facturas"
    region               = "us-east-1"
    cluster_name         = "facturas"
    run_task_family      = "facturas-run"
    training_task_family = "model-training"
    bucket_arns          = ["arn:aws:s3:::mes-en-curso"]
    mlflow_bucket_arn    = "arn:aws:s3:::textil-mlflow-artifacts"
    dags_bucket_arn      = "arn:aws:s3:::etl-facturas-airflow-dags"
    secret_arns = {
      "textil/mysql/credentials" = "arn:aws:secretsmanager:us-east-1:123456789012:secret:textil/mysql/credentials-AbCdEf"
      "textil/slack/webhook"     = "arn:aws:secretsmanager:us-east-1:123456789012:secret:textil/slack/webhook-AbCdEf"
      "textil/api/token"         = "arn:aws:secretsmanager:us-east-1:123456789012:secret:textil/api/token-AbCdEf"
    }
    mysql_secret_name      = "textil/mysql/credentials"
    api_token_secret_name  = "textil/api/token"
    master_user_secret_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-AbCdEf"
    dagster_log_group      = "/ecs/dagster"
    mwaa_environment_name  = "etl-facturas-airflow"
    metric_namespace       = "Textil/Facturas"
  }
  # The task role may launch, watch, tag and stop run tasks and pass the two ECS roles: no more
  # ECS/IAM power than EcsRunLauncher uses.
  assert {
    condition = toset(flatten([for s in data.aws_iam_policy_document.task.statement : s.actions if anytrue([for a in s.actions : startswith(a, "ecs:") || startswith(a, "iam:")])])) == toset([
      "ecs:RunTask", "ecs:DescribeTasks", "ecs:StopTask", "ecs:TagResource", "ecs:DescribeTaskDefinition", "iam:PassRole", "ec2:DescribeNetworkInterfaces",
    ])
    error_message = "the run launcher's ECS/IAM permissions changed"
  }
  assert {
    condition     = one([for s in data.aws_iam_policy_document.task.statement : s.resources if s.sid == "LaunchRuns"]) == toset(["arn:aws:ecs:us-east-1:123456789012:task-definition/facturas-run:*"])
    error_message = "runs may only use the run task definition"
  }
  assert {
    condition     = one([for s in data.aws_iam_policy_document.task.statement : s.resources if s.sid == "PassRunRoles"]) == toset(["arn:aws:iam::123456789012:role/facturas-ecs-task-execution", "arn:aws:iam::123456789012:role/facturas-ecs-task"])
    error_message = "PassRole only on the two ECS roles"
  }
  # The HTTP API talks to Dagster over HTTP: its own role reads its token and the MySQL login of
  # its health check, and can do nothing else (no RunTask, PassRole, S3, other secrets).
  assert {
    condition     = aws_iam_role.api.name == "facturas-api-task" && aws_iam_role_policy.api.role == aws_iam_role.api.id
    error_message = "the HTTP API has a role of its own"
  }
  assert {
    condition     = toset(flatten([for s in data.aws_iam_policy_document.api.statement : s.actions])) == toset(["secretsmanager:GetSecretValue"])
    error_message = "the API's role may only read secrets"
  }
  assert {
    condition = toset(flatten([for s in data.aws_iam_policy_document.api.statement : s.resources])) == toset([
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:textil/api/token-AbCdEf",
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:textil/mysql/credentials-AbCdEf",
    ])
    error_message = "the API's role reads its token and the MySQL login only"
  }
  assert {
    condition     = alltrue([for s in data.aws_iam_policy_document.api.statement : length(coalesce(s.not_actions, [])) == 0 && length(coalesce(s.not_resources, [])) == 0 && s.effect != "Deny"])
    error_message = "no NotAction/NotResource grants in the API's role"
  }
  assert {
    condition     = !contains(one([for s in data.aws_iam_policy_document.task.statement : s.resources if s.sid == "ReadSecrets"]), "arn:aws:secretsmanager:us-east-1:123456789012:secret:textil/api/token-AbCdEf")
    error_message = "the Dagster role does not read the API token"
  }
}

run "ecs" {
  command = apply
  module {
    source = "./modules/ecs"
  }
  variables {
    name                    = "facturas"
    region                  = "us-east-1"
    vpc_id                  = "vpc-1"
    subnet_ids              = ["subnet-a", "subnet-b"]
    security_group_ids      = { ecs = "sg-ecs", api = "sg-api", code_server = "sg-code", mlflow = "sg-mlflow" }
    target_group_arns       = { api = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/1", dagster = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/dagster/1", mlflow = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/mlflow/1" }
    execution_role_arn      = "arn:aws:iam::123456789012:role/exec"
    task_role_arn           = "arn:aws:iam::123456789012:role/task"
    api_task_role_arn       = "arn:aws:iam::123456789012:role/api"
    vpc_cidr                = "10.0.0.0/16"
    dagster_public_host     = "dagster.facturas.example.com"
    mlflow_role_arn         = "arn:aws:iam::123456789012:role/mlflow"
    db_bootstrap_role_arn   = "arn:aws:iam::123456789012:role/bootstrap"
    mysql_secret_arn        = "arn:aws:secretsmanager:us-east-1:123456789012:secret:textil/mysql/credentials-AbCdEf"
    master_user_secret_arn  = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-AbCdEf"
    db_host                 = "db.internal"
    db_port                 = 3306
    compute_log_bucket      = "textil-dagster-compute-logs"
    mlflow_artifacts_bucket = "textil-mlflow-artifacts"
    mlflow_public_host      = "mlflow.facturas.example.com"
    run_task_family         = "facturas-run"
    training_task_family    = "model-training"
    log_groups              = { dagster = "/ecs/dagster", api = "/ecs/fastapi", training = "/ecs/model-training", mlflow = "/ecs/mlflow" }
  }
  assert {
    condition     = toset(aws_ecs_cluster_capacity_providers.this.capacity_providers) == toset(["FARGATE", "FARGATE_SPOT"])
    error_message = "Fargate and Fargate Spot"
  }
  assert {
    condition     = output.service_names == sort(["dagster-webserver", "dagster-daemon", "dagster-code-server", "fastapi", "mlflow"])
    error_message = "services: webserver, daemon, code server, HTTP API, MLflow"
  }
  assert {
    condition     = aws_ecs_service.this["dagster-daemon"].launch_type == "FARGATE"
    error_message = "the daemon must run on plain FARGATE (EcsRunLauncher copies its launch type)"
  }
  assert {
    condition     = aws_appautoscaling_target.api.min_capacity == 2 && aws_appautoscaling_target.api.max_capacity == 10
    error_message = "the API scales between 2 and 10 tasks"
  }
  assert {
    condition = {
      for k, p in aws_appautoscaling_policy.api : k => [
        one(p.target_tracking_scaling_policy_configuration).target_value,
        one(p.target_tracking_scaling_policy_configuration).scale_out_cooldown,
        one(p.target_tracking_scaling_policy_configuration).scale_in_cooldown,
      ]
    } == { cpu = [70, 60, 300], memory = [80, 60, 300] }
    error_message = "target tracking CPU 70 % / memory 80 %, cooldowns 60 s out / 300 s in"
  }
  assert {
    condition     = aws_ecs_task_definition.training.cpu == "8192" && aws_ecs_task_definition.training.memory == "32768" && aws_ecs_task_definition.training.family == "model-training"
    error_message = "the training task keeps the old 8 vCPU / 32 GB"
  }
  assert {
    condition     = jsondecode(aws_ecs_task_definition.run.container_definitions)[0].name == "run" && aws_ecs_task_definition.run.family == "facturas-run"
    error_message = "the run task definition has the container the launcher overrides"
  }
  assert {
    condition     = { for s in jsondecode(aws_ecs_task_definition.run.container_definitions)[0].secrets : s.name => s.valueFrom } == { DAGSTER_MYSQL_USER = "${var.mysql_secret_arn}:username::", DAGSTER_MYSQL_PASSWORD = "${var.mysql_secret_arn}:password::" }
    error_message = "runs get the MySQL login from textil/mysql/credentials"
  }
  assert {
    condition     = alltrue([for td in aws_ecs_task_definition.service : jsondecode(td.container_definitions)[0].readonlyRootFilesystem])
    error_message = "read-only root file systems"
  }
  assert {
    condition     = jsondecode(aws_ecs_task_definition.service["fastapi"].container_definitions)[0].logConfiguration.options["awslogs-group"] == "/ecs/fastapi" && jsondecode(aws_ecs_task_definition.service["mlflow"].container_definitions)[0].logConfiguration.options["awslogs-group"] == "/ecs/mlflow"
    error_message = "API and MLflow log to their old groups"
  }
  assert {
    condition     = aws_ecr_repository.this.image_tag_mutability == "IMMUTABLE" && aws_ecr_repository.this.image_scanning_configuration[0].scan_on_push
    error_message = "immutable, scanned image tags"
  }
  # The HTTP API: its own role and security group; proxy headers trusted from the VPC only.
  assert {
    condition     = aws_ecs_task_definition.service["fastapi"].task_role_arn == "arn:aws:iam::123456789012:role/api" && alltrue([for k, td in aws_ecs_task_definition.service : td.task_role_arn != "arn:aws:iam::123456789012:role/api" if k != "fastapi"])
    error_message = "only the API runs with the API's role"
  }
  assert {
    condition     = one(aws_ecs_service.this["fastapi"].network_configuration).security_groups == toset(["sg-api"])
    error_message = "the API sits in its own security group"
  }
  assert {
    condition = (
      jsondecode(aws_ecs_task_definition.service["fastapi"].container_definitions)[0].command[index(jsondecode(aws_ecs_task_definition.service["fastapi"].container_definitions)[0].command, "--forwarded-allow-ips") + 1] == "10.0.0.0/16"
      && !contains(jsondecode(aws_ecs_task_definition.service["fastapi"].container_definitions)[0].command, "*")
    )
    error_message = "X-Forwarded-* trusted from the VPC CIDR only, never from *"
  }
  assert {
    condition = {
      for e in jsondecode(aws_ecs_task_definition.service["fastapi"].container_definitions)[0].environment : e.name => e.value if startswith(e.name, "DAGSTER_") && endswith(e.name, "_URL")
      } == {
      DAGSTER_GRAPHQL_URL = "http://dagster-webserver.facturas.internal:3000/graphql"
      DAGSTER_UI_URL      = "https://dagster.facturas.example.com"
    }
    error_message = "the API reaches the webserver by its internal name and links to the public UI"
  }
}

run "observability" {
  command = apply
  module {
    source = "./modules/observability"
  }
  variables {
    name                        = "facturas"
    log_groups                  = { "/ecs/fastapi" = 30, "/ecs/model-training" = 7 }
    cluster_name                = "facturas"
    api_service_name            = "fastapi"
    alb_arn_suffix              = "app/facturas/1"
    api_target_group_arn_suffix = "targetgroup/api/1"
    api_desired_tasks           = 2
  }
  assert {
    condition = {
      for k, a in aws_cloudwatch_metric_alarm.this : k => [a.metric_name, a.comparison_operator, a.threshold, a.period]
      } == {
      api-high-cpu          = ["CPUUtilization", "GreaterThanThreshold", 80, 60]
      api-high-memory       = ["MemoryUtilization", "GreaterThanThreshold", 85, 60]
      alb-target-5xx        = ["HTTPCode_Target_5XX_Count", "GreaterThanThreshold", 10, 60]
      api-unhealthy-targets = ["HealthyHostCount", "LessThanThreshold", 2, 60]
    }
    error_message = "alarms: CPU > 80 %, memory > 85 %, 5xx > 10/min, healthy hosts < desired"
  }
  assert {
    condition     = alltrue([for a in aws_cloudwatch_metric_alarm.this : a.alarm_actions == toset([aws_sns_topic.alarms.arn])])
    error_message = "every alarm notifies the SNS topic"
  }
}

run "mwaa" {
  command = apply
  module {
    source = "./modules/mwaa"
  }
  variables {
    name               = "etl-facturas-airflow"
    airflow_version    = "2.10.3"
    dags_bucket_arn    = "arn:aws:s3:::etl-facturas-airflow-dags"
    dags_bucket_name   = "etl-facturas-airflow-dags"
    requirements_file  = "tests/fixtures/requirements.txt"
    subnet_ids         = ["subnet-a", "subnet-b"]
    security_group_id  = "sg-mwaa"
    execution_role_arn = "arn:aws:iam::123456789012:role/mwaa"
  }
  assert {
    condition     = aws_mwaa_environment.this.environment_class == "mw1.small" && aws_mwaa_environment.this.min_workers == 2 && aws_mwaa_environment.this.max_workers == 10
    error_message = "mw1.small with 2-10 workers"
  }
  assert {
    condition     = aws_mwaa_environment.this.dag_s3_path == "dags/" && aws_mwaa_environment.this.requirements_s3_path == "requirements.txt" && startswith(aws_mwaa_environment.this.airflow_version, "2.10.")
    error_message = "DAGs from dags/, requirements uploaded, Airflow 2.10"
  }
  assert {
    condition     = toset(one(aws_mwaa_environment.this.network_configuration).subnet_ids) == toset(["subnet-a", "subnet-b"]) && aws_mwaa_environment.this.webserver_access_mode == "PRIVATE_ONLY"
    error_message = "MWAA in the private subnets"
  }
  assert {
    condition = alltrue([
      for k in ["dag_processing_logs", "scheduler_logs", "task_logs", "webserver_logs", "worker_logs"] :
      one(one(aws_mwaa_environment.this.logging_configuration)[k]).enabled
    ])
    error_message = "all MWAA logs on"
  }
}

run "alb" {
  command = apply
  module {
    source = "./modules/alb"
  }
  variables {
    name              = "facturas"
    vpc_id            = "vpc-1"
    subnet_ids        = ["subnet-pub-a", "subnet-pub-b"]
    security_group_id = "sg-alb"
    access_log_bucket = "textil-access-logs"
  }
  assert {
    condition     = one(aws_lb_listener.http.default_action).type == "redirect" && one(one(aws_lb_listener.http.default_action).redirect).protocol == "HTTPS"
    error_message = "HTTP redirects to HTTPS"
  }
  assert {
    condition     = aws_lb_listener.https.protocol == "HTTPS" && aws_lb_listener.https.certificate_arn == var.certificate_arn
    error_message = "HTTPS listener with the ACM certificate"
  }
  assert {
    condition     = { for k, tg in aws_lb_target_group.this : k => one(tg.health_check).path } == { api = "/health", dagster = "/server_info", mlflow = "/health" }
    error_message = "health checks: /health on the API and MLflow"
  }
  assert {
    condition     = alltrue([for r in aws_lb_listener_rule.ui : [for a in r.action : a.type] == ["authenticate-cognito", "forward"]])
    error_message = "the UIs are behind a Cognito login"
  }
  assert {
    condition     = one(one(aws_lb_listener_rule.ui["dagster"].condition).host_header).values == toset(["dagster.facturas.example.com"])
    error_message = "the Dagster UI rule matches its host"
  }
  # WAF: bodies over 8 KB are blocked (not counted) on every host but the UIs, and a per-address
  # rate limit guards the API.
  assert {
    condition     = { for r in aws_wafv2_web_acl.this.rule : r.name => length(one(r.action).block) if length(r.action) > 0 } == { ApiBodySize = 1, ApiRateLimit = 1 }
    error_message = "the body-size and rate rules block"
  }
  assert {
    condition = [
      for r in aws_wafv2_web_acl.this.rule : [
        one(one(one(r.statement).and_statement).statement[0].size_constraint_statement).comparison_operator,
        one(one(one(r.statement).and_statement).statement[0].size_constraint_statement).size,
        one(one(one(one(r.statement).and_statement).statement[0].size_constraint_statement).field_to_match[0].body).oversize_handling,
        one(one(one(one(one(r.statement).and_statement).statement[1].not_statement).statement).regex_match_statement).regex_string,
      ] if r.name == "ApiBodySize"
    ] == [["GT", 8192, "MATCH", "^(dagster\\.facturas\\.example\\.com|mlflow\\.facturas\\.example\\.com)$"]]
    error_message = "bodies over 8 KB (or too large to inspect) blocked unless sent to a UI host"
  }
  assert {
    condition = [
      for r in aws_wafv2_web_acl.this.rule : [
        one(one(r.statement).rate_based_statement).limit,
        one(one(r.statement).rate_based_statement).aggregate_key_type,
        one(one(r.statement).rate_based_statement).evaluation_window_sec,
      ] if r.name == "ApiRateLimit"
    ] == [[500, "IP", 300]]
    error_message = "at most 500 API requests per address in 5 minutes"
  }
}

# The root module: every module wired together, with the design's names.
run "platform" {
  command = plan

  assert {
    condition     = output.ecs_cluster == "facturas" && output.run_task_definition == "facturas-run"
    error_message = "cluster and run task definition names feed DAGSTER_RUN_TASK_DEFINITION"
  }
  assert {
    condition = sort(module.observability.log_group_names) == sort([
      "/ecs/fastapi", "/ecs/model-training", "/ecs/mlflow", "/ecs/dagster", "/aws/mwaa/etl-facturas-airflow",
      "airflow-etl-facturas-airflow-DAGProcessing", "airflow-etl-facturas-airflow-Scheduler",
      "airflow-etl-facturas-airflow-Task", "airflow-etl-facturas-airflow-WebServer", "airflow-etl-facturas-airflow-Worker",
    ])
    error_message = "log groups keep the old names"
  }
  assert {
    condition     = local.log_groups["/ecs/fastapi"] == 30 && local.log_groups["/ecs/model-training"] == 7 && local.log_groups["/ecs/mlflow"] == 30 && local.log_groups["/aws/mwaa/etl-facturas-airflow"] == 30
    error_message = "old retentions: fastapi 30, model-training 7, mlflow 30, mwaa 30"
  }
}
