"""shop: a tiny FastAPI backend (users, sign-up e-mails, card payments)."""
