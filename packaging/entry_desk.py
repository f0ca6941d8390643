"""PyInstaller entry point for the desk app (a script, because PyInstaller freezes scripts)."""

from desk.cli import main

raise SystemExit(main())
