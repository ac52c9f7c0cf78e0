"""A missing required context field is rejected by both checkers."""

from emails import WelcomeContext, WelcomeEmail, WelcomeUser

user = WelcomeUser()  # expect-error
context = WelcomeContext(user=WelcomeUser(first_name="Ann"), getting_started=[])  # expect-error
WelcomeEmail(context=context)  # expect-error
