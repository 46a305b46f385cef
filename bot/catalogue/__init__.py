"""The service catalogue: schema, search and queries. Knows nothing of Rasa."""

import bot.catalogue.search_index  # noqa: F401  (keeps search terms in step with every write)
