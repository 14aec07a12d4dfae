"""`python -m mockapi`: the same as the `mockapi` command."""

from mockapi.cli import main

raise SystemExit(main())
