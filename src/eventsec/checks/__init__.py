"""Checks: every lint rule over the loaded documents and every check of a resolved plan.

:mod:`~eventsec.checks.rule` is the unit (an id, a severity, a doc line, a check);
:mod:`~eventsec.checks.lint` runs them; :mod:`~eventsec.checks.registry` holds every finding id
of every stage; :mod:`~eventsec.checks.validate` is ``eventsec validate`` end to end.
"""
