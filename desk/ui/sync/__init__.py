"""The Qt face of sync: the status-bar widget, its dialogs and the worker thread."""
