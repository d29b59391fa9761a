"""flake8-async-testing: find the mistakes that make async pytest suites lie."""

__version__ = "0.1.0"
