"""Raw → clean: read, parse, validate and resolve the project's inputs."""
