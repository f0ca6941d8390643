"""The dock panels of the main window and the registry that declares them."""
