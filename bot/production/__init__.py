"""The production run: nginx in front, two Rasa servers, two action servers, PostgreSQL and
Redis, started and watched over by supervisord (``python -m bot.cli production``).

``layout`` says where everything listens and lives, ``config_files`` writes the
configuration of each program from ``templates/``, ``postgres`` makes the database cluster
and its databases once, and ``system`` starts, controls and stops the whole set.
"""
