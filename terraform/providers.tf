provider "aws" {
  region = var.aws_region

  default_tags {
    tags = {
      project     = "facturas"
      environment = "prod"
      managed-by  = "terraform"
    }
  }
}
