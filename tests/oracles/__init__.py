"""One adapter per oracle: their quirks live here, so an oracle's API change breaks one file."""
