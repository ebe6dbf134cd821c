# Gateway endpoint for S3: media uploads, transcoding output and playlist reads stay on the AWS
# network instead of going through the NAT gateways (no NAT data-processing charge, and it works
# even if a NAT gateway is down). Gateway endpoints themselves are free.

data "aws_region" "current" {}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${data.aws_region.current.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = aws_route_table.private[*].id

  tags = { Name = "${var.name}-s3" }
}
