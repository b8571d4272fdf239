# The facturas platform on AWS: the original Airflow + FastAPI design's infrastructure, rebuilt
# for Dagster (webserver, daemon, gRPC code server, one Fargate task per run) with its external
# names kept exactly (buckets, secrets, log groups, MWAA environment).

locals {
  name = "facturas"

  # External names (DESIGN.md): bucket => days until objects expire (null: never).
  buckets = {
    # Landing: no bucket-wide expiry, its zones' lifecycles are set in modules/storage (the
    # old 90 days would also delete the raw zone, quarantine and batches kept in this bucket).
    "mes-en-curso"              = null
    "textil-modelos"            = null
    "textil-mlflow-artifacts"   = 180
    "etl-facturas-airflow-dags" = null
    "textil-drift-data"         = 30
    # Internal: Dagster step logs (S3ComputeLogManager).
    "textil-dagster-compute-logs" = 30
  }
  access_log_bucket = "textil-access-logs"

  secrets = {
    "textil/mysql/credentials" = "Application MySQL login {username, password, host, port, database}"
    "textil/aws/credentials"   = "Access keys for tools outside AWS {access_key_id, secret_access_key}"
    "textil/google/oauth"      = "Google Drive service credentials (credentials.json)"
    "textil/slack/webhook"     = "Slack incoming webhook {webhook_url}"
    "textil/api/token"         = "Bearer token of the HTTP API (the token, or {token})"
  }

  mwaa_name            = "etl-facturas-airflow"
  run_task_family      = "facturas-run"
  training_task_family = "model-training"

  log_groups = {
    "/ecs/fastapi"                 = 30
    "/ecs/model-training"          = 7
    "/ecs/mlflow"                  = 30
    "/ecs/dagster"                 = 30
    "/aws/mwaa/${local.mwaa_name}" = 30
    # The groups MWAA itself writes to, created here so their retention is set.
    "airflow-${local.mwaa_name}-DAGProcessing" = 30
    "airflow-${local.mwaa_name}-Scheduler"     = 30
    "airflow-${local.mwaa_name}-Task"          = 30
    "airflow-${local.mwaa_name}-WebServer"     = 30
    "airflow-${local.mwaa_name}-Worker"        = 30
  }
}

module "network" {
  source               = "./modules/network"
  name                 = local.name
  region               = var.aws_region
  vpc_cidr             = "10.0.0.0/16"
  availability_zones   = var.availability_zones
  public_subnet_cidrs  = ["10.0.0.0/24", "10.0.1.0/24"]
  private_subnet_cidrs = ["10.0.10.0/24", "10.0.11.0/24"]
}

module "security" {
  source   = "./modules/security"
  name     = local.name
  vpc_id   = module.network.vpc_id
  vpc_cidr = module.network.vpc_cidr
}

module "storage" {
  source            = "./modules/storage"
  buckets           = local.buckets
  landing_bucket    = "mes-en-curso"
  access_log_bucket = local.access_log_bucket
}

module "secrets" {
  source  = "./modules/secrets"
  secrets = local.secrets
}

module "database" {
  source            = "./modules/database"
  identifier        = "textil-mysql"
  subnet_ids        = module.network.private_subnet_ids
  security_group_id = module.security.ids["rds"]
}

module "iam" {
  source                 = "./modules/iam"
  name                   = local.name
  region                 = var.aws_region
  cluster_name           = local.name
  run_task_family        = local.run_task_family
  training_task_family   = local.training_task_family
  bucket_arns            = [for b in keys(local.buckets) : module.storage.arns[b] if b != "etl-facturas-airflow-dags"]
  landing_bucket_arn     = module.storage.arns["mes-en-curso"]
  mlflow_bucket_arn      = module.storage.arns["textil-mlflow-artifacts"]
  dags_bucket_arn        = module.storage.arns["etl-facturas-airflow-dags"]
  secret_arns            = module.secrets.arns
  mysql_secret_name      = "textil/mysql/credentials"
  api_token_secret_name  = "textil/api/token"
  master_user_secret_arn = module.database.master_user_secret_arn
  dagster_log_group      = "/ecs/dagster"
  mwaa_environment_name  = local.mwaa_name
  metric_namespace       = "Textil/Facturas"
}

module "alb" {
  source                = "./modules/alb"
  name                  = local.name
  vpc_id                = module.network.vpc_id
  subnet_ids            = module.network.public_subnet_ids
  security_group_id     = module.security.ids["alb"]
  certificate_arn       = var.certificate_arn
  domain_name           = var.domain_name
  cognito_domain_prefix = var.cognito_domain_prefix
  access_log_bucket     = module.storage.access_log_bucket
}

module "observability" {
  source                      = "./modules/observability"
  name                        = local.name
  log_groups                  = local.log_groups
  cluster_name                = local.name
  api_service_name            = "fastapi"
  alb_arn_suffix              = module.alb.arn_suffix
  api_target_group_arn_suffix = module.alb.target_group_arn_suffixes["api"]
  api_desired_tasks           = 2
  alarm_email                 = var.alarm_email
}

module "ecs" {
  source                  = "./modules/ecs"
  name                    = local.name
  region                  = var.aws_region
  vpc_id                  = module.network.vpc_id
  subnet_ids              = module.network.private_subnet_ids
  security_group_ids      = module.security.ids
  target_group_arns       = module.alb.target_group_arns
  image_tag               = var.image_tag
  execution_role_arn      = module.iam.execution_role_arn
  task_role_arn           = module.iam.task_role_arn
  api_task_role_arn       = module.iam.api_task_role_arn
  vpc_cidr                = module.network.vpc_cidr
  dagster_public_host     = module.alb.hosts["dagster"]
  mlflow_role_arn         = module.iam.mlflow_role_arn
  db_bootstrap_role_arn   = module.iam.db_bootstrap_role_arn
  mysql_secret_arn        = module.secrets.arns["textil/mysql/credentials"]
  master_user_secret_arn  = module.database.master_user_secret_arn
  db_host                 = module.database.address
  db_port                 = module.database.port
  compute_log_bucket      = "textil-dagster-compute-logs"
  mlflow_artifacts_bucket = "textil-mlflow-artifacts"
  mlflow_public_host      = module.alb.hosts["mlflow"]
  run_task_family         = local.run_task_family
  training_task_family    = local.training_task_family
  api_min_tasks           = 2
  api_max_tasks           = 10
  log_groups = {
    # Names taken from the module's output so the groups exist before any task logs.
    dagster  = one([for g in module.observability.log_group_names : g if g == "/ecs/dagster"])
    api      = one([for g in module.observability.log_group_names : g if g == "/ecs/fastapi"])
    training = one([for g in module.observability.log_group_names : g if g == "/ecs/model-training"])
    mlflow   = one([for g in module.observability.log_group_names : g if g == "/ecs/mlflow"])
  }
}

module "mwaa" {
  source             = "./modules/mwaa"
  name               = local.mwaa_name
  airflow_version    = var.airflow_version
  environment_class  = "mw1.small"
  min_workers        = 2
  max_workers        = 10
  dags_bucket_arn    = module.storage.arns["etl-facturas-airflow-dags"]
  dags_bucket_name   = "etl-facturas-airflow-dags"
  requirements_file  = var.mwaa_requirements_file
  subnet_ids         = module.network.private_subnet_ids
  security_group_id  = module.security.ids["mwaa"]
  execution_role_arn = module.iam.mwaa_role_arn
  airflow_variables = {
    # The DAGs (mwaa/dags) read their Dagster connection `dagster_default` from Secrets Manager
    # (secret airflow/connections/dagster_default: the Dagster webserver's URL and token).
    "secrets.backend"        = "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend"
    "secrets.backend_kwargs" = jsonencode({ connections_prefix = "airflow/connections" })
  }

  # MWAA must find its log groups already created (with their retention) by Terraform.
  depends_on = [module.observability]
}
