"""Documents: Jinja2 templates render a small document model, which two renderers turn into DOCX and PDF."""
