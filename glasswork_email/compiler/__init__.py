"""The email template compiler: MJML/HTML + Jinja templates → a typed Python package.

Used by ``glasswork-email compile`` (``glasswork_email.cli``); never imported at run time.
Start at ``project.ProjectCompiler`` (a folder → a package) or ``template.compile_template``
(one template).
"""
