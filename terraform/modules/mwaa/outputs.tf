output "arn" {
  description = "ARN of the MWAA environment."
  value       = aws_mwaa_environment.this.arn
}

output "webserver_url" {
  description = "Private URL of the Airflow UI."
  value       = aws_mwaa_environment.this.webserver_url
}
