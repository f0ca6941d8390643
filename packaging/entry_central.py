"""PyInstaller entry point for desk-central."""

from desk.central.cli import main

raise SystemExit(main())
