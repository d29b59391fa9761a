"""`python -m flake8_async_testing fix PATHS`: the same as the `flake8-async-testing` command."""

from .cli import main

raise SystemExit(main())
