"""Email: the SES transport, the templated email service and the send_email job."""
