"""Venue safety figures: entry, egress, density, safe capacity, stewarding and medical provision.

``calculations`` holds the pure formulas; ``assessment`` applies them to a resolved plan's
venue geometry and parameters and turns every missed target into a finding.
"""
