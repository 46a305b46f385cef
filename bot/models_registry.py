"""Imports every module that defines tables, for what needs them all: writing a migration
(``python -m bot.cli db revision``) and the test that the migrations match the models."""

import bot.catalogue.models  # noqa: F401
import bot.contact_requests.models  # noqa: F401
import bot.feedback.models  # noqa: F401
import bot.staff.models  # noqa: F401
