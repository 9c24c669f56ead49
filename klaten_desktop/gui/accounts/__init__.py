"""Accounts in the window: login at start, the first admin, the idle lock, switching user, managing users."""
