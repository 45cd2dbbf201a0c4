"""`renkei sandbox authorize`: the OAuth dance of a demo client in one command (like `gh auth login`)."""
