"""Use cases of the control room (dispatch, plan duty, handle accidents, run drills), Qt-free."""
