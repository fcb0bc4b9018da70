"""The commands of `aftersales`, one module each (init, check, score, build, serve), with what they share:
the arguments and their Chinese parser, and the console they print to."""
