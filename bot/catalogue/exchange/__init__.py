"""Moving the whole catalogue in and out: our own JSON and CSV formats, and PTV open data.

Every reader produces a ``CatalogueData`` (plain rows per table); ``apply_catalogue`` checks
all of it first and then writes it in the caller's transaction, so a failed import changes
nothing. A new source (such as PTV's v12 API) only needs a reader.
"""
