"""`aftersales serve`: a live preview of the company's site, rebuilt when the profile changes."""
from __future__ import annotations

from generator.commands.console import EXIT_OK
from generator.commands.preview import serve_profile


def run(args) -> int:
    serve_profile(args.profile, args.port)  # answers only this computer's names; a busy port is a message
    return EXIT_OK
