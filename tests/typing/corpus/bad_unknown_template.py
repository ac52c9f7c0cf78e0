"""An unknown template is rejected by both checkers."""

from emails import TemplateName, WelcomeContext, WelcomeEmail, WelcomeUser, templates

context = WelcomeContext(user=WelcomeUser(first_name="Ann"), dashboard_url="u", getting_started=[])
templates.newsletter.render(context)  # expect-error
name: TemplateName = "newsletter"  # expect-error
WelcomeEmail(to="a@example.com", template="newsletter", context=context)  # expect-error
print(name)
