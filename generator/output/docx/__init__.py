"""Markdown to DOCX on the reference template, with native charts and drawing shapes."""
