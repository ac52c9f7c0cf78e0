"""Users: registration, and keeping the CRM in sync."""
