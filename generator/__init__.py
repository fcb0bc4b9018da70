"""aftersales: GB/T 27922-2011 after-sales service certification files from one company profile."""

__version__ = "0.1.0"
