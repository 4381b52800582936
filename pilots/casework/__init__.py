"""Case handling in the Wagtail admin: the applications listing and inspect page,
scores and notes, status changes, the portfolio where decision makers choose the
pilots and release the decisions, the decision e-mail, statistics and retention."""
