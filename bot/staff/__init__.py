"""The staff side: accounts, roles, sessions, the audit trail, the admin views and the API.

Nothing here is imported by the Rasa actions; the catalogue knows nothing of staff either,
except that every write made on a staff member's behalf is recorded in the audit trail.
"""
