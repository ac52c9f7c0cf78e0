"""An unknown extra context field is rejected by both checkers."""

from emails import LoginCodeContext, LoginCodeDevice

LoginCodeContext(code="123456", valid_minutes="5", colour="red")  # expect-error
LoginCodeDevice(browser="Firefox", os="Linux", version="1")  # expect-error
