"""Pages of field capture: the offline app (its shell, manifest and service worker) and the
worker's submissions on the node, where kept ones are decided."""
