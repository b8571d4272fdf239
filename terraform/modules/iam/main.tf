data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  arn     = data.aws_partition.current.partition
  ecs_arn = "arn:${local.arn}:ecs:${var.region}:${local.account}"
  cluster = "${local.ecs_arn}:cluster/${var.cluster_name}"
  # Built from names so the task role's policy can name the task role itself without a cycle.
  execution_role_arn = "arn:${local.arn}:iam::${local.account}:role/${var.name}-ecs-task-execution"
  task_role_arn      = "arn:${local.arn}:iam::${local.account}:role/${var.name}-ecs-task"
  # The API token is for the HTTP API's role alone.
  app_secret_arns = [for name, arn in var.secret_arns : arn if name != var.api_token_secret_name]
}

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

# ---- task execution: pull the image, write logs, inject secrets at task start ----
resource "aws_iam_role" "execution" {
  name               = "${var.name}-ecs-task-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:${local.arn}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "execution_secrets" {
  statement {
    sid       = "InjectSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = concat(values(var.secret_arns), [var.master_user_secret_arn])
  }
}

resource "aws_iam_role_policy" "execution_secrets" {
  name   = "inject-secrets"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution_secrets.json
}

# ---- task role of Dagster (webserver, daemon, code server, runs) ----
resource "aws_iam_role" "task" {
  name               = "${var.name}-ecs-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "task" {
  statement {
    sid       = "Buckets"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = var.bucket_arns
  }
  statement {
    sid       = "Objects"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:GetObjectVersion"]
    resources = [for arn in var.bucket_arns : "${arn}/*"]
  }
  # Intake removes a landing file by the VersionId it read, so an upload landing meanwhile (a
  # newer version) stays; only in the landing bucket, where every version is already in raw/.
  dynamic "statement" {
    for_each = var.landing_bucket_arn == null ? [] : [var.landing_bucket_arn]
    content {
      sid       = "DeleteCopiedLandingVersions"
      actions   = ["s3:DeleteObjectVersion"]
      resources = ["${statement.value}/*"]
    }
  }
  statement {
    sid       = "ReadSecrets"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = local.app_secret_arns
  }
  statement {
    sid       = "CustomMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"] # PutMetricData has no resource-level permissions; scoped by namespace
    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = [var.metric_namespace]
    }
  }
  # EcsRunLauncher: one task per run, in this cluster, of the run task definition only.
  statement {
    sid       = "LaunchRuns"
    actions   = ["ecs:RunTask"]
    resources = ["${local.ecs_arn}:task-definition/${var.run_task_family}:*"]
    condition {
      test     = "ArnEquals"
      variable = "ecs:cluster"
      values   = [local.cluster]
    }
  }
  statement {
    sid       = "WatchAndStopRuns"
    actions   = ["ecs:DescribeTasks", "ecs:StopTask"]
    resources = ["${local.ecs_arn}:task/${var.cluster_name}/*"]
  }
  statement {
    sid       = "TagRunsAtLaunch"
    actions   = ["ecs:TagResource"]
    resources = ["${local.ecs_arn}:task/${var.cluster_name}/*"]
    condition {
      test     = "StringEquals"
      variable = "ecs:CreateAction"
      values   = ["RunTask"]
    }
  }
  statement {
    sid = "ReadTaskSetup"
    # Neither supports resource-level permissions. DescribeNetworkInterfaces: the launcher copies
    # the daemon task's subnets and security groups to each run (use_current_ecs_task_config).
    actions   = ["ecs:DescribeTaskDefinition", "ec2:DescribeNetworkInterfaces"]
    resources = ["*"]
  }
  statement {
    sid       = "PassRunRoles"
    actions   = ["iam:PassRole"]
    resources = [local.execution_role_arn, local.task_role_arn]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }
  statement {
    sid       = "ReadFailedRunLogs"
    actions   = ["logs:GetLogEvents"]
    resources = ["arn:${local.arn}:logs:${var.region}:${local.account}:log-group:${var.dagster_log_group}:log-stream:*"]
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "facturas-app-and-run-launcher"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}

# ---- HTTP API: a client of the Dagster webserver's GraphQL API over HTTP ----
# It launches and reads runs through the webserver, so it needs no ECS, IAM or S3 power: only its
# bearer token and the MySQL login its /health check connects with. Its logs are shipped by the
# awslogs driver under the execution role.
resource "aws_iam_role" "api" {
  name               = "${var.name}-api-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "api" {
  statement {
    sid       = "ReadTokenAndDatabaseLogin"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.secret_arns[var.api_token_secret_name], var.secret_arns[var.mysql_secret_name]]
  }
}

resource "aws_iam_role_policy" "api" {
  name   = "api-token-and-database-login"
  role   = aws_iam_role.api.id
  policy = data.aws_iam_policy_document.api.json
}

# ---- MLflow server: its artifact bucket only ----
resource "aws_iam_role" "mlflow" {
  name               = "${var.name}-mlflow-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "mlflow" {
  statement {
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [var.mlflow_bucket_arn]
  }
  statement {
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${var.mlflow_bucket_arn}/*"]
  }
}

resource "aws_iam_role_policy" "mlflow" {
  name   = "mlflow-artifacts"
  role   = aws_iam_role.mlflow.id
  policy = data.aws_iam_policy_document.mlflow.json
}

# ---- one-off database bootstrap: publishes the application login ----
resource "aws_iam_role" "db_bootstrap" {
  name               = "${var.name}-db-bootstrap-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "db_bootstrap" {
  statement {
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"]
    resources = [var.secret_arns[var.mysql_secret_name]]
  }
}

resource "aws_iam_role_policy" "db_bootstrap" {
  name   = "publish-mysql-login"
  role   = aws_iam_role.db_bootstrap.id
  policy = data.aws_iam_policy_document.db_bootstrap.json
}

# ---- MWAA execution role ----
data "aws_iam_policy_document" "mwaa_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["airflow.amazonaws.com", "airflow-env.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "mwaa" {
  name               = "${var.name}-mwaa-execution"
  assume_role_policy = data.aws_iam_policy_document.mwaa_assume.json
}

data "aws_iam_policy_document" "mwaa" {
  statement {
    actions   = ["airflow:PublishMetrics"]
    resources = ["arn:${local.arn}:airflow:${var.region}:${local.account}:environment/${var.mwaa_environment_name}"]
  }
  statement {
    actions   = ["s3:GetObject*", "s3:GetBucket*", "s3:List*"]
    resources = [var.dags_bucket_arn, "${var.dags_bucket_arn}/*"]
  }
  statement {
    actions   = ["s3:GetAccountPublicAccessBlock"]
    resources = ["*"]
  }
  statement {
    actions = [
      "logs:CreateLogStream", "logs:CreateLogGroup", "logs:PutLogEvents", "logs:GetLogEvents",
      "logs:GetLogRecord", "logs:GetLogGroupFields", "logs:GetQueryResults",
    ]
    resources = ["arn:${local.arn}:logs:${var.region}:${local.account}:log-group:airflow-${var.mwaa_environment_name}-*"]
  }
  statement {
    actions   = ["logs:DescribeLogGroups", "cloudwatch:PutMetricData"]
    resources = ["*"]
  }
  statement {
    actions = [
      "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
      "sqs:GetQueueUrl", "sqs:ReceiveMessage", "sqs:SendMessage",
    ]
    resources = ["arn:${local.arn}:sqs:${var.region}:*:airflow-celery-*"]
  }
  statement {
    actions       = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey*", "kms:Encrypt"]
    not_resources = ["arn:${local.arn}:kms:*:${local.account}:key/*"]
    condition {
      test     = "StringLike"
      variable = "kms:ViaService"
      values   = ["sqs.${var.region}.amazonaws.com"]
    }
  }
  # The DAGs only call the Dagster webserver; their connection lives under airflow/connections/.
  statement {
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = ["arn:${local.arn}:secretsmanager:${var.region}:${local.account}:secret:airflow/connections/*"]
  }
}

resource "aws_iam_role_policy" "mwaa" {
  name   = "mwaa-execution"
  role   = aws_iam_role.mwaa.id
  policy = data.aws_iam_policy_document.mwaa.json
}
