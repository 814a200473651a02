"""Risk: each match's risk register rated on the 5×5 matrix, against the controls in place."""
