"""The staff web admin, built on SQLAdmin: views, forms, sign-in and the preview."""
