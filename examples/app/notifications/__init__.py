"""Notifications: the in-app inbox, review reminders and the daily digest."""
