# The landing bucket mes-en-curso: its zones (facturas_assets/pipeline/keys.py) never expire
# unless a rule for that zone says so; the old bucket-wide expiry deleted the raw zone.

mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:user/mock" }
  }
  mock_data "aws_elb_service_account" {
    defaults = { arn = "arn:aws:iam::127311923021:root" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::mock-bucket" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
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
  # The zones the pipeline keeps in the landing bucket and must never lose unseen.
  kept_zones = ["raw/", "quarantine/", "batches/"]
}

run "landing_zones_never_expire" {
  command = apply
  module {
    source = "./modules/storage"
  }

  # Every rule that expires current objects of the landing bucket selects one prefix, and that
  # prefix neither holds nor lies inside a kept zone (an empty filter would select them all).
  assert {
    condition = alltrue([
      for r in aws_s3_bucket_lifecycle_configuration.this["mes-en-curso"].rule : alltrue([
        for zone in var.kept_zones : (
          try(one(r.filter).prefix, null) != null && try(one(r.filter).prefix, "") != ""
          && !startswith(zone, one(r.filter).prefix) && !startswith(one(r.filter).prefix, zone)
        )
      ]) if length(r.expiration) > 0
    ])
    error_message = "no expiry rule of mes-en-curso may reach raw/, quarantine/ or batches/"
  }
  assert {
    condition = {
      for r in aws_s3_bucket_lifecycle_configuration.this["mes-en-curso"].rule :
      one(r.filter).prefix => {
        expire = one(flatten([for e in r.expiration : e.days]))
        to_ia  = one([for t in r.transition : t.days if t.storage_class == "STANDARD_IA"])
      } if startswith(r.id, "zone-")
      } == {
      "raw/"        = { expire = null, to_ia = 30 }
      "quarantine/" = { expire = null, to_ia = 30 }
      "read/"       = { expire = 90, to_ia = null }
    }
    error_message = "raw/ and quarantine/ go to STANDARD_IA after 30 d and stay; the read/ cache expires after 90 d"
  }
  assert {
    condition = alltrue([
      for name, l in aws_s3_bucket_lifecycle_configuration.this :
      alltrue([for r in l.rule : !startswith(r.id, "zone-")]) if name != "mes-en-curso"
    ])
    error_message = "zone rules belong to the landing bucket only"
  }
}

run "landing_bucket_cannot_expire_bucket_wide" {
  command = plan
  module {
    source = "./modules/storage"
  }
  variables {
    buckets = {
      "mes-en-curso"   = 90
      "textil-modelos" = null
    }
  }
  expect_failures = [var.landing_bucket]
}

# Intake deletes the exact landing version it copied (DeleteObject with a VersionId), which
# needs s3:DeleteObjectVersion: granted on the landing bucket's objects and nowhere else.
run "intake_may_delete_landing_versions_only" {
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
    bucket_arns          = ["arn:aws:s3:::mes-en-curso", "arn:aws:s3:::textil-modelos"]
    landing_bucket_arn   = "arn:aws:s3:::mes-en-curso"
    mlflow_bucket_arn    = "arn:aws:s3:::textil-mlflow-artifacts"
    dags_bucket_arn      = "arn:aws:s3:::etl-facturas-airflow-dags"
    secret_arns = {
      "textil/mysql/credentials" = "arn:aws:secretsmanager:us-east-1:123456789012:secret:textil/mysql/credentials-AbCdEf"
      "textil/api/token"         = "arn:aws:secretsmanager:us-east-1:123456789012:secret:textil/api/token-AbCdEf"
    }
    api_token_secret_name  = "textil/api/token"
    mysql_secret_name      = "textil/mysql/credentials"
    master_user_secret_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-AbCdEf"
    dagster_log_group      = "/ecs/dagster"
    mwaa_environment_name  = "etl-facturas-airflow"
    metric_namespace       = "Textil/Facturas"
  }
  assert {
    condition = [
      for s in data.aws_iam_policy_document.task.statement : s.resources
      if contains(s.actions, "s3:DeleteObjectVersion")
    ] == [toset(["arn:aws:s3:::mes-en-curso/*"])]
    error_message = "s3:DeleteObjectVersion on the landing bucket's objects only"
  }
}
