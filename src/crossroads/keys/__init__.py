"""Keys of the node: the keyring that encrypts identity fields at rest, and its rotation."""
