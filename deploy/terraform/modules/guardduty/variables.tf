variable "finding_publishing_frequency" {
  description = "How often updated findings are exported (FIFTEEN_MINUTES, ONE_HOUR, SIX_HOURS)."
  type        = string
  default     = "FIFTEEN_MINUTES"
}
