"""The admin's views, all served by the applications viewset (viewsets.py):
applications.py (listing, inspect page, history, attachments), actions.py (the
forms on the inspect page and the portfolio, each a small view that calls a
service) and portfolio.py."""
