"""renkei: a specification-first toolkit for Japan's financial open APIs."""

__version__ = "0.1.0"
