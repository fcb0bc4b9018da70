"""The intake workbook: a questionnaire made from the profile schema, and profiles read from it."""
