"""派警: choosing and sending the nearest available unit to a target."""
