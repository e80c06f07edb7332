"""Record linkage for the node: regional name normalisation and a Splink model.

`names` turns names written in any of the region's scripts and orthographies into
comparable keys; `records` turns raw record dicts into the feature rows the model
compares; `engine` scores, dedupes and links them; `cli` is the batch front end.
Nothing here imports Django, so the CLI runs without a configured project.
"""
