"""What the profile implies, judged by the standard: the score, the gap plan, the certification plan, materials, lint."""
