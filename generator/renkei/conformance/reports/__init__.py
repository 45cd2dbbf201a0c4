"""Reports of a conformance run: the terminal summary, JUnit XML and a self-contained HTML page."""
