"""Models of an API: schemas prepared for and rendered by datamodel-code-generator."""
