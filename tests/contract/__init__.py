"""The behaviour every storage backend must show (a package, so that its conftest and
test modules never clash with tests/conftest.py or tests/golden/ by module name)."""
