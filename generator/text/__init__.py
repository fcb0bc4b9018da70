"""Text rules every stage shares: the one Markdown parser and its clause tags, profile values as literal
Markdown, the checks on a user's own text, and the two standard-library rules that also run as MkDocs
hooks (Chinese lines joined without a gap; only web, mail and phone links)."""
