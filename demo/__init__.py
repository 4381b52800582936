"""Demo content: the seed page's real content in our own words, for `make run`.

Each module fills one feature app and reuses the test factories (tests/factories)
for the objects it creates; `manage.py load_demo` runs them in order. Idempotent.
"""
