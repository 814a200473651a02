"""The readiness site: the tournament at a glance, each venue and its whole plan as static HTML.

The stage after ``render``: it reads only released, assessed ``PlanReport``s (and readiness at
past commits for the trend), writes pages that work from disk or any static web server with no
network access, and uses the same catalogs and release rules as the PDF plans.
"""
