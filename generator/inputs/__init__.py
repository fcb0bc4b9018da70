"""Reading what the user and the bundled data give: an input file's bytes, YAML with the position of every
key and value, and a validation error in Chinese. Both the profile and the standard's data are read this way."""
