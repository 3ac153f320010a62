"""Shared by every view: the dialog service, the task runner, table models, widgets and form fields."""
