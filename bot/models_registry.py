"""Imports every module that defines tables, so migrations and ``create_all`` see them all."""

import bot.catalogue.models  # noqa: F401
import bot.contact_requests.models  # noqa: F401
import bot.staff.models  # noqa: F401
