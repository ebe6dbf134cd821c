output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "CIDR block of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "availability_zones" {
  description = "The three availability zones in use."
  value       = local.azs
}

output "public_subnet_ids" {
  description = "Public subnet IDs, one per availability zone."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "Private subnet IDs, one per availability zone."
  value       = aws_subnet.private[*].id
}

output "nat_gateway_public_ips" {
  description = "Egress IPs of the NAT gateways (for allow-lists elsewhere)."
  value       = aws_eip.nat[*].public_ip
}
