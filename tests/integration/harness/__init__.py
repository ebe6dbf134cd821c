"""Test harness for Kinora's black-box integration tests."""
