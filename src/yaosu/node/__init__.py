"""The data node (data plane): the encrypted vault, table readers and the scanner's inputs."""
