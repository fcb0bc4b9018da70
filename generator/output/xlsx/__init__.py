"""Excel workbooks the tool writes, formatted alike and saved reproducibly."""
