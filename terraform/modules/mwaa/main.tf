resource "aws_s3_object" "requirements" {
  bucket = var.dags_bucket_name
  key    = "requirements.txt"
  source = var.requirements_file
  etag   = filemd5(var.requirements_file)
}

resource "aws_mwaa_environment" "this" {
  name               = var.name
  airflow_version    = var.airflow_version
  environment_class  = var.environment_class
  min_workers        = var.min_workers
  max_workers        = var.max_workers
  execution_role_arn = var.execution_role_arn

  source_bucket_arn              = var.dags_bucket_arn
  dag_s3_path                    = "dags/"
  requirements_s3_path           = aws_s3_object.requirements.key
  requirements_s3_object_version = aws_s3_object.requirements.version_id

  # The Airflow UI is reachable only from inside the VPC.
  webserver_access_mode = "PRIVATE_ONLY"

  airflow_configuration_options = var.airflow_variables

  network_configuration {
    subnet_ids         = var.subnet_ids
    security_group_ids = [var.security_group_id]
  }

  logging_configuration {
    dag_processing_logs {
      enabled   = true
      log_level = "INFO"
    }
    scheduler_logs {
      enabled   = true
      log_level = "INFO"
    }
    task_logs {
      enabled   = true
      log_level = "INFO"
    }
    webserver_logs {
      enabled   = true
      log_level = "WARNING"
    }
    worker_logs {
      enabled   = true
      log_level = "INFO"
    }
  }
}
