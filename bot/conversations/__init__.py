"""Stored conversations: Rasa's SQL tracker store, with nothing personal written to it.

``redaction`` decides what of an event may be stored, ``tracker_store`` is the store Rasa is
configured with (endpoints), ``purge`` forgets conversations past the retention period.
"""
