"""What a newcomer sees first: the start-up banner of `renkei serve` and the landing page at `/`."""
