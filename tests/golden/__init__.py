"""The human output pinned exactly (a package, so that its conftest and test modules never
clash with tests/conftest.py or tests/contract/ by module name)."""
